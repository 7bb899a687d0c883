import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
async function main() {
  await tf.setBackend('wasm'); await tf.ready();
  const time = (name: string, flops: number, f: () => tf.Tensor, reps = 5) => {
    f().dispose();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) { const r = f(); r.dataSync(); r.dispose(); }
    const s = (performance.now() - t0) / reps / 1000;
    console.log(name.padEnd(40), (s * 1000).toFixed(2), 'ms', flops ? (flops / s / 1e9).toFixed(2) + ' GFLOP/s' : '');
  };
  const N = 8192, D = 128;
  const x = tf.randomNormal([N, D]); const w = tf.randomNormal([D, 4 * D]); const wT = tf.randomNormal([4 * D, D]);
  const x4 = tf.randomNormal([N, 4*D]);
  time('mm [8192,128]x[128,512]', 2 * N * D * 4 * D, () => tf.matMul(x, w));
  time('mm [8192,512]x[512,128]', 2 * N * D * 4 * D, () => tf.matMul(x4, wT));
  time('mm transB [8192,128]x[512,128]^T', 2 * N * D * 4 * D, () => tf.matMul(x, wT, false, true));
  time('mm transA [8192,128]^T x [8192,512]', 2 * N * D * 4 * D, () => tf.matMul(x, x4, true, false));
  time('transpose [8192,128]', 0, () => tf.transpose(x));
  time('transpose [8192,512]', 0, () => tf.transpose(x4));
  const xt = tf.transpose(x);
  time('mm [128,8192]x[8192,512]', 2 * N * D * 4 * D, () => tf.matMul(xt, x4));
  const q = tf.randomNormal([512, 64, 32]); const kT = tf.randomNormal([512, 32, 64]);
  time('bmm [512,64,32]x[512,32,64]', 2 * 512 * 64 * 64 * 32, () => tf.matMul(q, kT));
  time('bmm transB [512,64,32]x[512,64,32]^T', 2 * 512 * 64 * 64 * 32, () => tf.matMul(q, q, false, true));
  const s = tf.randomNormal([512, 64, 64]);
  time('bmm [512,64,64]x[512,64,32]', 2 * 512 * 64 * 64 * 32, () => tf.matMul(s, q));
  time('softmax [512,64,64]', 0, () => tf.softmax(s));
  time('add [8192,512]', 0, () => tf.add(x4, x4));
  time('mul [8192,512]', 0, () => tf.mul(x4, x4));
  time('tanh [8192,512]', 0, () => tf.tanh(x4));
  time('sum axis -1 [8192,512]', 0, () => tf.sum(x4, -1));
  time('transpose4d [128,64,4,32]->[128,4,64,32]', 0, () => tf.transpose(x.reshape([128,64,4,32]), [0,2,1,3]));
  const oh = tf.oneHot(tf.randomUniform([N], 0, 48, 'int32'), 48).toFloat(); const emb = tf.randomNormal([48, D]);
  time('onehot mm [8192,48]x[48,128]', 2*N*48*D, () => tf.matMul(oh, emb));
  time('gather [48,128] by 8192', 0, () => tf.gather(emb, tf.randomUniform([N], 0, 48, 'int32')));
}
main();
