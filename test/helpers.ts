import { ModelConfig } from '../src/model/config';

/** A model small enough for unit tests but with every component (2 layers, 4 heads, MLP). */
export const TINY: ModelConfig = { vocabSize: 12, contextLength: 32, dModel: 32, nLayers: 2, nHeads: 4, mlpRatio: 2, dropout: 0 };

/** A fixed corpus: each row walks the cycle 1→2→…→10→1 from a start given by the row index. */
export function cycleRows(n: number, len: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: len }, (_, j) => 1 + ((i * 3 + j) % 10)));
}
