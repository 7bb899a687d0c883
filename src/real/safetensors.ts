/**
 * safetensors, read tensor by tensor: an 8-byte little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets: [begin, end]}} and then the raw bytes, offsets counted from
 * the end of the header. Multi-GB checkpoints are never read whole: the reader keeps a file
 * descriptor and reads one tensor's byte range at a time. A sharded checkpoint
 * (`model.safetensors.index.json` → weight_map) is read through the same interface.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DTYPE_BYTES, StorageDtype, decodeToFloat32, encodeFromFloat32, isStorageDtype } from './dtype';

export interface TensorInfo {
  name: string;
  dtype: StorageDtype;
  shape: number[];
  /** The file that holds it (a shard, for sharded checkpoints). */
  file: string;
  /** Absolute byte range in `file`. */
  begin: number;
  end: number;
}

/** Read access to the tensors of one checkpoint (one file or several shards). */
export interface TensorSource {
  /** The file or index file, for error messages. */
  readonly where: string;
  names(): string[];
  has(name: string): boolean;
  info(name: string): TensorInfo;
  /** The tensor's values as float32 (converted from F16/BF16). */
  read(name: string): Float32Array;
  close(): void;
}

const MAX_HEADER = 100 * 1024 * 1024; // the format's own limit on the JSON header

/** One `.safetensors` file: the header is parsed and checked on open, tensors are read on demand. */
export class SafetensorsFile implements TensorSource {
  readonly file: string;
  readonly where: string;
  private readonly tensors = new Map<string, TensorInfo>();
  private fd: number | null;

  constructor(file: string) {
    this.file = file;
    this.where = file;
    if (!fs.existsSync(file)) throw new Error(`${file}: file not found`);
    this.fd = fs.openSync(file, 'r');
    try {
      this.parseHeader();
    } catch (e) {
      this.close();
      throw e;
    }
  }

