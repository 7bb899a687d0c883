/** Public API of the workbook library. Notebooks and CLIs import from here. */
export * from './engine/backend';
