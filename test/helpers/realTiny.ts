/** The tiny random-weight checkpoints live in src/real/tinyCheckpoint.ts (notebook 09 builds one too); re-exported for the tests. */
export * from '../../src/real/tinyCheckpoint';
