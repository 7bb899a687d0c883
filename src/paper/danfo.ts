/**
 * danfojs, typed.
 *
 * danfojs 1.2 publishes its types only through the package.json "exports" map, which the
 * project's `moduleResolution: node` does not read, so `import * as dfd from 'danfojs'` fails to
 * type-check (it loads fine at run time). We take the types from the file the export map points
 * at and load the runtime through the ordinary package entry (which node resolves via "exports").
 */
import type * as Danfo from 'danfojs/dist/danfojs-browser/src/index';

// eslint-disable-next-line @typescript-eslint/no-var-requires
export const dfd: typeof Danfo = require('danfojs');
export type DataFrame = Danfo.DataFrame;
