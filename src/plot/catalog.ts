/**
 * Every figure the workbook exports to figures/, by file name. `npm run figures` saves each one;
 * notebooks call the same builders (the name says which notebook shows it).
 */
import { figure1Models, headlineGains, table1Rows, table2Rows, table3Rows } from '../paper/views';
import { figure1GainsSpec, figure1Spec, headlineSpec, table1Spec, table2Spec, table3Spec } from './reported-figures';
import type { FigureSpec } from './spec';
import { paperBTable2, paperBTable3, paperBTable4, paperBTable5 } from '../paper/paperB';
import { paperBAnswerAccuracySpec, paperBRougeEmSpec, paperBSimilaritySpec, paperBTemplateSpec } from './paperB';
import { cellChange, cellRuns, ladderCell, loadRuns, rewardLadderRuns, switchingOfRuns, type RunRecord } from '../rl/results';
import { stepCodeNote } from '../rl/stepVersions';
import { FAMILY_NAMES } from '../world/families';
import { LADDER_CELLS, loadLadderSummary } from '../rl/ladder';
import { ladderContrasts, ladderSizeCells, measuredAdamFactor } from '../rl/ladderTable';
import { checkpointWeightRms, paperCumulativeRelativeUpdate } from '../rl/updateSize';
import { CHECKPOINTS_DIR } from '../world/priors';
import { phaseBoundarySpec } from './ladder';
import { loadTinyCurves, realRunCurvesSpec } from './logCurves';
import { confirmCells, loadCellRuns, loadFormatRuns, loadPhaseSummary } from '../rl/phase';
import { codeShareHistogramSpec, confirmCurvesSpec, formatCellCurvesSpec, phaseMapSpec, phaseSliceSpec } from './phase';
import { contaminationCellRows, loadAuditRows, loadContaminationRuns } from '../rl/contaminationTable';
import { answerProbabilitySpec, auditAccuracySpec, auditEmSpec, contaminationGainsSpec, freshWithinDifficultySpec } from './contamination';
import { freshComparisonRows } from '../rl/contaminationStrata';

const CONTAMINATED_AND_TWIN = ['good-code-leaked-heavy', 'good-code-leaked', 'good-code-unleaked'];
import {
  LADDER_REWARDS, clipModeCurves, crossFamilyHeatmapSpec, curvesSpec, gainComparisonSpec, gammaGainSpec, ladderBars, paperModelFor,
  rewardCurves, standinCurvesProvenance, switchingSpec,
} from './standin';
import {
  CLIP_FIGURE_SEEDS_FULL,
  advantageMuSpec,
  clipBandSpec,
  clipGradientSpec,
  clipTrajectorySpec,
  gammaSpec,
  gammaSweep,
  longTailPair,
  longTailSpec,
  lrUpdatesSpec,
  lrUpdatesSweep,
  priorSweep,
  priorThresholdSpec,
  runClipPair,
} from './clipBias';

export interface CatalogEntry {
  name: string;
  notebook: string;
  build: () => FigureSpec;
}

/** The committed stand-in results (results/full), loaded once. */
let fullRuns: RunRecord[] | null = null;
const full = (): RunRecord[] => (fullRuns ??= loadRuns('full'));
let formatRunsCache: RunRecord[] | undefined;
const formatRuns = (): RunRecord[] => (formatRunsCache ??= loadFormatRuns());
const ours = (what: string) => `ours — stand-in ${what}, preset full, mean ± sd over seeds`;

