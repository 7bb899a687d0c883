/**
 * `npx tsx scripts/peek-checkpoint.ts DIR [N]`: a quick look at a stand-in checkpoint (shipped or
 * mid-pretraining): greedy and τ=1 accuracy and code frequency on the first N test problems, split
 * by surface form, plus three greedy responses.
 */
import { codeAccuracySummary } from '../src/analysis/codeReasoning';
import { initBackend } from '../src/engine/backend';
import { loadCheckpoint } from '../src/runtime/checkpoint';
import { WorkerPool } from '../src/runtime/pool';
import { Rng } from '../src/engine/rng';
import { loadWorldSplit } from '../src/world/dataset';
import { generate } from '../src/world/generate';
import { checkedSteps } from '../src/world/grade';
import { makeDrill } from '../src/world/corpus';
import { maxNewTokensFor } from '../src/world/priors';
import { worldTokenizer } from '../src/world/vocab';
import { parseFlags } from './cli';

async function main(): Promise<void> {
  const [dir, count = '100', ...extra] = parseFlags({}, process.argv.slice(2), { positionals: true }).positionals;
  if (!dir || extra.length) throw new Error('usage: npx tsx scripts/peek-checkpoint.ts DIR [N]');
  const n = Number(count);
  if (!Number.isInteger(n) || n < 1) throw new Error(`N must be an integer ≥ 1, got '${count}'`);
  await initBackend({ quiet: true });
  const { model, meta } = loadCheckpoint(dir);
  const pool = await WorkerPool.create(model, Number(process.env.SR_WORKERS ?? 0));
  const test = loadWorldSplit('test').slice(0, n);
  const rate = (xs: { correct?: boolean; code?: boolean }[], f: (x: { correct?: boolean; code?: boolean }) => boolean | undefined) => (xs.length ? xs.filter(f).length / xs.length : 0).toFixed(2);
  for (const temperature of [0, 1]) {
    const g = await generate(pool, worldTokenizer(), test, null, { temperature, k: 1, maxNewTokens: maxNewTokensFor(model, test), rng: new Rng(1) });
    const s = codeAccuracySummary(g.map((x) => ({ response: x.response, correct: x.correct })));
    const part = (surface: string) => {
      const xs = g.filter((_, i) => test[i].surface === surface);
      return `${surface}: code ${rate(xs, (x) => x.code)} acc ${rate(xs, (x) => x.correct)}`;
    };
    const st = g.reduce((a, x) => { const c = checkedSteps(x.response); return { steps: a.steps + c.steps, correct: a.correct + c.correct }; }, { steps: 0, correct: 0 });
    console.log(`step ${meta.step} τ=${temperature}: steps right ${st.steps ? (st.correct / st.steps).toFixed(2) : '—'} (${st.steps}) | acc ${rate(g, (x) => x.correct)} code ${s.codeFrequency?.toFixed(2)} acc_code ${s.accuracyWithCode?.toFixed(2) ?? '—'} acc_lang ${s.accuracyLanguageOnly?.toFixed(2) ?? '—'} | ${part('bare')} | ${part('narrative')}`);
    if (temperature === 0) for (let i = 0; i < 3; i++) console.log('  ' + JSON.stringify(test[i].prompt + g[i].response));
  }
  // Arithmetic alone: greedy completion of drill lines "a op b=" (the base corpus's drill format).
  const rng = new Rng(7);
  const tok = worldTokenizer();
  const facts = Array.from({ length: 200 }, () => makeDrill(tok, rng, 1).text);
  const prompts = facts.map((f) => tok.encode(f.slice(0, f.indexOf('=') + 1)));
  const out = await pool.sample({ prompts, maxNewTokens: 3, temperature: 0, rng });
  const right = facts.filter((f, i) => /^\d+/.exec(tok.decode(out.tokens[i]))?.[0] === f.slice(f.indexOf('=') + 1)).length;
  console.log(`drill facts right (greedy): ${(right / facts.length).toFixed(2)} of ${facts.length}`);
  await pool.close();
}

main().catch((e) => {
  console.error(`peek-checkpoint: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
