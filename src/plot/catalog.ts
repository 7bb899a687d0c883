/**
 * Every figure the workbook exports to figures/, by file name. `npm run figures` saves each one;
 * notebooks call the same builders (the name says which notebook shows it).
 */
import { figure1Models, headlineGains, table1Rows, table2Rows, table3Rows } from '../paper/views';
import { figure1GainsSpec, figure1Spec, headlineSpec, table1Spec, table2Spec, table3Spec } from './reported-figures';
import type { FigureSpec } from './spec';
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

export const FIGURE_CATALOG: readonly CatalogEntry[] = [
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
];

export function catalogFigure(name: string): FigureSpec {
  const e = FIGURE_CATALOG.find((f) => f.name === name);
  if (!e) throw new Error(`catalogFigure: unknown figure "${name}" (known: ${FIGURE_CATALOG.map((f) => f.name).join(', ')})`);
  return e.build();
}
