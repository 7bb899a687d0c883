/**
 * Grade one prediction against one gold answer from the command line.
 *
 *   npm run grade -- --pred '\frac{1}{2}' --gold '0.5'
 *   npm run grade -- --response 'so the answer is \boxed{5}.' --gold '5'   # extracts first
 *
 * Prints the verdict and both normalised forms. Exit code 0 = equivalent, 1 = not equivalent,
 * 2 = bad arguments.
 */
import { explainEquivalence, extractAnswer } from '../src/grader';
import { parseFlags } from './cli';

const USAGE =
  "usage: npm run grade -- (--pred '<answer>' | --response '<full response>') --gold '<gold answer>' [--json] [--help]";

function fail(msg: string): never {
  process.stderr.write(`${msg} — ${USAGE}\n`);
  process.exit(2);
}

function parseCommandLine(): { pred?: string; response?: string; gold?: string; json: boolean } {
  try {
    return parseFlags({
      pred: { type: 'string', description: 'the predicted answer, compared as given' },
      response: { type: 'string', description: 'a full model response; its final answer is extracted first' },
      gold: { type: 'string', description: 'the gold answer (required)' },
      json: { type: 'boolean', description: 'print the verdict and normalised forms as JSON' },
    }, undefined, { about: 'Give exactly one of --pred or --response, and --gold. Exit code 0 = equivalent, 1 = not equivalent, 2 = bad arguments.' });
  } catch (e) {
    fail(`grade: ${(e as Error).message}`);
  }
}

function main(): void {
  const args = parseCommandLine();
  if (args.gold === undefined) fail('grade: --gold is required');
  if ((args.pred === undefined) === (args.response === undefined)) fail('grade: give exactly one of --pred or --response');

  let extracted: string | null = null;
  let pred = args.pred ?? '';
  if (args.response !== undefined) {
    extracted = extractAnswer(args.response);
    pred = extracted ?? '';
  }
  const r = explainEquivalence(pred, args.gold);
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ ...r, extracted }, null, 2)}\n`);
  } else {
    if (args.response !== undefined) {
      process.stdout.write(`extracted:  ${extracted === null ? '(nothing found)' : extracted}\n`);
    }
    process.stdout.write(`verdict:    ${r.equivalent ? 'EQUIVALENT' : 'NOT EQUIVALENT'}\n`);
    process.stdout.write(`prediction: ${r.prediction.normalized}   ->  ${r.prediction.parsed}\n`);
    process.stdout.write(`gold:       ${r.gold.normalized}   ->  ${r.gold.parsed}\n`);
  }
  process.exit(r.equivalent ? 0 : 1);
}

main();
