/**
 * Sources of seeded random tensor data, produced in chunks for the streaming writer.
 * Values are uniform with a chosen standard deviation (bounded, so activations stay finite).
 */
import { encodeTensor } from "./encode.js";
import { float32ToFloat16Bits } from "./fp16.js";
import { Xoshiro128, hashString } from "./prng.js";
import { GgmlType, tensorByteSize } from "./types.js";
import type { TensorDataSource } from "./writer.js";

/** About this many bytes per chunk handed to the writer. */
const CHUNK_BYTES = 4 << 20;

/** Standard deviation of a uniform int8 over [-128, 127]. */
const INT8_UNIFORM_STD = Math.sqrt((256 * 256 - 1) / 12);

/**
 * Random values of standard deviation std (mean 0) for a tensor of the given type and dims.
 * Q8_0 is generated directly: random int8 quants with one fixed scale, which is exactly a
 * uniform distribution over 256 levels — and fast enough for gigabytes.
 * The values depend only on seed and name (not on other tensors), and every pass over the
 * source yields the same bytes.
 */
export function randomTensor(
  type: GgmlType,
  dims: readonly number[],
  random: { seed: number; name: string },
  std: number,
): TensorDataSource {
  const newRng = () => new Xoshiro128(random.seed, hashString(random.name));
  const totalBytes = tensorByteSize(type, dims);
  if (type === GgmlType.Q8_0) {
    const scaleBits = float32ToFloat16Bits(std / INT8_UNIFORM_STD);
    return function* () {
      const rng = newRng();
      const blockBytes = 34;
      const chunkBlocks = Math.floor(CHUNK_BYTES / blockBytes);
      for (let done = 0; done < totalBytes; ) {
        const size = Math.min(chunkBlocks * blockBytes, totalBytes - done);
        const chunk = new Uint8Array(size);
        rng.fillBytes(chunk);
        for (let at = 0; at < size; at += blockBytes) {
          chunk[at] = scaleBits & 0xff;
          chunk[at + 1] = scaleBits >>> 8;
        }
        done += size;
        yield chunk;
      }
    };
  }
  const halfWidth = std * Math.sqrt(3);
  const totalValues = dims.reduce((a, b) => a * b, 1);
  return function* () {
    const rng = newRng();
    const chunkValues = CHUNK_BYTES / 4;
    for (let done = 0; done < totalValues; ) {
      const values = new Float32Array(Math.min(chunkValues, totalValues - done));
      for (let i = 0; i < values.length; i++) values[i] = (rng.nextFloat() * 2 - 1) * halfWidth;
      done += values.length;
      yield encodeTensor(type, values);
    }
  };
}

/** Every value equal to value (e.g. RMSNorm weights of 1). */
export function constantTensor(type: GgmlType, dims: readonly number[], value: number): TensorDataSource {
  const totalValues = dims.reduce((a, b) => a * b, 1);
  return function* () {
    yield encodeTensor(type, new Float32Array(totalValues).fill(value));
  };
}
