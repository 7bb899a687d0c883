/** Analyses over graded responses (code reasoning, strategy switching; Paper A Sec. 4). */
export * from './codeReasoning';
export * from './promptShares';
