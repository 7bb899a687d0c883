/**
 * The committed ladder results keep the promises: every finished run has its provenance
 * beside its config, the summary lists exactly the finished runs, and the matched null's samples
 * equal the clip arm's with its realised updates short only by the groups of equal rewards.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LADDER_DIR, loadLadderSummary } from '../src/rl/ladder';

const finished = fs.existsSync(LADDER_DIR)
  ? fs.readdirSync(LADDER_DIR).filter((d) => fs.existsSync(path.join(LADDER_DIR, d, 'summary.json')))
  : [];

test('every finished ladder run has config.json and a provenance.json naming its step code from step 0', () => {
  const bad: string[] = [];
  for (const d of finished) {
    const dir = path.join(LADDER_DIR, d);
    if (!fs.existsSync(path.join(dir, 'config.json'))) { bad.push(`${d}: no config.json`); continue; }
    const file = path.join(dir, 'provenance.json');
    if (!fs.existsSync(file)) { bad.push(`${d}: no provenance.json`); continue; }
    const segs = (JSON.parse(fs.readFileSync(file, 'utf8')) as { segments?: { from_step: number; step_code_sha1: string | null; backend: string; commit: string }[] }).segments ?? [];
    if (segs.length === 0 || segs[0].from_step !== 0) bad.push(`${d}: provenance does not start at step 0`);
    for (const s of segs) if (!/^[0-9a-f]{12}$/.test(s.step_code_sha1 ?? '') || !s.backend || !s.commit) bad.push(`${d}: segment from ${s.from_step} lacks step code, backend or commit`);
  }
  expect(bad).toEqual([]);
});

test('results/ladder/summary.json lists exactly the finished runs', () => {
  expect(loadLadderSummary().map((r) => r.id).sort()).toEqual([...finished].sort());
});

test('the matched null samples as much as the clip arm and makes its updates, short only by groups of equal rewards', () => {
  const rows = loadLadderSummary();
  const bad: string[] = [];
  for (const n of rows.filter((r) => r.arm === 'matched-null')) {
    const clip = rows.find((r) => r.cell === n.cell && r.seed === n.seed && r.arm === 'random-clip');
    if (!clip) continue;
    // A group of 8 equal random(0.5) rewards has probability 2 × 0.5^8 ≈ 0.8%: allow 3%.
    if (n.samples !== clip.samples || n.updates > clip.updates || n.updates < 0.97 * clip.updates) bad.push(`${n.id}: ${n.updates} updates / ${n.samples} samples vs clip ${clip.updates} / ${clip.samples}`);
  }
  expect(bad).toEqual([]);
});
