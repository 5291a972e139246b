/**
 * A small GGUF v3 writer (little-endian). Metadata and tensor descriptions are collected
 * first; writeTo() then streams the file: header, key/values, tensor infos, padding, and each
 * tensor's data pulled chunk by chunk from its source, so a multi-gigabyte model never sits
 * in memory.
 *
 * Layout (ggml/src/gguf.cpp): "GGUF", u32 version, u64 tensor count, u64 kv count; each kv
 * is a string key, a u32 type and the value; each tensor info is a string name, u32 n_dims,
 * u64 ne[n_dims] (ne[0] = contiguous dimension), u32 ggml type, u64 offset into the data
 * section. The data section starts at the next multiple of general.alignment and every
 * tensor starts at an aligned offset that llama.cpp recomputes and insists on.
 */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import {
  GGML_MAX_DIMS,
  GGML_MAX_NAME,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_VERSION,
  GgmlType,
  GgufValueType,
  ggmlTypeName,
  padTo,
  tensorByteSize,
} from "./types.js";

export type GgufMetadataValue =
  | { type: "uint32"; value: number }
  | { type: "int32"; value: number }
  | { type: "float32"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "string[]"; value: readonly string[] }
  | { type: "int32[]"; value: readonly number[] | Int32Array }
  | { type: "uint32[]"; value: readonly number[] | Uint32Array }
  | { type: "float32[]"; value: readonly number[] | Float32Array };

/** Produces a tensor's bytes in order, in chunks of any size. */
export type TensorDataSource = () => Iterable<Uint8Array>;

export interface GgufTensor {
  name: string;
  /** ggml ne: dims[0] is the innermost (contiguous) dimension. */
  dims: readonly number[];
  type: GgmlType;
  data: TensorDataSource;
}

/** Grows a byte buffer for the (small) header part of the file. */
class ByteSink {
  private buffer = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const next = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + n));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  u8(v: number): void {
    this.reserve(1);
    this.buffer.writeUInt8(v, this.length);
    this.length += 1;
  }
  u32(v: number): void {
    this.reserve(4);
    this.buffer.writeUInt32LE(v, this.length);
    this.length += 4;
  }
  i32(v: number): void {
    this.reserve(4);
    this.buffer.writeInt32LE(v, this.length);
    this.length += 4;
  }
  f32(v: number): void {
    this.reserve(4);
    this.buffer.writeFloatLE(v, this.length);
    this.length += 4;
  }
  u64(v: number): void {
    this.reserve(8);
    this.buffer.writeBigUInt64LE(BigInt(v), this.length);
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buffer.set(b, this.length);
    this.length += b.length;
  }
  /** GGUF string: u64 byte length, then UTF-8 bytes without a terminator. */
  string(s: string): void {
    const encoded = Buffer.from(s, "utf8");
    this.u64(encoded.length);
    this.bytes(encoded);
  }
  zeros(n: number): void {
    this.reserve(n);
    this.buffer.fill(0, this.length, this.length + n);
    this.length += n;
  }
  contents(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

function checkInteger(key: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`metadata ${key}: ${v} is out of range`);
}

function writeValue(sink: ByteSink, key: string, entry: GgufMetadataValue): void {
  switch (entry.type) {
    case "uint32":
      checkInteger(key, entry.value, 0, 0xffffffff);
      sink.u32(GgufValueType.UINT32);
      sink.u32(entry.value);
      return;
    case "int32":
      checkInteger(key, entry.value, -0x80000000, 0x7fffffff);
      sink.u32(GgufValueType.INT32);
      sink.i32(entry.value);
      return;
    case "float32":
      sink.u32(GgufValueType.FLOAT32);
      sink.f32(entry.value);
      return;
    case "bool":
      sink.u32(GgufValueType.BOOL);
      sink.u8(entry.value ? 1 : 0);
      return;
    case "string":
      sink.u32(GgufValueType.STRING);
      sink.string(entry.value);
      return;
    case "string[]":
      sink.u32(GgufValueType.ARRAY);
      sink.u32(GgufValueType.STRING);
      sink.u64(entry.value.length);
      for (const s of entry.value) sink.string(s);
      return;
    case "int32[]":
      sink.u32(GgufValueType.ARRAY);
      sink.u32(GgufValueType.INT32);
      sink.u64(entry.value.length);
      for (const v of entry.value) {
        checkInteger(key, v, -0x80000000, 0x7fffffff);
        sink.i32(v);
      }
      return;
    case "uint32[]":
      sink.u32(GgufValueType.ARRAY);
      sink.u32(GgufValueType.UINT32);
      sink.u64(entry.value.length);
      for (const v of entry.value) {
        checkInteger(key, v, 0, 0xffffffff);
        sink.u32(v);
      }
      return;
    case "float32[]":
      sink.u32(GgufValueType.ARRAY);
      sink.u32(GgufValueType.FLOAT32);
      sink.u64(entry.value.length);
      for (const v of entry.value) sink.f32(v);
      return;
  }
}

