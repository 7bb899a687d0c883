/**
 * Backend choice: the fastest TensorFlow.js backend that loads on this machine.
 *
 * Order: tfjs-node-gpu → tfjs-node → wasm → cpu. `SR_BACKEND` (gpu | node | wasm | cpu) forces one.
 * The choice and the reason each better backend was skipped are reported once per process.
 */
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'gpu' | 'node' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendName[] = ['gpu', 'node', 'wasm', 'cpu'];

export interface BackendReport {
  /** The backend in use. */
  chosen: BackendName;
  /** tfjs's own name for it ('tensorflow' for node and gpu, 'wasm', 'cpu'). */
  tfName: string;
  /** Why each better backend was not used. */
  skipped: { backend: BackendName; reason: string }[];
  /** True when SR_BACKEND forced the choice. */
  forced: boolean;
}

/** Loads the package that registers a backend; throws with the loader's reason if it cannot. */
export type BackendLoader = (name: BackendName) => void;

const PACKAGES: Record<BackendName, string> = {
  gpu: '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs',
};

const TF_NAMES: Record<BackendName, string> = { gpu: 'tensorflow', node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

function defaultLoader(name: BackendName): void {
  // Plain require so that a missing optional package is a catchable error, not a compile error.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(PACKAGES[name]);
}

let report: BackendReport | null = null;
let pending: Promise<BackendReport> | null = null;

/** Parses SR_BACKEND; undefined/empty means automatic. */
export function parseBackendEnv(value: string | undefined): BackendName | null {
  if (value === undefined || value.trim() === '') return null;
  const v = value.trim().toLowerCase();
  if ((BACKEND_ORDER as readonly string[]).includes(v)) return v as BackendName;
  throw new Error(`SR_BACKEND='${value}' is not a backend; use one of ${BACKEND_ORDER.join(', ')}`);
}

/**
 * Picks and activates a backend. Idempotent: later calls return the first report.
 * `loader` and `env` exist for tests of the fallback chain.
 */
export function initBackend(
  opts: { loader?: BackendLoader; env?: string | undefined; quiet?: boolean } = {},
): Promise<BackendReport> {
  if (report) return Promise.resolve(report);
  if (!pending) {
    pending = chooseBackend(opts.loader ?? defaultLoader, 'env' in opts ? opts.env : process.env.SR_BACKEND).then((r) => {
      report = r;
      if (!opts.quiet && !process.env.SR_QUIET) console.error(describeBackend(r));
      return r;
    });
    pending.catch(() => { pending = null; });
  }
  return pending;
}

/** The report of the backend in use, or null before initBackend resolved. */
export function backendReport(): BackendReport | null {
  return report;
}

/** Forgets the current choice (tests only). */
export function resetBackendChoice(): void {
  report = null;
  pending = null;
}

export async function chooseBackend(loader: BackendLoader, env: string | undefined): Promise<BackendReport> {
  const forced = parseBackendEnv(env);
  const candidates = forced ? [forced] : BACKEND_ORDER;
  const skipped: BackendReport['skipped'] = [];
  for (const name of candidates) {
    try {
      loader(name);
      // The cpu backend's "install tfjs-node" banner would repeat what our own report says.
      if (name === 'cpu') tf.env().set('PROD', true);
      const ok = await tf.setBackend(TF_NAMES[name]);
      if (!ok) throw new Error(`tf.setBackend('${TF_NAMES[name]}') returned false`);
      await tf.ready();
      return { chosen: name, tfName: tf.getBackend(), skipped, forced: forced !== null };
    } catch (e) {
      const reason = firstLine(e);
      if (forced) throw new Error(`SR_BACKEND=${forced} was requested but ${PACKAGES[forced]} did not load: ${reason}`);
      skipped.push({ backend: name, reason });
    }
  }
  throw new Error(`no tfjs backend loaded: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

export function describeBackend(r: BackendReport): string {
  const why = r.skipped.map((s) => `${s.backend} skipped (${s.reason})`).join('; ');
  return `[engine] tfjs backend: ${r.chosen}${r.forced ? ' (forced by SR_BACKEND)' : ''}${why ? ` — ${why}` : ''}`;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const line = msg.split('\n').find((l) => l.trim() !== '') ?? 'unknown error';
  return line.length > 160 ? line.slice(0, 157) + '...' : line;
}
