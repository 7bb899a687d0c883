/**
 * Training prompts the user brings: JSON Lines, one problem per line. The paper trained on
 * DeepScaleR (fields `problem` and `answer`); other sets name their fields with inputKey/labelKey.
 * A bad line is a one-line error naming the file, the line and the field.
 */
import * as fs from 'fs';
import { readJsonl } from '../engine/jsonl';

export interface TrainProblem {
  question: string;
  /** Gold answer as text (a number in the file is taken as its decimal string). */
  answer: string;
  /** 1-based line in the file, for messages. */
  line: number;
}

export function loadTrainingData(file: string, inputKey = 'problem', labelKey = 'answer'): TrainProblem[] {
  if (!fs.existsSync(file)) throw new Error(`${file}: file not found (training data: JSONL with fields '${inputKey}' and '${labelKey}')`);
  const rows = readJsonl<TrainProblem>(file, {
    tornTail: 'throw',
    parse: (v, at) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${at}: expected a JSON object with fields '${inputKey}' and '${labelKey}'`);
      const r = v as Record<string, unknown>;
      const q = r[inputKey];
      if (q === undefined) throw new Error(`${at}: field '${inputKey}' is missing (set the question field with --input-key)`);
      if (typeof q !== 'string' || q.trim() === '') throw new Error(`${at}: field '${inputKey}' must be a non-empty string, got ${JSON.stringify(q)?.slice(0, 40)}`);
      const a = r[labelKey];
      if (a === undefined) throw new Error(`${at}: field '${labelKey}' is missing (set the answer field with --label-key)`);
      const answer = typeof a === 'number' && Number.isFinite(a) ? String(a) : a;
      if (typeof answer !== 'string' || answer.trim() === '') throw new Error(`${at}: field '${labelKey}' must be a non-empty string or a number, got ${JSON.stringify(a)?.slice(0, 40)}`);
      return { question: q, answer, line: Number(at.slice(at.lastIndexOf(':') + 1)) };
    },
  });
  if (rows.length === 0) throw new Error(`${file}: no problems (empty file)`);
  return rows;
}
