/** The tiny tokenizer lives in src/real/tinyTokenizer.ts (notebook 09 builds one too); re-exported for the tests. */
export * from '../../src/real/tinyTokenizer';
