/** danfojs DataFrames of the reported tables, shaped like the paper prints them. */
import { dfd, type DataFrame } from './danfo';
import { PAPER_TABLES, loadAllReported, type PaperTableName, type ReportedRow } from './reported';
import { FIG1_REWARDS, STRATEGY_SUBSETS, figure1Models, headlineGains, table1Rows, table2Rows, table3Rows } from './views';

const r1 = (v: number): number => Math.round(v * 10) / 10;

/** Fig. 1 (v1): one row per model; base accuracy and the gain per reward. */
export function figure1Frame(models = figure1Models()): DataFrame {
  return new dfd.DataFrame(
    models.map((m) => {
      const o: Record<string, string | number> = { model: m.model, before_rl: m.base };
      for (const rw of FIG1_REWARDS) o[rw] = m.gains[rw];
      return o;
    }),
  );
}

/** Qwen2.5-Math-7B headline gains, v1 vs v2, with the v2 − v1 difference. */
export function headlineFrame(rows = headlineGains()): DataFrame {
  return new dfd.DataFrame(rows.map((r) => ({ reward: r.reward, v1: r.v1, v2: r.v2, v2_minus_v1: r1(r.v2 - r.v1) })));
}

/** Table 1 (v1); models that never wrote code have empty accuracy cells. */
export function table1Frame(rows = table1Rows()): DataFrame {
  return new dfd.DataFrame(
    rows.map((r) => ({
      model: r.model,
      code_frequency: r.codeFrequency,
      acc_with_code: r.accWithCode ?? NaN,
      acc_lang_only: r.accLangOnly ?? NaN,
    })),
  );
}

/** Table 2 (v1) with a row-sum column (the printed shares need not add to exactly 100). */
export function table2Frame(rows = table2Rows()): DataFrame {
  return new dfd.DataFrame(
    rows.map((r) => {
      const o: Record<string, string | number> = { model: r.model, avg_total_gain: r.avgTotalGain };
      for (const s of STRATEGY_SUBSETS) o[s] = r.contribution[s];
      o.sum = r1(STRATEGY_SUBSETS.reduce((a, s) => a + r.contribution[s], 0));
      return o;
    }),
  );
}

/** Table 3 (v1): original vs code-forcing prompt. */
export function table3Frame(rows = table3Rows()): DataFrame {
  return new dfd.DataFrame(rows.map((r) => ({ model: r.model, original: r.original, prompted: r.prompted, abs_diff: r.diff })));
}

/** What is in datasets/paper/: one row per file with its row count and the figures/tables it covers. */
export function inventoryFrame(rows: readonly ReportedRow[] = loadAllReported()): DataFrame {
  const byFile = (Object.keys(PAPER_TABLES) as PaperTableName[]).map((name) => {
    const file = PAPER_TABLES[name];
    const mine = rows.filter((r) => r.source.file.endsWith(file));
    return {
      table: name,
      file: `datasets/paper/${file}`,
      rows: mine.length,
      papers: [...new Set(mine.map((r) => r.paper))].join(' '),
      versions: [...new Set(mine.map((r) => r.version))].join(' '),
      covers: [...new Set(mine.map((r) => r.figureOrTable))].join('; '),
    };
  });
  return new dfd.DataFrame(byFile);
}
