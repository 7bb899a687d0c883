/**
 * The floating-point storage types of Hugging Face checkpoints, converted to and from float32
 * (tfjs computes in float32). Half-precision conversions round to nearest, ties to even, as
 * PyTorch's `.to(torch.float16)` / `.to(torch.bfloat16)` do.
 */
export type StorageDtype = 'F32' | 'F16' | 'BF16';

export const DTYPE_BYTES: Readonly<Record<StorageDtype, number>> = { F32: 4, F16: 2, BF16: 2 };

export function isStorageDtype(d: string): d is StorageDtype {
  return d === 'F32' || d === 'F16' || d === 'BF16';
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half (1 sign, 5 exponent, 10 mantissa bits) → number, including subnormals, ±inf and NaN. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const man = h & 0x3ff;
  if (exp === 0) return sign * man * 2 ** -24; //                   subnormal (or zero)
  if (exp === 0x1f) return man ? NaN : sign * Infinity;
  return sign * (1 + man / 1024) * 2 ** (exp - 15);
}

/** number → IEEE half bits, rounding the float32 value to nearest even. */
export function floatToHalf(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let man = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (man ? 0x200 : 0); //     inf / NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; //                            overflow → inf
  if (e <= 0) {
    if (e < -10) return sign; //                                     underflow → ±0
    man |= 0x800000; //                                              implicit leading bit
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = man & ((1 << shift) - 1);
    let m = man >>> shift;
    if (rest > half || (rest === half && m & 1)) m++;
    return sign | m; //                                              a carry into the exponent is the correct result
  }
  let out = sign | (e << 10) | (man >>> 13);
  const rest = man & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && out & 1)) out++; //       a carry may round up to inf, also correct
  return out;
}

/** bfloat16 bits (the top half of a float32) → number. */
export function bf16ToFloat(h: number): number {
  u32[0] = (h & 0xffff) << 16;
  return f32[0];
}

/** number → bfloat16 bits, rounding the float32 value to nearest even. */
export function floatToBf16(x: number): number {
  f32[0] = x;
  const b = u32[0];
  if ((b & 0x7f800000) === 0x7f800000 && b & 0x7fffff) return ((b >>> 16) | 0x40) & 0xffff; // keep NaN a NaN
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

let HALF_TABLE: Float32Array | null = null;

/** Every F16 bit pattern's value (256 KB), built on first use. */
function halfTable(): Float32Array {
  if (!HALF_TABLE) {
    HALF_TABLE = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) HALF_TABLE[h] = halfToFloat(h);
  }
  return HALF_TABLE;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Little-endian stored bytes → float32 values. */
export function decodeToFloat32(bytes: Uint8Array, dtype: StorageDtype): Float32Array {
  const n = bytes.length / DTYPE_BYTES[dtype];
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
    // Typed-array views read the bytes as they are: no per-element DataView calls (a checkpoint has billions).
    if (dtype === 'F32') return new Float32Array(bytes.buffer, bytes.byteOffset, n).slice();
    if (dtype === 'F16') {
      const src = new Uint16Array(bytes.buffer, bytes.byteOffset, n);
      const table = halfTable();
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = table[src[i]];
      return out;
    }
    if (dtype === 'BF16') {
      const src = new Uint16Array(bytes.buffer, bytes.byteOffset, n);
      const out = new Float32Array(n);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) bits[i] = src[i] << 16;
      return out;
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  if (dtype === 'F32') for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  else if (dtype === 'F16') for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
  else {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16;
  }
  return out;
}

/** float32 values → little-endian stored bytes. */
export function encodeFromFloat32(values: Float32Array, dtype: StorageDtype): Uint8Array {
  const out = new Uint8Array(values.length * DTYPE_BYTES[dtype]);
  const view = new DataView(out.buffer);
  if (dtype === 'F32') for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
  else if (dtype === 'F16') for (let i = 0; i < values.length; i++) view.setUint16(2 * i, floatToHalf(values[i]), true);
  else for (let i = 0; i < values.length; i++) view.setUint16(2 * i, floatToBf16(values[i]), true);
  return out;
}