export const FIGURE_CATALOG: readonly CatalogEntry[] = [
  { name: '08-phase-boundary', notebook: '08-update-size', build: () => ladderBoundary() },
  // Notebook 09: GRPO on a tiny random-weight checkpoint of a real architecture (plumbing, not science).
  ...(['acc', 'code', 'reward'] as const).map((metric) => ({ name: `09-tiny-${metric}`, notebook: '09-real-checkpoints', build: () => { const c = loadTinyCurves(); return realRunCurvesSpec(c.runs, metric, c); } })),
  { name: '01-fig1-math500', notebook: '01-reported-results', build: () => figure1Spec(figure1Models()) },
  { name: '01-fig1-gains', notebook: '01-reported-results', build: () => figure1GainsSpec(figure1Models()) },
  { name: '01-headline-v1-v2', notebook: '01-reported-results', build: () => headlineSpec(headlineGains()) },
  { name: '01-table1-code-reasoning', notebook: '01-reported-results', build: () => table1Spec(table1Rows()) },
  { name: '01-table2-partial-contribution', notebook: '01-reported-results', build: () => table2Spec(table2Rows()) },
  { name: '01-table3-code-prompt', notebook: '01-reported-results', build: () => table3Spec(table3Rows()) },
  // Notebook 04: ours (exact formulas and toy simulations with the full seed counts), not the paper's.
  { name: '04-clip-gradient', notebook: '04-clipping-bias', build: () => clipGradientSpec() },
  { name: '04-advantage-mu', notebook: '04-clipping-bias', build: () => advantageMuSpec() },
  { name: '04-band-threshold', notebook: '04-clipping-bias', build: () => clipBandSpec() },
  { name: '04-trajectories', notebook: '04-clipping-bias', build: () => clipTrajectorySpec(runClipPair({}, CLIP_FIGURE_SEEDS_FULL.main)) },
  { name: '04-lr-updates', notebook: '04-clipping-bias', build: () => lrUpdatesSpec(lrUpdatesSweep(CLIP_FIGURE_SEEDS_FULL.sweep)) },
  { name: '04-gamma', notebook: '04-clipping-bias', build: () => gammaSpec(gammaSweep(CLIP_FIGURE_SEEDS_FULL.sweep)) },
  { name: '04-prior-threshold', notebook: '04-clipping-bias', build: () => priorThresholdSpec(priorSweep(CLIP_FIGURE_SEEDS_FULL.sweep)) },
  { name: '04-long-tail', notebook: '04-clipping-bias', build: () => longTailSpec(longTailPair(CLIP_FIGURE_SEEDS_FULL.main)) },
  // Notebooks 02, 03, 05: ours (stand-in families, committed results/full), beside the paper where it has a counterpart.
  // The notes say which seeds ran on which version of the GRPO step (src/rl/stepVersions.ts), as in the notebooks.
  ...FAMILY_NAMES.map((f) => ({ name: `02-gain-${f}`, notebook: '02-spurious-rewards', build: () => gainComparisonSpec(f, ladderBars(full(), f), paperModelFor(f), 'full', stepCodeNote(rewardLadderRuns(full(), f, LADDER_REWARDS))) })),
  { name: '02-accuracy-good-code', notebook: '02-spurious-rewards', build: () => { const s = rewardCurves(full(), 'good-code', LADDER_REWARDS, 'acc'); return curvesSpec(s, { title: 'Greedy accuracy during GRPO: good-code', provenance: standinCurvesProvenance("'good-code'", 'full', s, { unit: 'reward', note: stepCodeNote(rewardLadderRuns(full(), 'good-code', LADDER_REWARDS)) }), yTitle: 'greedy accuracy (%)' }); } },
  { name: '02-random-gamma', notebook: '02-spurious-rewards', build: () => { const cells = [0, 0.001, 0.3, 0.5, 0.7].map((gamma) => cellRuns(full(), { family: 'good-code', reward: 'random', gamma, arm: 'clip' })).filter((c) => c.length > 0); return gammaGainSpec(cells.map((c) => ({ gamma: c[0].cfg.gamma!, change: cellChange(c) })), 'good-code', 'full', stepCodeNote(cells.flat())); } },
  { name: '03-code-frequency-good-code', notebook: '03-code-reasoning', build: () => curvesSpec(rewardCurves(full(), 'good-code', ['ground-truth', 'format', 'incorrect', 'random'], 'code'), { title: 'Code reasoning frequency during GRPO: good-code', provenance: ours("'good-code'"), yTitle: 'greedy responses with code (%)', yRange: [0, 100] }) },
  { name: '03-strategy-switching', notebook: '03-code-reasoning', build: () => switchingSpec(['ground-truth', 'format', 'incorrect', 'random'].map((reward) => ({ label: reward, ...switchingOfRuns(cellRuns(full(), { family: 'good-code', reward: reward as 'random', arm: 'clip', ...(reward === 'random' ? { gamma: 0.5 } : {}) })) })), ours("'good-code'")) },
  { name: '03-clip-modes', notebook: '03-code-reasoning', build: () => curvesSpec(clipModeCurves(full(), 'good-code', 'acc'), { title: 'Random reward, greedy accuracy by clip mode: good-code', provenance: ours("'good-code', random reward γ = 0.5"), yTitle: 'greedy accuracy (%)' }) },
  { name: '05-cross-family', notebook: '05-cross-family', build: () => { const rewards = [...LADDER_REWARDS, 'python']; return crossFamilyHeatmapSpec(FAMILY_NAMES, rewards, (f, r) => { const c = ladderCell(full(), f, r); return c.length ? cellChange(c) : null; }, 'full', stepCodeNote(FAMILY_NAMES.flatMap((f) => rewardLadderRuns(full(), f, rewards)))); } },
  // Notebook 06: ours (the phase map, committed results/phase).
  { name: '06-phase-map-acc', notebook: '06-when-random-helps', build: () => phaseMapSpec(loadPhaseSummary(), 'acc') },
  { name: '06-phase-map-sampled-code', notebook: '06-when-random-helps', build: () => phaseMapSpec(loadPhaseSummary(), 'sampled_code') },
  { name: '06-phase-map-code', notebook: '06-when-random-helps', build: () => phaseMapSpec(loadPhaseSummary(), 'code') },
  { name: '06-phase-slice-acc', notebook: '06-when-random-helps', build: () => phaseSliceSpec(loadPhaseSummary(), 'acc') },
  ...(['acc', 'parsed'] as const).map((metric) => ({ name: `06-format-think-${metric}`, notebook: '06-when-random-helps', build: () => formatCellCurvesSpec(formatRuns(), metric) })),
  { name: '06-code-share-histogram-centre', notebook: '06-when-random-helps', build: () => codeShareHistogramSpec(loadPhaseSummary(), 'centre') },
  // The confirm rule's two cells (the screen's largest and smallest clip − noclip), picked from the committed screen.
  ...(['best', 'worst'] as const).map((which, i) => ({ name: `06-confirm-${which}-acc`, notebook: '06-when-random-helps', build: () => {
    const id = confirmCells(loadPhaseSummary())[i].id;
    return confirmCurvesSpec(loadCellRuns('confirm', id), id);
  } })),
  // Notebook 07: Paper B's reported numbers (its Tables 2–5), not ours.
  { name: '07-paperb-rouge-em', notebook: '07-reasoning-or-memorization', build: () => paperBRougeEmSpec(paperBTable2()) },
  { name: '07-paperb-answer-accuracy', notebook: '07-reasoning-or-memorization', build: () => paperBAnswerAccuracySpec(paperBTable5()) },
  { name: '07-paperb-template', notebook: '07-reasoning-or-memorization', build: () => paperBTemplateSpec(paperBTable4()) },
  { name: '07-paperb-similarity', notebook: '07-reasoning-or-memorization', build: () => paperBSimilaritySpec(paperBTable3()) },
  // Notebook 07: the audit and the RL experiment re-executed on stand-in families (ours).
  { name: '07-audit-em', notebook: '07-reasoning-or-memorization', build: () => { const rows = loadAuditRows(); return auditEmSpec(rows, [...new Set(rows.map((r) => r.family))], 0.6); } },
  { name: '07-audit-answer-accuracy', notebook: '07-reasoning-or-memorization', build: () => auditAccuracySpec(loadAuditRows(), CONTAMINATED_AND_TWIN) },
  { name: '07-rl-accuracy-by-split', notebook: '07-reasoning-or-memorization', build: () => contaminationGainsSpec(contaminationCellRows(loadContaminationRuns()), CONTAMINATED_AND_TWIN) },
  { name: '07-rl-within-difficulty', notebook: '07-reasoning-or-memorization', build: () => { const runs = loadContaminationRuns(); return freshWithinDifficultySpec(freshComparisonRows(runs, 'leaked'), freshComparisonRows(runs, 'unleaked'), ['good-code-leaked-heavy', 'good-code-unleaked@0.2', 'good-code-leaked', 'good-code-unleaked']); } },
  { name: '07-answer-probabilities-heavy', notebook: '07-reasoning-or-memorization', build: () => answerProbabilitySpec(loadContaminationRuns(), 'good-code-leaked-heavy', 'random-0.5', 'clip') },
];

