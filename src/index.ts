/** Public API of the workbook library. Notebooks and CLIs import from here. */
export * from './engine/backend';
export * from './engine/rng';
export * from './engine/adamw';
export * from './engine/clip';
export * from './engine/schedule';
export * from './engine/tokenizer';
export * from './engine/train';
export * from './engine/checkpoint';
export * from './model/config';
export * from './model/transformer';
export * from './model/sample';
export * from './model/batch';
export * from './model/flat';
export * from './engine/jobs';
export * from './engine/pool';
export * from './paper/index';
export * from './plot/index';
export * from './grader/index';
export * from './benchmarks/index';
export * from './analysis/index';
export * from './rl/surrogate';
// Namespaced: the theory modules use generic names (meanCI, column) that should not crowd the flat API.
export * as theory from './theory/index';
export * from './engine/progress';
