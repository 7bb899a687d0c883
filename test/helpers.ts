import { ModelConfig } from '../src/model/config';

/** A model small enough for unit tests but with every component (2 layers, 4 heads, MLP). */
export const TINY: ModelConfig = { vocabSize: 12, contextLength: 32, dModel: 32, nLayers: 2, nHeads: 4, mlpRatio: 2, dropout: 0 };

/** A fixed corpus: each row walks the cycle 1→2→…→10→1 from a start given by the row index. */
export function cycleRows(n: number, len: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: len }, (_, j) => 1 + ((i * 3 + j) % 10)));
}

/**
 * True in CI: CI set to anything but '', '0' or 'false' (CI services set CI=true, some CI=1), so
 * a CI that spells it differently still fails on a missing tool rather than skipping.
 */
export function inCI(): boolean {
  const v = process.env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * `describe` when an external tool was found, else `describe.skip` with a warning — except in CI
 * (see inCI), where a missing tool is a failing test: CI installs it, so its absence means a
 * broken install step, not a developer machine without it.
 */
export function describeWithTool(tool: string, found: boolean, hint: string): jest.Describe {
  if (found) return describe;
  if (inCI()) {
    test(`${tool} is installed (required in CI)`, () => {
      throw new Error(`${tool} not found: ${hint}`);
    });
  } else {
    console.warn(`SKIPPING tests that need ${tool}: ${hint}`);
  }
  return describe.skip;
}