export class GgufWriter {
  private readonly metadata = new Map<string, GgufMetadataValue>();
  private readonly tensors: GgufTensor[] = [];
  readonly alignment: number;

  constructor(options: { alignment?: number } = {}) {
    this.alignment = options.alignment ?? GGUF_DEFAULT_ALIGNMENT;
    if (this.alignment <= 0 || (this.alignment & (this.alignment - 1)) !== 0) {
      throw new Error(`alignment ${this.alignment} is not a power of two`);
    }
    // Readers use the default alignment unless told otherwise; say it explicitly.
    this.set("general.alignment", { type: "uint32", value: this.alignment });
  }

  /** Sets a metadata key; keys are written in the order they were first set. */
  set(key: string, entry: GgufMetadataValue): this {
    if (key === "general.alignment" && this.metadata.has(key) && entry.value !== this.alignment) {
      throw new Error("general.alignment is fixed by the constructor");
    }
    this.metadata.set(key, entry);
    return this;
  }

  addTensor(tensor: GgufTensor): this {
    if (Buffer.byteLength(tensor.name, "utf8") >= GGML_MAX_NAME) {
      throw new Error(`tensor name "${tensor.name}" must be shorter than ${GGML_MAX_NAME} bytes`);
    }
    if (this.tensors.some((t) => t.name === tensor.name)) throw new Error(`duplicate tensor "${tensor.name}"`);
    if (tensor.dims.length < 1 || tensor.dims.length > GGML_MAX_DIMS) {
      throw new Error(`tensor "${tensor.name}" has ${tensor.dims.length} dims; 1 to ${GGML_MAX_DIMS} allowed`);
    }
    if (tensor.dims.some((d) => !Number.isSafeInteger(d) || d <= 0)) {
      throw new Error(`tensor "${tensor.name}" has invalid dims [${tensor.dims.join(", ")}]`);
    }
    tensorByteSize(tensor.type, tensor.dims); // throws if rows are not whole blocks
    this.tensors.push(tensor);
    return this;
  }

  /** SHA-256 of the header as it stands (metadata and tensor infos, not the tensor data), hex. */
  headerDigest(): string {
    return createHash("sha256").update(this.header()).digest("hex");
  }

  /** The header: everything before the data section, including the padding that ends it. */
  private header(): Buffer {
    const sink = new ByteSink();
    sink.bytes(Buffer.from(GGUF_MAGIC, "ascii"));
    sink.u32(GGUF_VERSION);
    sink.u64(this.tensors.length);
    sink.u64(this.metadata.size);
    for (const [key, entry] of this.metadata) {
      sink.string(key);
      writeValue(sink, key, entry);
    }
    let offset = 0;
    for (const tensor of this.tensors) {
      sink.string(tensor.name);
      sink.u32(tensor.dims.length);
      for (const d of tensor.dims) sink.u64(d);
      sink.u32(tensor.type);
      sink.u64(offset);
      offset += padTo(tensorByteSize(tensor.type, tensor.dims), this.alignment);
    }
    sink.zeros(padTo(sink.length, this.alignment) - sink.length);
    return sink.contents();
  }

  /** Streams the file to path (created or truncated); returns its size in bytes. */
  async writeTo(path: string): Promise<number> {
    const file = await open(path, "w");
    try {
      let position = 0;
      const write = async (bytes: Uint8Array): Promise<void> => {
        let done = 0;
        while (done < bytes.length) {
          const { bytesWritten } = await file.write(bytes, done, bytes.length - done, position);
          done += bytesWritten;
          position += bytesWritten;
        }
      };
      await write(this.header());
      const padding = new Uint8Array(this.alignment);
      for (const tensor of this.tensors) {
        const expected = tensorByteSize(tensor.type, tensor.dims);
        let produced = 0;
        for (const chunk of tensor.data()) {
          produced += chunk.length;
          if (produced > expected) break;
          await write(chunk);
        }
        if (produced !== expected) {
          throw new Error(
            `tensor "${tensor.name}" (${ggmlTypeName(tensor.type)} [${tensor.dims.join(", ")}]) ` +
              `needs ${expected} bytes, its source gave ${produced}${produced > expected ? "+" : ""}`,
          );
        }
        await write(padding.subarray(0, padTo(expected, this.alignment) - expected));
      }
      return position;
    } finally {
      await file.close();
    }
  }
}
