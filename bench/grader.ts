/**
 * Grader cost on hostile input: every pair of test/fixtures/grader-inputs.ts (malformed LaTeX,
 * huge numbers, deep nesting, factorials of 10^9, …) against the cost of ordinary pairs (MATH-500
 * golds against themselves and against the next problem's gold), both measured in one run. The
 * ratios are what count; absolute times depend on the machine and its load.
 *
 *   npm run bench:grader -- [--json] [--top 5]
 *
 * test/grader.forms.test.ts checks that every hostile pair gives a boolean; this is where its
 * former wall-clock bound went (a timed assert fails on a busy machine, not on a slow grader).
 */
import { loadBenchmark } from '../src/benchmarks';
import { isEquivalent } from '../src/grader';
import { parseFlags } from '../scripts/cli';
import { GOLDS, NASTY } from '../test/fixtures/grader-inputs';

type Pair = readonly [string, string];

/** Milliseconds per pair, each pair graded once (the grader caches parses: a second pass would time the cache). */
function timePairs(pairs: readonly Pair[]): number[] {
  return pairs.map(([a, b]) => {
    const t0 = performance.now();
    isEquivalent(a, b);
    return performance.now() - t0;
  });
}

const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 3): number => +x.toFixed(digits);

function main(): void {
  const f = parseFlags({ json: { type: 'boolean' }, top: { type: 'number', integer: true, min: 1, default: 5 } });
  const golds = loadBenchmark('math500').map((p) => p.answer);
  const ordinary: Pair[] = golds.flatMap((g, i) => [[g, g], [g, golds[(i + 1) % golds.length]]] as Pair[]);
  // The same pairs, in the same order, as the test's never-throws check.
  const nasty: Pair[] = NASTY.flatMap((a) => [...NASTY, ...GOLDS].map((b) => [a, b] as Pair));
  // Warm-up on other strings, so the first timed pairs do not pay for loading mathjs.
  timePairs([['\\frac{1}{2}', '0.5'], ['x \\ge 3', '[3,\\infty)'], ['(1,2)', '(2,1)']]);
  const tOrd = timePairs(ordinary);
  const tNasty = timePairs(nasty);
  const perOrd = sum(tOrd) / tOrd.length;
  const perNasty = sum(tNasty) / tNasty.length;
  const slowest = tNasty.map((ms, i) => ({ ms, i })).sort((a, b) => b.ms - a.ms).slice(0, f.top);
  const result = {
    ordinary_pairs: ordinary.length,
    ordinary_total_s: round(sum(tOrd) / 1000),
    ordinary_ms_per_pair: round(perOrd),
    nasty_pairs: nasty.length,
    nasty_total_s: round(sum(tNasty) / 1000),
    nasty_ms_per_pair: round(perNasty),
    ratio_per_pair: round(perNasty / perOrd, 2),
    ratio_slowest_nasty_to_median_ordinary: round(slowest[0].ms / median(tOrd), 1),
    slowest_nasty: slowest.map(({ ms, i }) => ({ ms: round(ms, 1), pred: nasty[i][0].slice(0, 40), gold: nasty[i][1].slice(0, 40) })),
  };
  if (f.json) console.log(JSON.stringify(result));
  else {
    for (const [k, v] of Object.entries(result)) if (k !== 'slowest_nasty') console.log(`${k.padEnd(40)} ${v}`);
    console.log(`slowest ${f.top} nasty pairs (ms, prediction vs gold, first 40 characters):`);
    for (const s of result.slowest_nasty) console.log(`  ${String(s.ms).padStart(8)}  ${JSON.stringify(s.pred)} vs ${JSON.stringify(s.gold)}`);
  }
}

try {
  main();
} catch (e) {
  console.error(`bench:grader: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
