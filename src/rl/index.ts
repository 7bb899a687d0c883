/** GRPO, rewards, the experiment grid and its results, for notebooks and scripts. */
export * from '../model/surrogate';
export * from './advantage';
export * from './rewards';
export * from './config';
export * from './evaluate';
export * from './labels';
export * from './grpo';
export * from './grid';
export * from './results';
export * from './frames';
export * from './phase';
export * from './phaseTable';
export * from './contaminationTable';
