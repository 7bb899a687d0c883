/**
 * The small differentiable pieces of the real architectures: RMSNorm, SiLU and two lookups with
 * hand-written gradients. `tf.gather`'s gradient (UnsortedSegmentSum) is not registered on the
 * wasm backend, and a one-hot product would need an [N, V] matrix for a 150k vocabulary, so the
 * lookups gather in the forward pass and scatter-add on the host in the backward pass.
 */
import * as tf from '@tensorflow/tfjs';

type GradFn = Parameters<typeof tf.customGrad>[0];

/**
 * y = x·w, x [N, in], w [in, out] → [N, out], with a backward pass that transposes whichever of
 * w [in, out] and dy [N, out] is smaller: dx = dy·wᵀ = (w·dyᵀ)ᵀ. wasm's only fast product is the
 * plain 2-D one, its transpose is memory-bound, and for a few sequences through a 150k-wide output
 * head dy is several times smaller than w.
 */
export const project = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as tf.Tensor2D[];
      const d = dy as tf.Tensor2D;
      const dx = xs.shape[0] < ws.shape[0] ? tf.transpose(tf.matMul(ws, tf.transpose(d))) : tf.matMul(d, tf.transpose(ws));
      return [dx, tf.matMul(tf.transpose(xs), d)];
    },
  };
}) as unknown as GradFn) as unknown as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** RMSNorm over the last axis: w · x / √(mean(x²) + ε). x [N, D], w [D]. */
export function rmsNorm(x: tf.Tensor2D, w: tf.Tensor, eps: number): tf.Tensor2D {
  const ms = tf.mean(tf.square(x), -1, true); //                     [N, 1]
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, eps))), w) as tf.Tensor2D;
}

/** SiLU, x·σ(x). */
export function silu(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(x, tf.sigmoid(x)) as tf.Tensor2D;
}

function checkIds(ids: Int32Array, rows: number, what: string): void {
  for (let i = 0; i < ids.length; i++) {
    if (!(ids[i] >= 0 && ids[i] < rows)) throw new Error(`${what}: id ${ids[i]} at index ${i} is outside [0, ${rows})`);
  }
}

/** Rows `ids` of `table`. table [R, C] → [ids.length, C]; the gradient scatter-adds into [R, C]. */
export function gatherRows(table: tf.Tensor2D, ids: Int32Array): tf.Tensor2D {
  const [R, C] = table.shape;
  checkIds(ids, R, 'gatherRows');
  const f = tf.customGrad(((t: tf.Tensor) => ({
    value: tf.gather(t, tf.tensor1d(ids, 'int32')),
    gradFunc: (dy: tf.Tensor) => {
      const g = new Float32Array(R * C);
      const d = dy.dataSync() as Float32Array;
      for (let n = 0; n < ids.length; n++) {
        const dst = ids[n] * C;
        const src = n * C;
        for (let c = 0; c < C; c++) g[dst + c] += d[src + c];
      }
      return [tf.tensor2d(g, [R, C])];
    },
  })) as unknown as GradFn);
  return f(table) as tf.Tensor2D;
}

/**
 * Columns `ids` of `table`, as rows. table [C, R] → [ids.length, C]; the gradient scatter-adds
 * into [C, R]. This is the lookup of a tied embedding stored as the output head's [D, V] matrix.
 */
export function gatherColumns(table: tf.Tensor2D, ids: Int32Array): tf.Tensor2D {
  const [C, R] = table.shape;
  checkIds(ids, R, 'gatherColumns');
  const f = tf.customGrad(((t: tf.Tensor) => ({
    value: tf.transpose(tf.gather(t, tf.tensor1d(ids, 'int32'), 1)), //  [N, C]
    gradFunc: (dy: tf.Tensor) => {
      const g = new Float32Array(C * R);
      const d = dy.dataSync() as Float32Array;
      for (let n = 0; n < ids.length; n++) {
        const src = n * C;
        for (let c = 0; c < C; c++) g[c * R + ids[n]] += d[src + c];
      }
      return [tf.tensor2d(g, [C, R])];
    },
  })) as unknown as GradFn);
  return f(table) as tf.Tensor2D;
}

/** x[n, cols[n]] for every row n. x [N, V] → [N]; the gradient is dy[n] at (n, cols[n]). */
export function pickColumns(x: tf.Tensor2D, cols: Int32Array): tf.Tensor1D {
  const [N, V] = x.shape;
  if (cols.length !== N) throw new Error(`pickColumns: ${cols.length} columns for ${N} rows`);
  checkIds(cols, V, 'pickColumns');
  const flat = new Int32Array(N);
  for (let n = 0; n < N; n++) flat[n] = n * V + cols[n];
  const f = tf.customGrad(((t: tf.Tensor) => ({
    value: tf.gather(tf.reshape(t, [N * V]), tf.tensor1d(flat, 'int32')),
    gradFunc: (dy: tf.Tensor) => {
      const g = new Float32Array(N * V);
      const d = dy.dataSync() as Float32Array;
      for (let n = 0; n < N; n++) g[flat[n]] = d[n];
      return [tf.tensor2d(g, [N, V])];
    },
  })) as unknown as GradFn);
  return f(x) as tf.Tensor1D;
}
