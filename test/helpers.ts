import { ModelConfig } from '../src/model/config';

/** A model small enough for unit tests but with every component (2 layers, 4 heads, MLP). */
export const TINY: ModelConfig = { vocabSize: 12, contextLength: 32, dModel: 32, nLayers: 2, nHeads: 4, mlpRatio: 2, dropout: 0 };

/** A fixed corpus: each row walks the cycle 1→2→…→10→1 from a start given by the row index. */
export function cycleRows(n: number, len: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: len }, (_, j) => 1 + ((i * 3 + j) % 10)));
}

/**
 * `describe` when an external tool was found, else `describe.skip` with a warning — except in CI
 * (CI=true, as .ci/run runs), where a missing tool is a failing test: CI installs it, so its
 * absence means a broken install step, not a developer machine without it.
 */
export function describeWithTool(tool: string, found: boolean, hint: string): jest.Describe {
  if (found) return describe;
  if (process.env.CI === 'true') {
    test(`${tool} is installed (required in CI)`, () => {
      throw new Error(`${tool} not found: ${hint}`);
    });
  } else {
    console.warn(`SKIPPING tests that need ${tool}: ${hint}`);
  }
  return describe.skip;
}
