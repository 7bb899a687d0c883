// Worker bootstrap: registers the TypeScript loader, then runs the worker module.
require('tsx/cjs');
require('./worker.ts');
