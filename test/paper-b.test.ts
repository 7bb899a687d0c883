import {
  CsvFormatError,
  PAPER_B_TABLES,
  loadAllPaperB,
  loadPaperB,
  loadReported,
  paperBOtherContamination,
  paperBSetting,
  paperBTable2,
  paperBTable3,
  paperBTable4,
  paperBTable5,
  parseReportedCsv,
} from '../src/paper/index';

// Expected values are typed by hand from ../shared/reference/PAPER-B-NOTES.md, section 4.

describe("Paper B's reported tables", () => {
  it('every file loads with its row count, and every row is paper B v3 or says its version is unknown', () => {
    const counts = Object.fromEntries(Object.keys(PAPER_B_TABLES).map((t) => [t, loadPaperB(t as keyof typeof PAPER_B_TABLES).length]));
    expect(counts).toEqual({ table2: 90, table3: 9, table4: 4, table5: 32, other: 6, setup: 27 });
    for (const r of loadAllPaperB()) {
      expect(r.paper).toBe('B');
      expect(['v3', 'unknown']).toContain(r.version);
      expect(r.note).toMatch(/^PAPER-B-NOTES\.md sec\. \d/);
      expect(r.source.file).toMatch(/^datasets\/paper\/paper_b_.+\.csv$/);
    }
  });

  it('Table 2: 3 models × 5 benchmarks × 3 prefixes, spot cells', () => {
    const cells = paperBTable2();
    expect(cells).toHaveLength(45);
    const at = (model: string, benchmark: string, prefix: number) => {
      const c = cells.find((x) => x.model === model && x.benchmark === benchmark && x.prefix === prefix);
      if (!c) throw new Error(`no cell ${model} ${benchmark} ${prefix}`);
      return [c.rougeL, c.exactMatch];
    };
    expect(at('Qwen2.5-Math-7B', 'math500', 80)).toEqual([81.25, 65.8]);
    expect(at('Qwen2.5-Math-7B', 'math500', 60)).toEqual([78.06, 54.6]);
    expect(at('Qwen2.5-Math-7B', 'amc', 40)).toEqual([75.17, 36.14]);
    expect(at('Qwen2.5-Math-7B', 'aime2025', 60)).toEqual([34.88, 0]);
    expect(at('Qwen2.5-7B', 'aime2024', 80)).toEqual([59.8, 30]);
    expect(at('Qwen2.5-7B', 'livemathbench', 40)).toEqual([27.95, 0]);
    expect(at('Llama3.1-8B', 'math500', 40)).toEqual([32.07, 0.6]);
    expect(at('Llama3.1-8B', 'livemathbench', 80)).toEqual([35.55, 5]);
  });

  it('Table 2 agrees with the 60% cells of the older paper_b_contamination.csv', () => {
    const old = loadReported('paperB');
    const cells = paperBTable2();
    const pairs: [string, string, string][] = [];
    for (const r of old.filter((x) => /_prefix60$/.test(x.rewardOrMetric))) {
      const bench = r.rewardOrMetric.replace(/_prefix60$/, '');
      const c = cells.find((x) => x.model === r.model && x.benchmark === bench && x.prefix === 60);
      expect(c).toBeDefined();
      expect(r.value).toBe(r.quantity === 'rouge_l' ? c!.rougeL : c!.exactMatch);
      pairs.push([r.model, bench, r.quantity]);
    }
    expect(pairs).toHaveLength(9);
  });

  it('Table 5: answer accuracy at 100/80/60/40 %', () => {
    const rows = paperBTable5();
    const row = (model: string, benchmark: string) =>
      [100, 80, 60, 40].map((p) => rows.find((r) => r.model === model && r.benchmark === benchmark && r.prefix === p)?.accuracy);
    expect(row('Qwen2.5-Math-7B', 'math500')).toEqual([72.2, 63.8, 53.6, 41.2]);
    expect(row('Qwen2.5-Math-7B', 'amc')).toEqual([53.0, 53.0, 43.4, 43.4]);
    expect(row('Qwen2.5-Math-7B', 'aime2024')).toEqual([13.3, 13.3, 13.3, 13.3]);
    expect(row('Qwen2.5-Math-7B', 'aime2025')).toEqual([16.7, 3.3, 0, 0]);
    expect(row('Qwen2.5-Math-7B', 'livemathbench')).toEqual([7, 9, 2, 3]);
    expect(row('Qwen2.5-7B', 'math500')).toEqual([67.6, 49.6, 30.8, 18.4]);
    expect(row('Llama3.1-8B', 'math500')).toEqual([1.6, 2.0, 2.4, 2.0]);
    expect(row('Llama3.1-8B', 'livemathbench')).toEqual([0, 2, 1, 1]);
  });

  it('Table 4: the chat template costs Qwen2.5-Math-7B about 20 points', () => {
    const t = paperBTable4();
    const acc = (decoding: string, chatTemplate: boolean) => t.find((x) => x.decoding === decoding && x.chatTemplate === chatTemplate)?.accuracy;
    expect([acc('greedy', false), acc('greedy', true), acc('avg16', false), acc('avg16', true)]).toEqual([72.2, 50.6, 68.5, 48.8]);
    expect(new Set(t.map((x) => x.model))).toEqual(new Set(['Qwen2.5-Math-7B']));
  });

  it('Table 3: similarity before vs. after RL', () => {
    const t = paperBTable3();
    const v = (dataset: string, reward: string) => t.find((x) => x.dataset === dataset && x.reward === reward)?.rougeL;
    expect([v('math500', 'correct'), v('math500', 'random'), v('math500', 'mv_incorrect')]).toEqual([0.555, 0.601, 0.563]);
    expect([v('randomcalc5', 'correct'), v('randomcalc5', 'random'), v('randomcalc5', 'mv_incorrect')]).toEqual([0.225, 0.247, 0.251]);
    expect([v('randomcalc10', 'correct'), v('randomcalc10', 'random'), v('randomcalc10', 'mv_incorrect')]).toEqual([0.193, 0.251, 0.279]);
  });

  it('Tables 9 and 14 and the MinervaMath bound', () => {
    const o = paperBOtherContamination();
    const em = (table: string, model: string) => o.find((x) => x.table === table && x.model === model)?.value;
    expect(em('Table 9', 'Qwen3-8B-Base')).toBe(32.0);
    expect(em('Table 9', 'Qwen3-14B-Base')).toBe(43.6);
    expect([em('Table 14', 'Qwen2.5-Math-7B'), em('Table 14', 'Qwen2.5-7B'), em('Table 14', 'Llama3.1-8B')]).toEqual([56.6, 85.7, 4.4]);
    expect(o.find((x) => x.table === 'Table 14')?.prefix).toBe(80);
    const minerva = o.find((x) => x.benchmark === 'minervamath');
    expect(minerva).toMatchObject({ prefix: null, quantity: 'exact_match_max', value: 2.94 });
  });

  it('setup: hyper-parameters, decoding and benchmark sizes', () => {
    expect(paperBSetting('rl', 'learning_rate').value).toBe(5e-7);
    expect(paperBSetting('rl', 'samples_per_prompt').value).toBe(16);
    expect(paperBSetting('rl', 'train_batch_size').value).toBe(128);
    expect(paperBSetting('avg16', 'top_k').value).toBe(20);
    expect(paperBSetting('avg16', 'temperature').value).toBe(0.7);
    expect(paperBSetting('amc', 'problems').value).toBe(83);
    expect(paperBSetting('minervamath', 'problems').value).toBe(272);
    expect(paperBSetting('randomcalculation', 'reward_epsilon').value).toBe(1e-6);
    expect(() => paperBSetting('rl', 'kl_beta')).toThrow('datasets/paper/paper_b_setup.csv: no row rl/kl_beta');
  });
});

