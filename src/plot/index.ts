/** Figures: colours, plotly specs built from data, PNG/HTML export, notebook display. */
export * from './colors';
export * from './spec';
export * from './layout';
export * from './reported-figures';
export * from './paperB';
export * from './clipBias';
export * from './clipText';
export * from './render';
export * from './png-info';
export * from './notebook';
export * from './catalog';
export * from './standin';
export * from './phase';
export * from './contamination';
export * from './logCurves';
export * from './ladder';
