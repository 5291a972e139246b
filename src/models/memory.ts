/** Memory estimates: weights at a quantization plus the KV cache of the samples running at once. */
import { BITS_PER_WEIGHT, type ModelShape } from "./catalog.js";

const GIB = 1024 ** 3;
/** Compute buffers and runtime overhead of llama.cpp, measured roughly on CPU. */
const OVERHEAD_BYTES = 0.3 * GIB;

function weightBytes(shape: ModelShape, quant: string): number {
  const bpw = BITS_PER_WEIGHT[quant] ?? 16;
  return (shape.params * bpw) / 8;
}

/** KV cache in F16: keys and values, per layer, per KV head, per token, per sample. */
function kvCacheBytes(shape: ModelShape, contextTokens: number, samples: number): number {
  return 2 * shape.layers * shape.kvHeads * shape.headDim * 2 * contextTokens * samples;
}

export function estimateMemoryBytes(shape: ModelShape, quant: string, contextTokens: number, samples: number): number {
  return weightBytes(shape, quant) + kvCacheBytes(shape, contextTokens, samples) + OVERHEAD_BYTES;
}

export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}
