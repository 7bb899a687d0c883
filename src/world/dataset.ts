/**
 * The shipped stand-in problem sets: datasets/world/test.jsonl (500, the MATH-500 analogue) and
 * datasets/world/train.jsonl (20,000, the DeepScaleR analogue), disjoint by arithmetic.
 * One JSON object per line: {id, surface, prompt, answer, start, ops} with ops like "+7*3-5".
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../engine/atomic';
import { readJsonl } from '../engine/jsonl';
import { Op, Problem, Step, applyOp } from './problems';
import { projectPath } from '../engine/paths';

export const WORLD_DIR = projectPath('datasets', 'world');
export const WORLD_SEED = 20250610;

export function encodeOps(steps: readonly Step[]): string {
  return steps.map((s) => `${s.op}${s.operand}`).join('');
}

export function problemToJSON(p: Problem): string {
  return JSON.stringify({ id: p.id, surface: p.surface, prompt: p.prompt, answer: p.answer, start: p.start, ops: encodeOps(p.steps) });
}

/** Parses one JSONL line; errors name file and line. The answer is re-derived and checked. */
export function parseProblemLine(line: string, file: string, lineNo: number): Problem {
  const at = `${file}:${lineNo}`;
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (e) {
    throw new Error(`${at}: invalid JSON (${(e as Error).message})`);
  }
  return problemFromJSON(o, at);
}

/** Validates one parsed row (`at` is "file:line" for errors); the answer is re-derived and checked. */
export function problemFromJSON(value: unknown, at: string): Problem {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${at}: must be a JSON object`);
  const o = value as Record<string, unknown>;
  for (const f of ['id', 'prompt', 'answer', 'ops'] as const) if (typeof o[f] !== 'string') throw new Error(`${at}: field '${f}' must be a string`);
  if (o.surface !== 'bare' && o.surface !== 'narrative') throw new Error(`${at}: field 'surface' must be 'bare' or 'narrative'`);
  if (typeof o.start !== 'number' || !Number.isInteger(o.start)) throw new Error(`${at}: field 'start' must be an integer`);
  const steps: Step[] = [];
  let v = o.start;
  const re = /([+\-*])(\d+)/g;
  const ops = o.ops as string;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(ops))) {
    const op = m[1] as Op;
    const operand = Number(m[2]);
    v = applyOp(v, op, operand);
    steps.push({ op, operand, value: v });
    consumed += m[0].length;
  }
  if (consumed !== ops.length || steps.length === 0) throw new Error(`${at}: field 'ops' ${JSON.stringify(ops)} is not a chain like "+7*3-5"`);
  if (String(v) !== o.answer) throw new Error(`${at}: field 'answer' is ${JSON.stringify(o.answer)} but the ops give ${v}`);
  return { id: o.id as string, surface: o.surface, start: o.start, steps, prompt: o.prompt as string, answer: o.answer as string };
}

export function readProblems(file: string): Problem[] {
  if (!fs.existsSync(file)) throw new Error(`${file}: missing (run \`npm run world:data\`)`);
  // Written atomically, so a bad last line is corruption, not an interrupted append.
  return readJsonl(file, { parse: problemFromJSON, tornTail: 'throw' });
}

export function loadWorldSplit(split: 'test' | 'train'): Problem[] {
  return readProblems(path.join(WORLD_DIR, `${split}.jsonl`));
}

export function writeProblems(file: string, problems: readonly Problem[]): void {
  writeFileAtomic(file, problems.map((p) => problemToJSON(p) + '\n').join(''));
}
