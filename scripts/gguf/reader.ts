/**
 * Reads the header of a GGUF file (metadata and tensor infos, not tensor data) so files can
 * be checked in JavaScript before llama.cpp, which aborts on some malformed files, sees them.
 * Reads through a file descriptor in chunks: multi-gigabyte files are fine.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GgufValueType, padTo } from "./types.js";

export type GgufValue = number | bigint | boolean | string | GgufValue[];

export interface GgufTensorInfo {
  name: string;
  dims: number[];
  type: number;
  /** Offset relative to the start of the data section. */
  offset: number;
}

export interface GgufHeader {
  version: number;
  metadata: Map<string, GgufValue>;
  /** The value type of each metadata key; arrays as "array:<element type>". */
  metadataTypes: Map<string, string>;
  tensors: GgufTensorInfo[];
  alignment: number;
  /** Absolute file offset of the data section. */
  dataOffset: number;
  fileSize: number;
}

const typeNames: Record<number, string> = Object.fromEntries(
  Object.entries(GgufValueType).map(([name, id]) => [id, name.toLowerCase()]),
);

class ChunkedReader {
  private buffer = Buffer.alloc(0);
  private bufferStart = 0;
  position = 0;

  constructor(
    private readonly fd: number,
    readonly fileSize: number,
  ) {}

  private need(n: number): void {
    const end = this.position + n;
    if (end > this.fileSize) throw new Error(`unexpected end of file at byte ${this.position} (needed ${n} more)`);
    if (this.position >= this.bufferStart && end <= this.bufferStart + this.buffer.length) return;
    const size = Math.min(Math.max(n, 1 << 20), this.fileSize - this.position);
    this.buffer = Buffer.alloc(size);
    const read = readSync(this.fd, this.buffer, 0, size, this.position);
    if (read !== size) throw new Error(`short read at byte ${this.position}`);
    this.bufferStart = this.position;
  }

  /** Makes n bytes available and returns their index in this.buffer (which it may replace). */
  private take(n: number): number {
    this.need(n);
    const at = this.position - this.bufferStart;
    this.position += n;
    return at;
  }

  u8(): number {
    const at = this.take(1);
    return this.buffer.readUInt8(at);
  }
  i8(): number {
    const at = this.take(1);
    return this.buffer.readInt8(at);
  }
  u16(): number {
    const at = this.take(2);
    return this.buffer.readUInt16LE(at);
  }
  i16(): number {
    const at = this.take(2);
    return this.buffer.readInt16LE(at);
  }
  u32(): number {
    const at = this.take(4);
    return this.buffer.readUInt32LE(at);
  }
  i32(): number {
    const at = this.take(4);
    return this.buffer.readInt32LE(at);
  }
  f32(): number {
    const at = this.take(4);
    return this.buffer.readFloatLE(at);
  }
  f64(): number {
    const at = this.take(8);
    return this.buffer.readDoubleLE(at);
  }
  u64(): bigint {
    const at = this.take(8);
    return this.buffer.readBigUInt64LE(at);
  }
  i64(): bigint {
    const at = this.take(8);
    return this.buffer.readBigInt64LE(at);
  }
  /** A u64 that must fit a JS number (counts, lengths, dims, offsets). */
  size(): number {
    const v = this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`size ${v} at byte ${this.position - 8} is too large`);
    return Number(v);
  }
  string(): string {
    const length = this.size();
    const at = this.take(length);
    return this.buffer.toString("utf8", at, at + length);
  }
}

function readValue(reader: ChunkedReader, type: number): GgufValue {
  switch (type) {
    case GgufValueType.UINT8:
      return reader.u8();
    case GgufValueType.INT8:
      return reader.i8();
    case GgufValueType.UINT16:
      return reader.u16();
    case GgufValueType.INT16:
      return reader.i16();
    case GgufValueType.UINT32:
      return reader.u32();
    case GgufValueType.INT32:
      return reader.i32();
    case GgufValueType.FLOAT32:
      return reader.f32();
    case GgufValueType.BOOL:
      return reader.u8() !== 0;
    case GgufValueType.STRING:
      return reader.string();
    case GgufValueType.UINT64:
      return reader.u64();
    case GgufValueType.INT64:
      return reader.i64();
    case GgufValueType.FLOAT64:
      return reader.f64();
    default:
      throw new Error(`unknown metadata value type ${type} at byte ${reader.position - 4}`);
  }
}

/** Reads magic, version, metadata and tensor infos. Throws on anything malformed. */
export function readGgufHeader(path: string): GgufHeader {
  const fd = openSync(path, "r");
  try {
    const reader = new ChunkedReader(fd, fstatSync(fd).size);
    const magic = String.fromCharCode(reader.u8(), reader.u8(), reader.u8(), reader.u8());
    if (magic !== GGUF_MAGIC) throw new Error(`not a GGUF file (magic ${JSON.stringify(magic)})`);
    const version = reader.u32();
    if (version !== 2 && version !== 3) throw new Error(`unsupported GGUF version ${version}`);
    const tensorCount = reader.size();
    const kvCount = reader.size();

    const metadata = new Map<string, GgufValue>();
    const metadataTypes = new Map<string, string>();
    for (let i = 0; i < kvCount; i++) {
      const key = reader.string();
      if (metadata.has(key)) throw new Error(`duplicate metadata key "${key}"`);
      const type = reader.u32();
      if (type === GgufValueType.ARRAY) {
        const elementType = reader.u32();
        const length = reader.size();
        const items: GgufValue[] = new Array(length);
        for (let j = 0; j < length; j++) items[j] = readValue(reader, elementType);
        metadata.set(key, items);
        metadataTypes.set(key, `array:${typeNames[elementType] ?? elementType}`);
      } else {
        metadata.set(key, readValue(reader, type));
        metadataTypes.set(key, typeNames[type] ?? String(type));
      }
    }

    const tensors: GgufTensorInfo[] = [];
    for (let i = 0; i < tensorCount; i++) {
      const name = reader.string();
      const nDims = reader.u32();
      const dims: number[] = [];
      for (let j = 0; j < nDims; j++) dims.push(reader.size());
      const type = reader.u32();
      const offset = reader.size();
      tensors.push({ name, dims, type, offset });
    }

    const alignmentValue = metadata.get("general.alignment");
    const alignment = typeof alignmentValue === "number" ? alignmentValue : GGUF_DEFAULT_ALIGNMENT;
    return {
      version,
      metadata,
      metadataTypes,
      tensors,
      alignment,
      dataOffset: padTo(reader.position, alignment),
      fileSize: reader.fileSize,
    };
  } finally {
    closeSync(fd);
  }
}

/** True when the file exists and starts with the GGUF magic. */
export function hasGgufMagic(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return false;
  }
  try {
    const magic = Buffer.alloc(4);
    return readSync(fd, magic, 0, 4, 0) === 4 && magic.toString("latin1") === GGUF_MAGIC;
  } finally {
    closeSync(fd);
  }
}
