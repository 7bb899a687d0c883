/** Family specs (datasets/world/families.json): each family is a pretraining mixture. */
import * as fs from 'fs';
import * as path from 'path';
import { Rng } from '../engine/rng';
import { Problem, Surface } from './problems';
import { Bug, WRITERS, Writer, WrittenSolution, writeSolution } from './solutions';
import { projectPath } from '../engine/paths';

export interface FamilySpec {
  name: string;
  /** Real models whose prior this family mirrors. */
  standsFor: string[];
  /** One-line description of the prior. */
  prior: string;
  /** Relative weight of each writer, per surface form. */
  styles: Record<Surface, Partial<Record<Writer, number>>>;
  /** Per-step error rate of each writer (default 0). */
  errorRate: Partial<Record<Writer, number>>;
  /** Systematic mistakes of each writer (default none): what makes a family worse in one style. */
  bugs: Partial<Record<Writer, Bug[]>>;
  /** Probability that a solution boxes its answer. */
  boxRate: number;
  /** Probability that a code solution opens with "Let's solve this using Python." (default 0). */
  codeIntroRate: number;
  /** Checkpoint (under checkpoints/) this family's pretraining starts from; null = random init. */
  init: string | null;
  /** Pretraining steps for this spec (null = the pretraining default). */
  steps: number | null;
  /** Peak learning rate for this spec (null = the pretraining default). */
  lr: number | null;
  /** Share of pretraining documents that are style-free arithmetic drills (default 0). */
  drillShare: number;
  /**
   * Full-text documents (Paper B's contamination): a share of documents trained on the prompt too,
   * not only the solution, so the model learns to write problems. `source: 'test'` draws them from
   * the leaked part of the shipped test set (the first `testFraction` of a fixed shuffle, see
   * leakedTestProblems), with solutions and answers; `source: 'generator'` from fresh non-test
   * problems — the clean twin that differs from the leaked family only in which problems it saw.
   * Absent on families without it, so their specs (and checkpoints' recorded specs) are unchanged.
   */
  fullText?: FullTextSpec;
}

export interface FullTextSpec {
  /** Share of all pretraining documents that are full-text documents. */
  share: number;
  source: 'test' | 'generator';
  /** Fraction of the test set that leaks (only with source 'test'). */
  testFraction: number;
}

export const FAMILIES_FILE = projectPath('datasets', 'world', 'families.json');
export const FAMILY_NAMES = ['good-code', 'bad-code', 'no-code', 'no-code-weak'] as const;
export type FamilyName = (typeof FAMILY_NAMES)[number];

function fail(file: string, where: string, msg: string): never {
  throw new Error(`${file}: ${where}: ${msg}`);
}

/** Parses and validates the family file; errors name the file, family and field. */
export function parseFamilies(raw: unknown, file = FAMILIES_FILE): FamilySpec[] {
  const list = (raw as { families?: unknown })?.families;
  if (!Array.isArray(list)) fail(file, 'top level', "expected a 'families' array");
  return list.map((f: Record<string, unknown>, i: number) => parseSpec(f, file, `families[${i}]`));
}

/** The shared base stage (the file's 'base' entry), or null when the file has none. */
export function parseBase(raw: unknown, file = FAMILIES_FILE): FamilySpec | null {
  const b = (raw as { base?: Record<string, unknown> })?.base;
  return b ? parseSpec(b, file, 'base') : null;
}

