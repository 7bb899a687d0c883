/** Paper B's contamination audit (partial prompts, ROUGE-L, EM, answer accuracy) and its continuous RandomCalculation reward. */
export * from './truncate';
export * from './rouge';
export * from './accuracy';
export * from './audit';
export * from './reward';
export { pyRstrip, pyStrip, pySplit, isPySpace } from './text';
