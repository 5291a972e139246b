/**
 * Memory estimates: the weights at a quantization, llama.cpp's tables of the vocabulary, the
 * KV cache of the samples running at once, and the runtime with its compute buffers.
 *
 * Measured on CPU with a random-weight model of the real Qwen2.5-Math-1.5B shape and the real
 * Qwen2.5 vocabulary (Q8_0, 1,565 MiB of weights; npm run make-test-model -- --shape 1.5b):
 * Node and llama.cpp take 87 MiB before a model; loading it adds the weights plus about 151
 * MiB for the vocabulary (llama.cpp's token and merge tables for 151,936 rows, measured by
 * test/models/memory.test.ts as the tiny model with that vocabulary against the same model
 * with a 548-token one); a 4096-token context for one sample adds its 112 MiB KV cache and the
 * compute buffers, of which about 95 MiB are touched evaluating a prompt in 512-token batches.
 * `qmath solve` peaked at 1,983 MiB resident (a 310-token prompt; 2,021 MiB with 600 tokens
 * driven directly); this estimate says 2,019 MiB.
 */
import { BITS_PER_WEIGHT, type ModelShape } from "./catalog.js";

const GIB = 1024 ** 3;
/** llama.cpp's tables per vocabulary row (token text, attributes, merges, lookup maps): 151 MiB / 151,936. */
const VOCAB_TABLE_BYTES_PER_ROW = 1050;
/** Node, llama.cpp, and the compute buffers a 512-token batch touches. */
const RUNTIME_BYTES = 0.19 * GIB;

/** The weights at a quantization's average bits per weight (file size / parameters), the embedding included. */
export function weightBytes(shape: ModelShape, quant: string): number {
  const bpw = BITS_PER_WEIGHT[quant] ?? 16;
  return (shape.params * bpw) / 8;
}

/** The embedding's parameters (and the output head's, where it is a matrix of its own). */
export function embeddingParams(shape: ModelShape): number {
  return shape.vocab * shape.hidden * (shape.tiedEmbeddings ? 1 : 2);
}

/** llama.cpp's in-memory tables of the vocabulary, besides the embedding weights. */
export function vocabTableBytes(shape: ModelShape): number {
  return shape.vocab * VOCAB_TABLE_BYTES_PER_ROW;
}

/** KV cache in F16: keys and values, per layer, per KV head, per token, per sample. */
export function kvCacheBytes(shape: ModelShape, contextTokens: number, samples: number): number {
  return 2 * shape.layers * shape.kvHeads * shape.headDim * 2 * contextTokens * samples;
}

export function estimateMemoryBytes(shape: ModelShape, quant: string, contextTokens: number, samples: number): number {
  return weightBytes(shape, quant) + vocabTableBytes(shape) + kvCacheBytes(shape, contextTokens, samples) + RUNTIME_BYTES;
}

export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}
