/** Turning float values into the bytes of a ggml tensor of a given type. */
import { float32ToFloat16Bits } from "./fp16.js";
import { GgmlType } from "./types.js";

export function encodeF32(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return out;
}

export function encodeF16(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setUint16(i * 2, float32ToFloat16Bits(values[i]!), true);
  return out;
}

/**
 * Q8_0 as ggml's quantize_row_q8_0_ref: per block of 32 values, d = max|x| / 127 stored as
 * fp16, then qs[i] = round(x[i] / d) as int8.
 */
export function quantizeQ8_0(values: Float32Array): Uint8Array {
  if (values.length % 32 !== 0) throw new Error(`Q8_0 needs a multiple of 32 values, got ${values.length}`);
  const blocks = values.length / 32;
  const out = new Uint8Array(blocks * 34);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    let amax = 0;
    for (let i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(values[b * 32 + i]!));
    const d = amax / 127;
    const id = d ? 1 / d : 0;
    view.setUint16(b * 34, float32ToFloat16Bits(d), true);
    for (let i = 0; i < 32; i++) view.setInt8(b * 34 + 2 + i, roundHalfAwayFromZero(values[b * 32 + i]! * id));
  }
  return out;
}

/** C's roundf, which ggml uses (Math.round rounds -2.5 to -2). */
function roundHalfAwayFromZero(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

export function encodeTensor(type: GgmlType, values: Float32Array): Uint8Array {
  switch (type) {
    case GgmlType.F32:
      return encodeF32(values);
    case GgmlType.F16:
      return encodeF16(values);
    case GgmlType.Q8_0:
      return quantizeQ8_0(values);
  }
}