  private parseHeader(): void {
    const size = fs.fstatSync(this.fd!).size;
    if (size < 8) throw new Error(`${this.file}: truncated file (${size} bytes, shorter than the 8-byte header length)`);
    const lenBuf = Buffer.alloc(8);
    fs.readSync(this.fd!, lenBuf, 0, 8, 0);
    const headerLen = Number(lenBuf.readBigUInt64LE(0));
    if (headerLen > MAX_HEADER) throw new Error(`${this.file}: header length ${headerLen} is not plausible (not a safetensors file?)`);
    if (8 + headerLen > size) throw new Error(`${this.file}: truncated file (header needs ${8 + headerLen} bytes, file has ${size})`);
    const headerBuf = Buffer.alloc(headerLen);
    fs.readSync(this.fd!, headerBuf, 0, headerLen, 8);
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(headerBuf.toString('utf8'));
    } catch (e) {
      throw new Error(`${this.file}: header is not valid JSON (${(e as Error).message})`);
    }
    const dataStart = 8 + headerLen;
    for (const [name, raw] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      const entry = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
      const where = `${this.file}: tensor '${name}'`;
      if (typeof entry?.dtype !== 'string') throw new Error(`${where} has no dtype`);
      if (!isStorageDtype(entry.dtype)) throw new Error(`${where} has dtype ${entry.dtype}; supported: F32, F16, BF16`);
      const shape = entry.shape;
      if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`${where} has an invalid shape ${JSON.stringify(shape)}`);
      const offs = entry.data_offsets;
      if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isInteger(o) && o >= 0) || offs[1] < offs[0]) {
        throw new Error(`${where} has invalid data_offsets ${JSON.stringify(offs)}`);
      }
      const expected = (shape as number[]).reduce((a, b) => a * b, 1) * DTYPE_BYTES[entry.dtype];
      if (offs[1] - offs[0] !== expected) throw new Error(`${where}: data_offsets span ${offs[1] - offs[0]} bytes, shape [${shape}] × ${entry.dtype} needs ${expected}`);
      const begin = dataStart + offs[0];
      const end = dataStart + offs[1];
      if (end > size) throw new Error(`${where}: bytes [${begin}, ${end}) lie beyond the end of the file (${size} bytes; truncated?)`);
      this.tensors.set(name, { name, dtype: entry.dtype, shape: shape as number[], file: this.file, begin, end });
    }
  }

  names(): string[] {
    return [...this.tensors.keys()];
  }

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  info(name: string): TensorInfo {
    const t = this.tensors.get(name);
    if (!t) throw new Error(`${this.file}: no tensor named '${name}'`);
    return t;
  }

  read(name: string): Float32Array {
    const t = this.info(name);
    if (this.fd === null) throw new Error(`${this.file}: read of tensor '${name}' after close`);
    const bytes = new Uint8Array(t.end - t.begin);
    let done = 0;
    while (done < bytes.length) {
      const n = fs.readSync(this.fd, bytes, done, bytes.length - done, t.begin + done);
      if (n === 0) throw new Error(`${this.file}: tensor '${name}' ends early (file shrank or is truncated)`);
      done += n;
    }
    return decodeToFloat32(bytes, t.dtype);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/** The shards named by `model.safetensors.index.json`, opened lazily as tensors are asked for. */
export class ShardedSafetensors implements TensorSource {
  readonly indexFile: string;
  readonly where: string;
  private readonly weightMap: Map<string, string>;
  private readonly shards = new Map<string, SafetensorsFile>();

  constructor(indexFile: string) {
    this.indexFile = indexFile;
    this.where = indexFile;
    if (!fs.existsSync(indexFile)) throw new Error(`${indexFile}: file not found`);
    let index: { weight_map?: unknown };
    try {
      index = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
    } catch (e) {
      throw new Error(`${indexFile}: not valid JSON (${(e as Error).message})`);
    }
    const wm = index.weight_map;
    if (!wm || typeof wm !== 'object') throw new Error(`${indexFile}: missing field 'weight_map'`);
    this.weightMap = new Map(Object.entries(wm as Record<string, unknown>).map(([k, v]) => {
      if (typeof v !== 'string') throw new Error(`${indexFile}: weight_map['${k}'] is not a file name`);
      return [k, v];
    }));
  }

  private shardOf(name: string): SafetensorsFile {
    const rel = this.weightMap.get(name);
    if (rel === undefined) throw new Error(`${this.indexFile}: no tensor named '${name}' in weight_map`);
    let shard = this.shards.get(rel);
    if (!shard) {
      shard = new SafetensorsFile(path.join(path.dirname(this.indexFile), rel));
      this.shards.set(rel, shard);
    }
    if (!shard.has(name)) throw new Error(`${shard.file}: no tensor named '${name}' (weight_map in ${path.basename(this.indexFile)} says it is here)`);
    return shard;
  }

  names(): string[] {
    return [...this.weightMap.keys()];
  }

  has(name: string): boolean {
    return this.weightMap.has(name);
  }

  info(name: string): TensorInfo {
    return this.shardOf(name).info(name);
  }

  read(name: string): Float32Array {
    return this.shardOf(name).read(name);
  }

  close(): void {
    for (const s of this.shards.values()) s.close();
    this.shards.clear();
  }
}

export const SINGLE_FILE = 'model.safetensors';
export const INDEX_FILE = 'model.safetensors.index.json';

/** The checkpoint's tensors in `dir`: the sharded index when present, else the single file. */
export function openCheckpointTensors(dir: string): TensorSource {
  const index = path.join(dir, INDEX_FILE);
  if (fs.existsSync(index)) return new ShardedSafetensors(index);
  const single = path.join(dir, SINGLE_FILE);
  if (fs.existsSync(single)) return new SafetensorsFile(single);
  throw new Error(`${dir}: neither ${SINGLE_FILE} nor ${INDEX_FILE} found`);
}

export interface TensorToWrite {
  shape: number[];
  data: Float32Array;
}

/**
 * Writes tensors (float32 values) to one `.safetensors` file stored as `dtype`, in the given order.
 * The header is padded with spaces to a multiple of 8 bytes, as the reference writer does.
 */
export function writeSafetensors(file: string, tensors: Record<string, TensorToWrite>, dtype: StorageDtype, metadata: Record<string, string> = { format: 'pt' }): void {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new Error(`${file}: tensor '${name}' has ${t.data.length} values, shape [${t.shape}] needs ${n}`);
    const bytes = n * DTYPE_BYTES[dtype];
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(headerBytes.length));
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, len);
    fs.writeSync(fd, headerBytes);
    for (const t of Object.values(tensors)) fs.writeSync(fd, encodeFromFloat32(t.data, dtype));
  } finally {
    fs.closeSync(fd);
  }
}
