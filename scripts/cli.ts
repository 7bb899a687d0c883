/**
 * Command-line flags for the scripts. Each script declares its flags once and `parseFlags` parses
 * them with `node:util` parseArgs in strict mode, so a typo (`--clipmode`) is an error listing the
 * known flags instead of being ignored while the run silently uses the default. Every error is one
 * line naming the flag. `--help` on any command prints its flags (type, default, description) and
 * exits 0, so every script documents itself from the one declaration it parses with.
 */
import * as path from 'path';
import { parseArgs } from 'node:util';

/** `description`: one line for `--help`. */
export type FlagSpec =
  | { readonly type: 'string'; readonly default?: string; readonly choices?: readonly string[]; readonly description?: string }
  | { readonly type: 'number'; readonly default?: number; readonly integer?: boolean; readonly min?: number; readonly description?: string }
  | { readonly type: 'boolean'; readonly description?: string };

export type FlagsSpec = Readonly<Record<string, FlagSpec>>;

type ValueOf<F> = F extends { type: 'boolean' } ? boolean
  : F extends { type: 'number'; default: number } ? number
  : F extends { type: 'number' } ? number | undefined
  : F extends { type: 'string'; default: string } ? string
  : string | undefined;

/** Parsed flags, keyed by flag name (`--clip-mode` → `flags['clip-mode']`), plus the positional arguments. */
export type Flags<S extends FlagsSpec> = { -readonly [K in keyof S]: ValueOf<S[K]> } & { positionals: string[] };

export interface ParseOptions {
  /** Allow positional arguments (otherwise they are an error). */
  positionals?: boolean;
  /** How the command is invoked, for `--help` (default: derived from npm's script name or the script file, plus any subcommand). */
  command?: string;
  /** Extra lines `--help` prints under the usage line (e.g. which flags are required together). */
  about?: string;
}

/**
 * Parses `argv` (default: this process's arguments) against `spec`. Strings and numbers take a
 * value (`--k 4`, `--gamma -1` or `--k=4`), booleans none. Positional arguments are an error
 * unless `opts.positionals`. `--help` (unless the spec declares its own) prints {@link helpText}
 * to stdout and exits 0, whatever else is on the line.
 */
export function parseFlags<const S extends FlagsSpec>(spec: S, argv: readonly string[] = process.argv.slice(2), opts: ParseOptions = {}): Flags<S> {
  const names = Object.keys(spec);
  const known = names.map((n) => `--${n}`).join(', ');
  const args = joinValues(argv, spec);
  const end = args.indexOf('--');
  if (!('help' in spec) && (end < 0 ? args : args.slice(0, end)).includes('--help')) {
    process.stdout.write(helpText(spec, { ...opts, command: opts.command ?? invokedAs(argv) }));
    process.exit(0);
  }
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
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

/** What `--help` shows for one flag's value: its choices, or its type and bound. */
function valueHint(s: FlagSpec): string {
  if (s.type === 'boolean') return '';
  if (s.type === 'string') return s.choices ? ` ${s.choices.join('|')}` : ' <string>';
  return ` <${s.integer ? 'integer' : 'number'}${s.min !== undefined ? ` ≥ ${s.min}` : ''}>`;
}

/** The `--help` text: usage line, `opts.about`, then one line per flag with its type, default and description. */
export function helpText(spec: FlagsSpec, opts: ParseOptions = {}): string {
  const rows: [string, string][] = Object.entries(spec).map(([name, s]) => {
    const notes = [s.description, s.type === 'boolean' ? 'switch, off unless given' : s.default !== undefined ? `default: ${s.default}` : undefined];
    return [`--${name}${valueHint(s)}`, notes.filter((n) => n !== undefined).join('; ')];
  });
  rows.push(['--help', 'print this help and exit']);
  // a flag with a long list of choices gets its notes on the next line rather than widening every row
  const width = Math.min(32, Math.max(...rows.map(([f]) => f.length)));
  const line = ([f, n]: [string, string]) => (!n ? `  ${f}` : f.length <= width ? `  ${f.padEnd(width)}  ${n}` : `  ${f}\n  ${' '.repeat(width)}  ${n}`);
  const args = `${rows.length > 1 ? ' [flags]' : ''}${opts.positionals ? ' [arguments]' : ''}`;
  const usage = `usage: ${(opts.command ?? invokedAs(process.argv.slice(2))).replace(/ --$/, args ? ' --' : '')}${args}`;
  return [usage, ...(opts.about ? ['', opts.about] : []), '', 'flags:', ...rows.map(line), ''].join('\n');
}

/**
 * How this process was invoked, up to where `argv` begins: `npm run <script> --` when npm started
 * it (else `tsx <file>`), plus the words before `argv` (a subcommand such as `export`).
 */
function invokedAs(argv: readonly string[]): string {
  const all = process.argv.slice(2);
  const isSuffix = argv.length <= all.length && argv.every((a, i) => all[all.length - argv.length + i] === a);
  const sub = isSuffix ? all.slice(0, all.length - argv.length) : [];
  const event = process.env.npm_lifecycle_event;
  const script = process.argv[1] ? path.relative(process.cwd(), process.argv[1]) : 'script';
  const base = event && process.env.npm_lifecycle_script?.includes(path.basename(script)) ? `npm run ${event} --` : `tsx ${script}`;
  return [base, ...sub].join(' ');
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
