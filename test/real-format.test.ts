/**
 * Reading real checkpoints: half-precision conversions, the safetensors reader (single file and
 * sharded) and its errors, config.json parsing and its errors, Llama-3 RoPE bands, and the
 * parameter counts behind the memory estimate.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { countRealParameters, estimateMemory, formatMemory, parseRealConfig, readRealConfig } from '../src/real/config';
import { bf16ToFloat, decodeToFloat32, encodeFromFloat32, floatToBf16, floatToHalf, halfToFloat } from '../src/real/dtype';
import { loadRealModel } from '../src/real/model';
import { defaultInvFreq, llama3InvFreq, ropeInvFreq } from '../src/real/rope';
import { SafetensorsFile, ShardedSafetensors, openCheckpointTensors, writeSafetensors } from '../src/real/safetensors';
import { weightSpecs } from '../src/real/weights';
import { tinyConfig, writeTinyCheckpoint } from './helpers/realTiny';

let tmp: string;
beforeAll(async () => {
  await initBackend({ quiet: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'real-format-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function tmpDir(name: string): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

/** A safetensors file with a hand-written header. */
function writeRaw(file: string, header: object, dataBytes: number): void {
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  fs.writeFileSync(file, Buffer.concat([len, json, Buffer.alloc(dataBytes)]));
}

describe('half-precision conversions', () => {
  test('F16 bits → float: normals, subnormals, limits, inf and NaN', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x3555)).toBe(0.333251953125);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x0400)).toBe(2 ** -14);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });

  test('float → F16 rounds to nearest, ties to even', () => {
    expect(floatToHalf(1)).toBe(0x3c00);
    expect(floatToHalf(65504)).toBe(0x7bff);
    expect(floatToHalf(65520)).toBe(0x7c00); //                 halfway to the next binade: rounds to inf
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); //         tie → even mantissa 0
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02); //     tie → even mantissa 2
    expect(floatToHalf(1.5 * 2 ** -24)).toBe(0x0002); //       subnormal tie → even
    expect(floatToHalf(2 ** -25)).toBe(0x0000);
    expect(floatToHalf(-2)).toBe(0xc000);
    expect(floatToHalf(NaN) & 0x7c00).toBe(0x7c00);
    for (let h = 0; h < 0x7c00; h += 37) expect(floatToHalf(halfToFloat(h))).toBe(h);
  });

  test('BF16 ↔ float', () => {
    expect(bf16ToFloat(0x3f80)).toBe(1);
    expect(bf16ToFloat(0x4049)).toBe(3.140625);
    expect(bf16ToFloat(0xc000)).toBe(-2);
    expect(bf16ToFloat(0x7f80)).toBe(Infinity);
    expect(floatToBf16(Math.PI)).toBe(0x4049);
    expect(floatToBf16(1 + 2 ** -8)).toBe(0x3f80); //          tie → even
    expect(floatToBf16(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(bf16ToFloat(floatToBf16(NaN))).toBeNaN();
  });

  test.each(['F32', 'F16', 'BF16'] as const)('%s bytes decode to what was encoded (up to the format)', (dtype) => {
    const v = Float32Array.from([0, 1, -2.5, 3.140625, 0.1, 1e-3, 300]);
    const back = decodeToFloat32(encodeFromFloat32(v, dtype), dtype);
    const tol = dtype === 'F32' ? 0 : dtype === 'F16' ? 2 ** -11 : 2 ** -8;
    v.forEach((x, i) => expect(Math.abs(back[i] - x)).toBeLessThanOrEqual(Math.abs(x) * tol));
    expect(back[3]).toBe(3.140625); //                                 exactly representable in all three
    // An unaligned view takes the byte-by-byte path and must agree with the typed-array path.
    const enc = encodeFromFloat32(v, dtype);
    const shifted = new Uint8Array(enc.length + 1);
    shifted.set(enc, 1);
    expect(Array.from(decodeToFloat32(shifted.subarray(1), dtype))).toEqual(Array.from(back));
  });
});

