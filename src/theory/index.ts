/** The clipping-bias derivation (Paper A, Appendix B) as small executable modules. */
export * from './clipGradient';
export * from './advantage';
export * from './bias';
export * from './band';
export * from './simulate';
export * from './summary';
export * from './clipRuns';
export * from './checks';
