/**
 * Command-line flags for the scripts. Each script declares its flags once and `parseFlags` parses
 * them with `node:util` parseArgs in strict mode, so a typo (`--clipmode`) is an error listing the
 * known flags instead of being ignored while the run silently uses the default. Every error is one
 * line naming the flag.
 */
import { parseArgs } from 'node:util';

export type FlagSpec =
  | { readonly type: 'string'; readonly default?: string; readonly choices?: readonly string[] }
  | { readonly type: 'number'; readonly default?: number; readonly integer?: boolean; readonly min?: number }
  | { readonly type: 'boolean' };

export type FlagsSpec = Readonly<Record<string, FlagSpec>>;

type ValueOf<F> = F extends { type: 'boolean' } ? boolean
  : F extends { type: 'number'; default: number } ? number
  : F extends { type: 'number' } ? number | undefined
  : F extends { type: 'string'; default: string } ? string
  : string | undefined;

/** Parsed flags, keyed by flag name (`--clip-mode` → `flags['clip-mode']`), plus the positional arguments. */
export type Flags<S extends FlagsSpec> = { -readonly [K in keyof S]: ValueOf<S[K]> } & { positionals: string[] };

/**
 * Parses `argv` (default: this process's arguments) against `spec`. Strings and numbers take a
 * value (`--k 4`, `--gamma -1` or `--k=4`), booleans none. Positional arguments are an error
 * unless `opts.positionals`.
 */
export function parseFlags<const S extends FlagsSpec>(spec: S, argv: readonly string[] = process.argv.slice(2), opts: { positionals?: boolean } = {}): Flags<S> {
  const names = Object.keys(spec);
  const known = names.map((n) => `--${n}`).join(', ');
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: joinValues(argv, spec),
      options: Object.fromEntries(names.map((n) => [n, { type: spec[n].type === 'boolean' ? 'boolean' as const : 'string' as const }])),
      strict: true,
      allowPositionals: opts.positionals ?? false,
    });
  } catch (e) {
    throw new Error(flagError(e, known));
  }
  const out: Record<string, unknown> = { positionals: parsed.positionals };
  for (const n of names) {
    const s = spec[n];
    const v = parsed.values[n];
    if (s.type === 'boolean') out[n] = v === true;
    else if (s.type === 'string') {
      if (typeof v === 'string' && s.choices && !s.choices.includes(v)) throw new Error(`--${n} must be one of ${s.choices.join(', ')}, got '${v}'`);
      out[n] = typeof v === 'string' ? v : s.default;
    } else out[n] = typeof v === 'string' ? toNumber(n, v, s) : s.default;
  }
  return out as Flags<S>;
}

/**
 * `--name value` → `--name=value` for flags that take a value, as long as the value does not start
 * with `--`: parseArgs would otherwise refuse values like `-0.5` as looking like an option, and no
 * script has short options.
 */
function joinValues(argv: readonly string[], spec: FlagsSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { out.push(...argv.slice(i)); break; }
    const s = a.startsWith('--') && !a.includes('=') ? spec[a.slice(2)] : undefined;
    if (s && s.type !== 'boolean' && i + 1 < argv.length && !argv[i + 1].startsWith('--')) out.push(`${a}=${argv[++i]}`);
    else out.push(a);
  }
  return out;
}

function toNumber(name: string, v: string, s: { integer?: boolean; min?: number }): number {
  const n = v.trim() === '' ? NaN : Number(v);
  if (!Number.isFinite(n) || (s.integer && !Number.isInteger(n)) || (s.min !== undefined && n < s.min)) {
    throw new Error(`--${name} must be ${s.integer ? 'an integer' : 'a number'}${s.min !== undefined ? ` ≥ ${s.min}` : ''}, got '${v}'`);
  }
  return n;
}

/** parseArgs's multi-line messages, rewritten as one line naming the flag. */
function flagError(e: unknown, known: string): string {
  const err = e as { code?: string; message?: string };
  const msg = err.message ?? String(e);
  const opt = /^Option '(-{1,2}[^' ]+)/.exec(msg)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${/'([^']+)'/.exec(msg)?.[1] ?? msg} (${known ? `known: ${known}` : 'this command takes no flags'})`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${/'([^']*)'/.exec(msg)?.[1] ?? msg}' (${known ? `this command takes only flags: ${known}` : 'this command takes no arguments'})`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (opt && /does not take an argument/.test(msg)) return `${opt} takes no value`;
      if (opt) return `${opt} needs a value`;
      return msg.split('\n')[0];
    default:
      return msg.split('\n')[0];
  }
}
