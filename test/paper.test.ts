import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CsvFormatError,
  FIG1_REWARDS,
  PAPER_TABLES,
  figure1Frame,
  figure1Models,
  headlineGains,
  loadAllReported,
  loadReported,
  loadReportedFile,
  parseCsv,
  parseReportedCsv,
  reportedFrame,
  table1Rows,
  table2Rows,
  table3Rows,
} from '../src/paper/index';

const HEADER = 'paper,version,figure_or_table,model,reward_or_metric,quantity,value,unit,note';

describe('datasets/paper', () => {
  it('every file loads, and every row says where it was read', () => {
    const rows = loadAllReported();
    expect(rows.length).toBeGreaterThan(140);
    for (const r of rows) {
      expect(r.note.length).toBeGreaterThan(5);
      expect(Number.isFinite(r.value)).toBe(true);
      expect(r.source.file).toMatch(/^datasets\/paper\/.+\.csv$/);
    }
    expect(Object.keys(PAPER_TABLES).length).toBe(9);
  });

  it('Fig. 1 matches PAPER-NOTES.md for all four models', () => {
    const m = Object.fromEntries(figure1Models().map((x) => [x.model, x]));
    expect(Object.keys(m)).toEqual(['Qwen2.5-Math-7B', 'Qwen2.5-7B', 'Llama3.1-8B-Instruct', 'OLMo2-7B']);
    expect(m['Qwen2.5-Math-7B'].base).toBe(49.4);
    expect(FIG1_REWARDS.map((r) => m['Qwen2.5-Math-7B'].gains[r])).toEqual([28.8, 26.5, 24.4, 16.4, 24.6, 21.4]);
    expect(FIG1_REWARDS.map((r) => m['Qwen2.5-7B'].gains[r])).toEqual([33.3, 31.4, 17.6, 4.2, 28.5, 7.7]);
    expect(FIG1_REWARDS.map((r) => m['Llama3.1-8B-Instruct'].gains[r])).toEqual([11.0, 11.6, -0.6, 6.1, 1.3, -4.9]);
    expect(FIG1_REWARDS.map((r) => m['OLMo2-7B'].gains[r])).toEqual([13.9, -7.4, -3.6, 0.0, -6.7, -8.5]);
    expect(m['OLMo2-7B'].base).toBe(9.0);
  });

  it('v1 and v2 headline gains', () => {
    const h = Object.fromEntries(headlineGains().map((x) => [x.reward, x]));
    expect(h.format).toEqual({ reward: 'format', v1: 16.4, v2: 13.8 });
    expect(h.random.v1).toBe(h.random.v2);
    expect(h.one_shot).toEqual({ reward: 'one_shot', v1: 24.4, v2: 26.0 });
  });

  it('Tables 1-3', () => {
    const t1 = Object.fromEntries(table1Rows().map((r) => [r.model, r]));
    expect(t1['Qwen2.5-7B']).toEqual({ model: 'Qwen2.5-7B', codeFrequency: 92.2, accWithCode: 39.9, accLangOnly: 61.5 });
    expect(t1['Llama3.2-3B-Instruct'].codeFrequency).toBe(0);
    expect(t1['Llama3.2-3B-Instruct'].accWithCode).toBeNull();
    const t2 = Object.fromEntries(table2Rows().map((r) => [r.model, r]));
    expect(t2['Qwen2.5-Math-1.5B'].contribution.lang_to_code).toBe(78.7);
    expect(t2['Qwen2.5-Math-7B'].avgTotalGain).toBe(23.5);
    const t3 = table3Rows();
    expect(t3).toHaveLength(8);
    for (const r of t3) expect(r.prompted - r.original).toBeCloseTo(r.diff, 5);
  });

  it('danfojs frames', () => {
    const df = figure1Frame();
    expect(df.shape).toEqual([4, 8]);
    expect(df.columns).toEqual(['model', 'before_rl', ...FIG1_REWARDS]);
    const long = reportedFrame(loadReported('table3'), ['model', 'reward_or_metric', 'value']);
    expect(long.shape).toEqual([24, 3]);
  });
});

describe('malformed rows are rejected with file and line', () => {
  const bad = (body: string) => () => parseReportedCsv(`${HEADER}\n${body}\n`, 'datasets/paper/x.csv');
  const good = 'A,v1,Fig. 1,M,random,gain,1.5,pct,bar label';

  it('names the file and the line in a one-line message', () => {
    expect(bad(`${good}\nA,v1,Fig. 1,M,random2,gain,abc,pct,bar label`)).toThrow(/^datasets\/paper\/x\.csv:3: value is not a number: "abc"$/);
    let msg = '';
    try {
      bad(`${good}\n${good.replace('A,', 'C,')}`)();
    } catch (e) {
      msg = (e as Error).message;
      expect(e).toBeInstanceOf(CsvFormatError);
      expect((e as CsvFormatError).line).toBe(3);
    }
    expect(msg).toBe('datasets/paper/x.csv:3: paper must be A or B, got "C"');
    expect(msg).not.toContain('\n');
  });

  it.each([
    ['too few fields', 'A,v1,Fig. 1,M,random,gain,1.5,pct', /x\.csv:2: expected 9 fields, got 8/],
    ['bad version', 'A,version1,Fig. 1,M,random,gain,1.5,pct,n', /x\.csv:2: version/],
    ['empty note', 'A,v1,Fig. 1,M,random,gain,1.5,pct,', /x\.csv:2: empty note/],
    ['empty value', 'A,v1,Fig. 1,M,random,gain,,pct,n', /x\.csv:2: value is not a number/],
    ['duplicate', `${good}\n${good}`, /x\.csv:3: duplicate of line 2/],
    ['unterminated quote', 'A,v1,Fig. 1,M,random,gain,1.5,pct,"open', /x\.csv:2: unterminated quoted field/],
  ])('%s', (_name, body, re) => {
    expect(bad(body)).toThrow(re);
  });

  it('rejects a wrong header', () => {
    expect(() => parseReportedCsv('paper,version\nA,v1\n', 'h.csv')).toThrow(/^h\.csv:1: bad header/);
  });

  it('counts lines inside quoted multi-line fields', () => {
    const recs = parseCsv('a,b\n"x\ny",2\nz,3\n', 'q.csv');
    expect(recs.map((r) => r.line)).toEqual([1, 2, 4]);
    expect(recs[1].fields).toEqual(['x\ny', '2']);
  });

  it('loading a malformed file from disk reports its path and line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-paper-'));
    const f = path.join(dir, 'broken.csv');
    fs.writeFileSync(f, `${HEADER}\n${good}\n${good.replace('1.5', '1.5.2')}\n`);
    expect(() => loadReportedFile(f)).toThrow(new RegExp(`broken\\.csv:3: value is not a number: "1\\.5\\.2"`));
  });
});
