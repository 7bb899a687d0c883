/**
 * JSON Lines, the format of every log: one reader, so that every log treats a torn write the
 * same way. Logs are appended a row at a time, so a kill mid-append leaves a torn *last* line:
 * that row was never written and is dropped (with a warning naming the file). A bad line
 * anywhere else is corruption, not an interrupted write, and is an error naming file:line.
 */
import * as fs from 'fs';

export interface ReadJsonlOptions<T> {
  /** Validates and converts one parsed row; `at` is "file:line" for its errors. */
  parse?: (value: unknown, at: string) => T;
  /** 'throw' for files written atomically (datasets), where a torn last line cannot come from a kill. */
  tornTail?: 'drop' | 'throw';
}

/** The rows of a JSONL file (blank lines skipped); a missing file has none. */
export function readJsonl<T = unknown>(file: string, opts: ReadJsonlOptions<T> = {}): T[] {
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let last = lines.length - 1;
  while (last >= 0 && lines[last].trim() === '') last--;
  const rows: T[] = [];
  for (let i = 0; i <= last; i++) {
    if (lines[i].trim() === '') continue;
    const at = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(lines[i]);
    } catch (e) {
      if (i === last && opts.tornTail !== 'throw') {
        console.error(`${at}: dropped a torn last line (${lines[i].length} chars, an interrupted write)`);
        break;
      }
      throw new Error(`${at}: invalid JSON (${(e as Error).message})`);
    }
    rows.push(opts.parse ? opts.parse(value, at) : (value as T));
  }
  return rows;
}

/** Appends one row as one line (a single write, so a kill can only tear this row). */
export function appendJsonl(file: string, row: unknown): void {
  fs.appendFileSync(file, JSON.stringify(row) + '\n');
}

/** The text of a JSONL file holding `rows`. */
export function jsonlText(rows: readonly unknown[]): string {
  return rows.map((r) => JSON.stringify(r) + '\n').join('');
}
