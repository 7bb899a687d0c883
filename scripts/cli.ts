/** Command-line flags for the scripts: `--name value`, with one-line errors naming the flag. */

/** The value after `--name`, or undefined when the flag is absent. */
export function flag(name: string, argv = process.argv): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
  return v;
}

/** A numeric flag; `integer` and `min` constrain it. */
export function numFlag(name: string, opts: { integer?: boolean; min?: number } = {}, argv = process.argv): number | undefined {
  const v = flag(name, argv);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min)) {
    throw new Error(`--${name} must be ${opts.integer ? 'an integer' : 'a number'}${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}, got '${v}'`);
  }
  return n;
}

export function hasFlag(name: string, argv = process.argv): boolean {
  return argv.includes(`--${name}`);
}
