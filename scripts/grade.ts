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

const USAGE =
  "usage: npm run grade -- (--pred '<answer>' | --response '<full response>') --gold '<gold answer>' [--json]";

type Field = 'pred' | 'response' | 'gold';
interface Args {
  pred?: string;
  response?: string;
  gold?: string;
  json: boolean;
}

function fail(msg: string): never {
  process.stderr.write(`${msg} — ${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const out: Args = { json: false };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    const eq = /^--(pred|response|gold)=([\s\S]*)$/.exec(a);
    if (eq) {
      out[eq[1] as Field] = eq[2];
    } else if (a === '--pred' || a === '--gold' || a === '--response') {
      if (k + 1 >= argv.length) fail(`grade: ${a} needs a value`);
      out[a.slice(2) as Field] = argv[++k];
    } else if (a === '--json') {
      out.json = true;
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      fail(`grade: unexpected argument ${JSON.stringify(a)}`);
    }
  }
  return out;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
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