describe('safetensors reader', () => {
  test.each(['F32', 'F16', 'BF16'] as const)('writes and reads %s tensors tensor by tensor', (dtype) => {
    const file = path.join(tmpDir('rt'), `t-${dtype}.safetensors`);
    const a = Float32Array.from({ length: 12 }, (_, i) => i / 4 - 1);
    const b = Float32Array.from([7, -0.5]);
    writeSafetensors(file, { a: { shape: [3, 4], data: a }, b: { shape: [2], data: b } }, dtype);
    // The data section starts 8-byte aligned, as the reference writer leaves it.
    expect(Number(fs.readFileSync(file).readBigUInt64LE(0)) % 8).toBe(0);
    const f = new SafetensorsFile(file);
    expect(f.names().sort()).toEqual(['a', 'b']);
    expect(f.info('a')).toMatchObject({ dtype, shape: [3, 4] });
    expect(Array.from(f.read('a'))).toEqual(Array.from(a));
    expect(Array.from(f.read('b'))).toEqual([7, -0.5]);
    f.close();
  });

  test('unsupported dtype: one line naming the file, the tensor and the dtype', () => {
    const file = path.join(tmpDir('bad'), 'i64.safetensors');
    writeRaw(file, { ids: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, 16);
    expect(() => new SafetensorsFile(file)).toThrow(`${file}: tensor 'ids' has dtype I64; supported: F32, F16, BF16`);
  });

  test('missing file', () => {
    const file = path.join(tmp, 'nope.safetensors');
    expect(() => new SafetensorsFile(file)).toThrow(`${file}: file not found`);
    expect(() => openCheckpointTensors(tmpDir('empty'))).toThrow(/neither model\.safetensors nor model\.safetensors\.index\.json/);
  });

  test('truncated file: the error names the tensor whose bytes are missing', () => {
    const file = path.join(tmpDir('trunc'), 'model.safetensors');
    writeSafetensors(file, { first: { shape: [4], data: new Float32Array(4) }, second: { shape: [8], data: new Float32Array(8) } }, 'F32');
    fs.truncateSync(file, fs.statSync(file).size - 5);
    expect(() => new SafetensorsFile(file)).toThrow(new RegExp(`^${file.replace(/[.]/g, '\\.')}: tensor 'second': bytes \\[\\d+, \\d+\\) lie beyond the end of the file`));
    fs.truncateSync(file, 20);
    expect(() => new SafetensorsFile(file)).toThrow(/truncated file \(header needs \d+ bytes, file has 20\)/);
  });

  test('header offsets that disagree with the shape or lie outside the file', () => {
    const file = path.join(tmpDir('offs'), 'x.safetensors');
    writeRaw(file, { w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 20] } }, 24);
    expect(() => new SafetensorsFile(file)).toThrow(`${file}: tensor 'w': data_offsets span 20 bytes, shape [2,3] × F32 needs 24`);
    writeRaw(file, { w: { dtype: 'F32', shape: [2, 3], data_offsets: [8, 32] } }, 24);
    expect(() => new SafetensorsFile(file)).toThrow(/tensor 'w': bytes \[\d+, \d+\) lie beyond the end of the file/);
    writeRaw(file, { w: { dtype: 'F16', shape: [2], data_offsets: [4, 0] } }, 8);
    expect(() => new SafetensorsFile(file)).toThrow(`${file}: tensor 'w' has invalid data_offsets [4,0]`);
  });

  test('a sharded checkpoint reads the same tensors as the single file', () => {
    const one = tmpDir('one');
    const two = tmpDir('two');
    writeTinyCheckpoint(one, 'olmo2', { seed: 3, dtype: 'BF16' });
    writeTinyCheckpoint(two, 'olmo2', { seed: 3, dtype: 'BF16', sharded: true });
    const a = openCheckpointTensors(one);
    const b = openCheckpointTensors(two);
    expect(b).toBeInstanceOf(ShardedSafetensors);
    expect(b.names().sort()).toEqual(a.names().sort());
    const files = new Set(b.names().map((n) => path.basename(b.info(n).file)));
    expect([...files].sort()).toEqual(['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
    for (const n of a.names()) expect(Array.from(b.read(n))).toEqual(Array.from(a.read(n)));
    a.close();
    b.close();
  });

  test('a shard the index names but that is not there', () => {
    const d = tmpDir('lost-shard');
    writeTinyCheckpoint(d, 'qwen2', { sharded: true });
    fs.rmSync(path.join(d, 'model-00002-of-00002.safetensors'));
    const src = openCheckpointTensors(d);
    expect(() => src.read('model.norm.weight')).toThrow(/model-00002-of-00002\.safetensors: file not found/);
    src.close();
  });
});

describe('config.json', () => {
  test('the three architectures, with defaults and generation_config eos ids', () => {
    const d = tmpDir('cfg');
    writeTinyCheckpoint(d, 'qwen2');
    const q = readRealConfig(d);
    expect(q).toMatchObject({ arch: 'qwen2', hiddenSize: 32, numHeads: 4, numKvHeads: 2, headDim: 8, tieWordEmbeddings: true, qkvBias: true, oBias: false, mlpBias: false });
    expect(q.eosTokenIds).toEqual([2, 3]);
    const l = parseRealConfig(tinyConfig('llama'));
    expect(l.ropeScaling).toEqual({ type: 'llama3', factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 64 });
    expect(l).toMatchObject({ qkvBias: false, oBias: false, tieWordEmbeddings: false });
    const o = { ...tinyConfig('olmo2') } as Record<string, unknown>;
    delete o.rms_norm_eps;
    expect(parseRealConfig(o)).toMatchObject({ arch: 'olmo2', rmsNormEps: 1e-5, eosTokenIds: [2] });
    // Newer transformers write rope_parameters instead of rope_theta / rope_scaling.
    const moved = { ...tinyConfig('llama'), rope_scaling: undefined, rope_theta: undefined, rope_parameters: { rope_type: 'llama3', rope_theta: 500000, factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 } };
    expect(parseRealConfig(moved)).toMatchObject({ ropeTheta: 500000, ropeScaling: { type: 'llama3', originalMaxPositionEmbeddings: 8192 } });
  });

  test('unsupported architecture and missing fields: one line naming config.json and the field', () => {
    expect(() => parseRealConfig({ ...tinyConfig('qwen2'), architectures: ['GPT2LMHeadModel'] }, '/m/config.json')).toThrow(
      `/m/config.json: field 'architectures' is ["GPT2LMHeadModel"]; supported: Qwen2ForCausalLM, LlamaForCausalLM, Olmo2ForCausalLM`,
    );
    const noHidden = { ...tinyConfig('llama') } as Record<string, unknown>;
    delete noHidden.hidden_size;
    expect(() => parseRealConfig(noHidden, '/m/config.json')).toThrow(`/m/config.json: field 'hidden_size' is missing`);
    const badRope = { ...tinyConfig('llama'), rope_scaling: { rope_type: 'llama3', factor: 8, high_freq_factor: 4, original_max_position_embeddings: 64 } };
    expect(() => parseRealConfig(badRope, '/m/config.json')).toThrow(`/m/config.json: field 'rope_scaling.low_freq_factor' is missing`);
    expect(() => parseRealConfig({ ...tinyConfig('llama'), rope_scaling: { rope_type: 'yarn', factor: 4 } })).toThrow(/rope_scaling\.rope_type' 'yarn' is not supported/);
    expect(() => parseRealConfig({ ...tinyConfig('qwen2'), num_key_value_heads: 3 })).toThrow(/num_key_value_heads' \(3\) must divide num_attention_heads \(4\)/);
    expect(() => parseRealConfig({ ...tinyConfig('qwen2'), hidden_act: 'gelu' })).toThrow(/hidden_act' is 'gelu'/);
    expect(() => readRealConfig(tmpDir('no-config'))).toThrow(/config\.json: file not found/);
  });
});

describe('loading errors', () => {
  test('a tensor the architecture needs is missing from the checkpoint', async () => {
    const d = tmpDir('missing-tensor');
    writeTinyCheckpoint(d, 'llama');
    const src = new SafetensorsFile(path.join(d, 'model.safetensors'));
    const keep = Object.fromEntries(src.names().filter((n) => n !== 'model.layers.1.mlp.up_proj.weight').map((n) => [n, { shape: src.info(n).shape, data: src.read(n) }]));
    src.close();
    writeSafetensors(path.join(d, 'model.safetensors'), keep, 'F32');
    await expect(loadRealModel(d)).rejects.toThrow(`${path.join(d, 'model.safetensors')}: tensor 'model.layers.1.mlp.up_proj.weight' is missing; config.json describes a llama model with 2 layers`);
  });

  test('a tensor whose shape disagrees with config.json', async () => {
    const d = tmpDir('bad-shape');
    writeTinyCheckpoint(d, 'qwen2');
    const cfgFile = path.join(d, 'config.json');
    fs.writeFileSync(cfgFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(cfgFile, 'utf8')), intermediate_size: 72 }));
    await expect(loadRealModel(d)).rejects.toThrow(/tensor 'model\.layers\.0\.mlp\.gate_proj\.weight' has shape \[64,32\], config\.json implies \[72,32\]/);
  });
});

describe('RoPE', () => {
  test("llama3 scaling keeps high frequencies, divides low ones by factor, blends the band between (HF's _compute_llama3_parameters)", () => {
    const cfg = parseRealConfig(tinyConfig('llama')); // head_dim 16, θ = 10⁴, original context 64, factor 8, bands 1 / 4
    const base = defaultInvFreq(16, 10000);
    const scaled = ropeInvFreq(cfg);
    const wavelen = Array.from(base, (f) => (2 * Math.PI) / f);
    const kinds = new Set<string>();
    base.forEach((f, i) => {
      if (wavelen[i] < 64 / 4) { expect(scaled[i]).toBe(f); kinds.add('kept'); }
      else if (wavelen[i] > 64 / 1) { expect(scaled[i]).toBeCloseTo(f / 8, 15); kinds.add('divided'); }
      else {
        const s = (64 / wavelen[i] - 1) / (4 - 1);
        expect(scaled[i]).toBeCloseTo((1 - s) * (f / 8) + s * f, 15);
        expect(scaled[i]).toBeLessThan(f);
        expect(scaled[i]).toBeGreaterThan(f / 8);
        kinds.add('blended');
      }
    });
    expect([...kinds].sort()).toEqual(['blended', 'divided', 'kept']);
    // The published Llama-3.1 setting leaves the highest frequency alone and divides the lowest by 8.
    const l31 = llama3InvFreq(defaultInvFreq(128, 500000), { type: 'llama3', factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192 });
    expect(l31[0]).toBe(1);
    expect(l31[63]).toBeCloseTo(500000 ** (-126 / 128) / 8, 20);
  });
});

describe('memory estimate', () => {
  test('parameter counts: the tiny checkpoints and published model sizes', () => {
    for (const arch of ['qwen2', 'llama', 'olmo2'] as const) {
      const cfg = parseRealConfig(tinyConfig(arch));
      const stored = weightSpecs(cfg).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
      expect(countRealParameters(cfg)).toBe(stored);
    }
    const qwenMath7b = parseRealConfig({
      architectures: ['Qwen2ForCausalLM'], vocab_size: 152064, hidden_size: 3584, intermediate_size: 18944, num_hidden_layers: 28,
      num_attention_heads: 28, num_key_value_heads: 4, rope_theta: 10000, tie_word_embeddings: false,
    });
    expect(countRealParameters(qwenMath7b)).toBe(7_615_616_512);
    const llama8b = parseRealConfig({
      architectures: ['LlamaForCausalLM'], vocab_size: 128256, hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32,
      num_attention_heads: 32, num_key_value_heads: 8, rope_theta: 500000, tie_word_embeddings: false,
      rope_scaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 },
    });
    expect(countRealParameters(llama8b)).toBe(8_030_261_248);
    const qwen15 = parseRealConfig({
      architectures: ['Qwen2ForCausalLM'], vocab_size: 151936, hidden_size: 1536, intermediate_size: 8960, num_hidden_layers: 28,
      num_attention_heads: 12, num_key_value_heads: 2, tie_word_embeddings: true,
    });
    expect(countRealParameters(qwen15)).toBe(1_543_714_304);
    const m = estimateMemory(qwen15, { batch: 8, seqLen: 1024, training: true });
    expect(m.weightBytes).toBe(4 * 1_543_714_304);
    expect(m.optimizerBytes).toBe(2 * m.weightBytes);
    expect(m.gradientBytes).toBe(m.weightBytes);
    expect(m.activationBytes).toBeGreaterThan(3 * 8 * 1024 * 151936 * 4);
    expect(m.totalBytes).toBe(m.weightBytes + m.optimizerBytes + m.gradientBytes + m.activationBytes);
    const line = formatMemory(qwen15, { batch: 8, seqLen: 1024, training: true });
    expect(line).toMatch(/^qwen2 1\.54B params: weights 6\.2 GB \+ AdamW 12\.3 GB \+ grads 6\.2 GB \+ activations [\d.]+ GB \(batch 8 × 1024\) = [\d.]+ GB \(float32\)$/);
    const infer = estimateMemory(qwen15, { batch: 1, seqLen: 1024, training: false });
    expect(infer.optimizerBytes + infer.gradientBytes).toBe(0);
    expect(formatMemory(qwen15, { batch: 1, seqLen: 1024, training: false })).not.toMatch(/AdamW/);
  });
});