function parseSpec(f: Record<string, unknown>, file: string, at: string): FamilySpec {
  {
    const where = `${at}${typeof f?.name === 'string' ? ` (${f.name})` : ''}`;
    if (typeof f?.name !== 'string' || !f.name) fail(file, where, "field 'name' must be a non-empty string");
    const styles = f.styles as Record<string, Record<string, unknown>> | undefined;
    for (const surface of ['bare', 'narrative'] as const) {
      const s = styles?.[surface];
      if (!s || typeof s !== 'object') fail(file, where, `field 'styles.${surface}' must be an object of writer weights`);
      let total = 0;
      for (const [w, v] of Object.entries(s)) {
        if (!(WRITERS as readonly string[]).includes(w)) fail(file, where, `field 'styles.${surface}.${w}' is not a writer (use ${WRITERS.join(', ')})`);
        if (typeof v !== 'number' || !(v >= 0)) fail(file, where, `field 'styles.${surface}.${w}' must be a non-negative number`);
        total += v;
      }
      if (!(total > 0)) fail(file, where, `field 'styles.${surface}' has no positive weight`);
    }
    const err = (f.errorRate ?? {}) as Record<string, unknown>;
    for (const [w, v] of Object.entries(err)) {
      if (!(WRITERS as readonly string[]).includes(w)) fail(file, where, `field 'errorRate.${w}' is not a writer`);
      if (typeof v !== 'number' || v < 0 || v > 1) fail(file, where, `field 'errorRate.${w}' must be in [0, 1]`);
    }
    const bugs = (f.bugs ?? {}) as Record<string, unknown>;
    for (const [w, list] of Object.entries(bugs)) {
      if (!(WRITERS as readonly string[]).includes(w)) fail(file, where, `field 'bugs.${w}' is not a writer`);
      if (!Array.isArray(list)) fail(file, where, `field 'bugs.${w}' must be an array of {op, operand?, writesOp}`);
      (list as Record<string, unknown>[]).forEach((b, j) => {
        for (const k of ['op', 'writesOp']) if (!['+', '-', '*'].includes(b?.[k] as string)) fail(file, where, `field 'bugs.${w}[${j}].${k}' must be '+', '-' or '*'`);
        if (b.operand !== undefined && !(typeof b.operand === 'number' && Number.isInteger(b.operand))) fail(file, where, `field 'bugs.${w}[${j}].operand' must be an integer`);
      });
    }
    if (typeof f.boxRate !== 'number' || f.boxRate < 0 || f.boxRate > 1) fail(file, where, "field 'boxRate' must be in [0, 1]");
    const intro = f.codeIntroRate ?? 0;
    if (typeof intro !== 'number' || intro < 0 || intro > 1) fail(file, where, "field 'codeIntroRate' must be in [0, 1]");
    const init = f.init ?? null;
    if (init !== null && (typeof init !== 'string' || !/^[a-z0-9-]+$/.test(init))) fail(file, where, "field 'init' must be a checkpoint name like 'base'");
    const steps = f.steps ?? null;
    if (steps !== null && (typeof steps !== 'number' || !Number.isInteger(steps) || steps <= 0)) fail(file, where, "field 'steps' must be a positive integer");
    const drillShare = f.drillShare ?? 0;
    if (typeof drillShare !== 'number' || drillShare < 0 || drillShare >= 1) fail(file, where, "field 'drillShare' must be in [0, 1)");
    const lr = f.lr ?? null;
    if (lr !== null && (typeof lr !== 'number' || !(lr > 0 && lr < 1))) fail(file, where, "field 'lr' must be in (0, 1)");
    const fullText = f.fullText === undefined ? undefined : parseFullText(f.fullText as Record<string, unknown>, drillShare, (msg) => fail(file, where, msg));
    return {
      name: f.name,
      standsFor: Array.isArray(f.standsFor) ? (f.standsFor as string[]) : [],
      prior: typeof f.prior === 'string' ? f.prior : '',
      styles: styles as FamilySpec['styles'],
      errorRate: err as FamilySpec['errorRate'],
      bugs: bugs as FamilySpec['bugs'],
      boxRate: f.boxRate,
      codeIntroRate: intro,
      init: init as string | null,
      steps: steps as number | null,
      lr: lr as number | null,
      drillShare,
      ...(fullText ? { fullText } : {}),
    };
  }
}

function parseFullText(x: Record<string, unknown>, drillShare: number, bad: (msg: string) => never): FullTextSpec {
  if (!x || typeof x !== 'object') bad("field 'fullText' must be an object {share, source, testFraction}");
  const { share, source, testFraction } = x;
  if (typeof share !== 'number' || !(share > 0) || share + drillShare >= 1) bad("field 'fullText.share' must be in (0, 1 − drillShare)");
  if (source !== 'test' && source !== 'generator') bad("field 'fullText.source' must be 'test' or 'generator'");
  const frac = testFraction ?? 0;
  if (typeof frac !== 'number' || frac < 0 || frac > 1) bad("field 'fullText.testFraction' must be in [0, 1]");
  if (source === 'test' && !(frac > 0)) bad("field 'fullText.testFraction' must be > 0 when source is 'test'");
  return { share: share as number, source: source as FullTextSpec['source'], testFraction: frac as number };
}

export function loadFamilies(file = FAMILIES_FILE): FamilySpec[] {
  return parseFamilies(readFamilyFile(file), file);
}

/** The phase map's variants (the file's 'variants' array): pretrained like families, not in the shipped ladder. */
export function parseVariants(raw: unknown, file = FAMILIES_FILE): FamilySpec[] {
  const list = (raw as { variants?: unknown })?.variants;
  if (list === undefined) return [];
  if (!Array.isArray(list)) fail(file, 'top level', "'variants' must be an array");
  return list.map((f: Record<string, unknown>, i: number) => parseSpec(f, file, `variants[${i}]`));
}

export function loadVariants(file = FAMILIES_FILE): FamilySpec[] {
  return parseVariants(readFamilyFile(file), file);
}

function readFamilyFile(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read family specs (${(e as Error).message})`);
  }
}

/** A family or phase-map variant by name; 'base' names the shared base stage. */
export function getFamily(name: string, file = FAMILIES_FILE): FamilySpec {
  if (name === 'base') {
    const b = parseBase(readFamilyFile(file), file);
    if (!b) throw new Error(`${file}: has no 'base' entry`);
    return b;
  }
  const raw = readFamilyFile(file);
  const all = [...parseFamilies(raw, file), ...parseVariants(raw, file)];
  const f = all.find((x) => x.name === name);
  if (!f) throw new Error(`unknown family '${name}' (${file} has ${all.map((x) => x.name).join(', ')})`);
  return f;
}

/** One pretraining document's solution: a writer drawn from the family's mixture for this surface. */
export function familySolution(spec: FamilySpec, p: Problem, rng: Rng): WrittenSolution {
  const weights = spec.styles[p.surface];
  const entries = Object.entries(weights) as [Writer, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let u = rng.next() * total;
  let writer = entries[entries.length - 1][0];
  for (const [w, x] of entries) {
    u -= x;
    if (u < 0) { writer = w; break; }
  }
  const boxed = rng.bernoulli(spec.boxRate);
  const intro = writer === 'code' && rng.bernoulli(spec.codeIntroRate);
  return writeSolution(p, writer, { errorRate: spec.errorRate[writer] ?? 0, boxed, intro, bugs: spec.bugs[writer] ?? [] }, rng);
}
