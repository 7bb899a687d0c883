/**
 * A worker that dies mid-job must fail the run with the worker's message, not leave the job's
 * promise pending forever. The pool's worker script is swapped for a fixture that starts up and
 * then dies, so no tfjs instance is started in the workers and the test stays fast.
 */
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { WorkerPool } from '../src/runtime/pool';
import { Rng } from '../src/engine/rng';
import { Transformer } from '../src/model/transformer';
import { TINY } from './helpers';

let mode = 'throw';
jest.mock('worker_threads', () => {
  const actual = jest.requireActual('worker_threads');
  class DyingWorker extends actual.Worker {
    constructor(_file: string, opts: { workerData?: Record<string, unknown> }) {
      super(path.join(__dirname, 'fixtures', 'dying-worker.js'), { ...opts, workerData: { ...opts.workerData, mode } });
    }
  }
  return { ...actual, Worker: DyingWorker };
});

/** Settles like `p`, or rejects with 'hung' after `ms` (so today's hang fails fast instead of timing out). */
function within<T>(p: Promise<T>, ms = 2000): Promise<T> {
  let timer: NodeJS.Timeout;
  const hung = new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error('hung')), ms); });
  return Promise.race([p, hung]).finally(() => clearTimeout(timer));
}

/**
 * Whether `p` settles before the event loop's next check phase, i.e. without waiting on any
 * worker message, timer or I/O: how "fails fast" is checked without timing it against the clock.
 */
async function settlesAtOnce(p: Promise<unknown>): Promise<boolean> {
  const later = new Promise<false>((resolve) => setImmediate(() => resolve(false)));
  return Promise.race([p.then(() => true, () => true), later]);
}

beforeAll(async () => { await initBackend({ quiet: true }); });

describe('a worker that dies mid-job', () => {
  const model = Transformer.init(TINY, new Rng(1));
  const opts = { prompts: [[1, 2], [3], [4, 5], [6]], maxNewTokens: 3, temperature: 1 };

  test.each([
    ['throws', 'throw', /worker \d died: out of memory in job/],
    ['exits', 'exit', /worker \d exited with code 7/],
  ])('that %s rejects its pending job with the worker\'s message, and later calls fail fast', async (_name, m, message) => {
    mode = m;
    const pool = await WorkerPool.create(model, 2);
    try {
      await expect(within(pool.sample({ ...opts, rng: new Rng(2) }))).rejects.toThrow(message);
      // Later calls reject at once with the same message, without a round trip to a worker.
      const again = pool.sample({ ...opts, rng: new Rng(2) });
      const grads = pool.gradients([]);
      expect(await Promise.all([settlesAtOnce(again), settlesAtOnce(grads)])).toEqual([true, true]);
      await expect(again).rejects.toThrow(message);
      await expect(grads).rejects.toThrow(message);
    } finally {
      await pool.close();
    }
  });
});