describe('typed views reject malformed rows with file:line', () => {
  const HEADER = 'paper,version,figure_or_table,model,reward_or_metric,quantity,value,unit,note';
  const file = 'datasets/paper/x.csv';
  const rows = (body: string) => parseReportedCsv(`${HEADER}\n${body}\n`, file);
  const message = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(CsvFormatError);
      return (e as Error).message;
    }
    throw new Error('did not throw');
  };

  it('Table 2', () => {
    const ok = 'B,v3,Table 2,M,math500_prefix60,rouge_l,50,pct,note here';
    expect(message(() => paperBTable2(rows(`${ok}\nB,v3,Table 2,M,math500_prefix60,em,5,pct,note here`)))).toBe(
      'datasets/paper/x.csv:3: quantity must be rouge_l or exact_match, got "em"',
    );
    expect(message(() => paperBTable2(rows(ok)))).toBe('datasets/paper/x.csv:2: M math500 60%: needs both rouge_l and exact_match');
    expect(message(() => paperBTable2(rows('B,v3,Table 2,M,math500_prefix70,rouge_l,50,pct,note here')))).toBe(
      'datasets/paper/x.csv:2: prefix must be one of 40/60/80/100, got 70',
    );
    expect(message(() => paperBTable2(rows('B,v3,Table 2,M,gsm8k_prefix60,rouge_l,50,pct,note here')))).toBe('datasets/paper/x.csv:2: unknown benchmark "gsm8k"');
    expect(message(() => paperBTable2(rows('B,v3,Table 2,M,math500_prefix60,rouge_l,150,pct,note here')))).toBe(
      'datasets/paper/x.csv:2: value 150 outside [0, 100] for unit pct',
    );
  });

  it('Tables 3, 4 and 5', () => {
    expect(message(() => paperBTable3(rows('B,v3,Table 3,x,math500_inverted,rouge_l_before_vs_after_rl,0.5,fraction,note here')))).toBe(
      'datasets/paper/x.csv:2: reward_or_metric must be <dataset>_<reward>, got "math500_inverted"',
    );
    expect(message(() => paperBTable4(rows('B,v3,Table 4,x,greedy_template,math500_accuracy,50,pct,note here')))).toBe(
      'datasets/paper/x.csv:2: reward_or_metric must be (greedy|avg16)_(no|with)_template, got "greedy_template"',
    );
    expect(message(() => paperBTable5(rows('B,v3,Table 5,x,math500,answer_accuracy,50,pct,note here')))).toBe(
      'datasets/paper/x.csv:2: reward_or_metric must look like <benchmark>_prefix<percent>, got "math500"',
    );
  });
});
