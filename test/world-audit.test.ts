/**
 * The stand-in audit (src/world/audit.ts): its problem splits. The run on the shipped
 * good-code-global checkpoint and `npm run audit`'s errors are in test/world-audit.slow.test.ts.
 */
import { AUDIT_LEAK_FRACTION, auditProblems, leakedFor } from '../src/world/audit';
import { loadWorldSplit } from '../src/world/dataset';
import { getFamily } from '../src/world/families';
import { problemKey } from '../src/world/problems';

const test_ = loadWorldSplit('test');
const train = loadWorldSplit('train');

test('audit splits: leaked and unleaked halves partition the test set; fresh problems are in neither shipped split', () => {
  const leaked = auditProblems('leaked', test_, train);
  const unleaked = auditProblems('unleaked', test_, train);
  expect(leaked.length).toBe(Math.round(AUDIT_LEAK_FRACTION * test_.length));
  expect(leaked.length + unleaked.length).toBe(test_.length);
  const ids = new Set(leaked.map((p) => p.id));
  expect(unleaked.some((p) => ids.has(p.id))).toBe(false);
  // The split the audit calls 'leaked' is exactly what the leaked family's pretraining saw.
  expect(leakedFor(getFamily('good-code-leaked'), test_).map((p) => p.id)).toEqual(leaked.map((p) => p.id));
  expect(leakedFor(getFamily('good-code-unleaked'), test_)).toEqual([]);
  const fresh = auditProblems('fresh', test_, train, 200);
  const shipped = new Set([...test_, ...train].map(problemKey));
  expect(fresh).toHaveLength(200);
  expect(fresh.some((p) => shipped.has(problemKey(p)))).toBe(false);
  expect(auditProblems('test', test_, train, 10).map((p) => p.id)).toEqual(test_.slice(0, 10).map((p) => p.id));
});