export function catalogFigure(name: string): FigureSpec {
  const e = FIGURE_CATALOG.find((f) => f.name === name);
  if (!e) throw new Error(`catalogFigure: unknown figure "${name}" (known: ${FIGURE_CATALOG.map((f) => f.name).join(', ')})`);
  return e.build();
}

/** Notebook 08's phase boundary from the committed ladder runs, with the paper's run placed using our measured Adam factor. */
export function ladderBoundary(): FigureSpec {
  const rows = loadLadderSummary();
  // a is measured on the 1x model, whose weight RMS it is divided by; the x4 cells have their own RMS.
  const oneX = rows.filter((r) => LADDER_CELLS.some((c) => c.id === r.cell));
  const a = oneX.length ? measuredAdamFactor(oneX, checkpointWeightRms(`${CHECKPOINTS_DIR}/good-code-global`)) : null;
  const note = a === null ? "The paper's run is placed once a clip arm has finished." : `Paper's run: 1,200 updates × lr 5e-7 / rms 0.02 (ASSUMED) × our measured Adam factor a = ${a.toFixed(2)}.`;
  return phaseBoundarySpec(ladderContrasts(rows, [...LADDER_CELLS, ...ladderSizeCells(rows)]), a === null ? null : paperCumulativeRelativeUpdate(a), note);
}
