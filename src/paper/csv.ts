/** A small RFC 4180 CSV reader that keeps the 1-based line number of every record. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'CsvFormatError';
  }
}

/** Splits `text` into records; quoted fields may contain commas, doubled quotes and newlines. */
export function parseCsv(text: string, file: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let atFieldStart = true;
    let ended = false;
    while (i < n && !ended) {
      const c = text[i];
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            quoted = false;
            i += 1;
            if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
              throw new CsvFormatError(file, line, 'unexpected character after closing quote');
            }
          }
        } else {
          if (c === '\n') line += 1;
          field += c;
          i += 1;
        }
      } else if (c === '"' && atFieldStart) {
        quoted = true;
        atFieldStart = false;
        i += 1;
      } else if (c === '"') {
        throw new CsvFormatError(file, line, 'stray quote inside an unquoted field');
      } else if (c === ',') {
        fields.push(field);
        field = '';
        atFieldStart = true;
        i += 1;
      } else if (c === '\r' || c === '\n') {
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line += 1;
        ended = true;
      } else {
        field += c;
        atFieldStart = false;
        i += 1;
      }
    }
    if (quoted) throw new CsvFormatError(file, startLine, 'unterminated quoted field');
    fields.push(field);
    const blank = fields.length === 1 && fields[0] === '';
    if (!blank) out.push({ line: startLine, fields });
  }
  return out;
}
