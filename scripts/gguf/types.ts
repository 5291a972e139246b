/**
 * GGUF and ggml numbering, as in ggml/include/gguf.h and ggml/include/ggml.h.
 * Only the subset this project writes and reads is listed.
 */

/** Metadata value types (enum gguf_type). */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;
export type GgufValueType = (typeof GgufValueType)[keyof typeof GgufValueType];

/** Tensor element types (enum ggml_type) the writer can lay out. */
export const GgmlType = {
  F32: 0,
  F16: 1,
  Q8_0: 8,
} as const;
export type GgmlType = (typeof GgmlType)[keyof typeof GgmlType];

export const GGUF_MAGIC = "GGUF";
export const GGUF_VERSION = 3;
export const GGUF_DEFAULT_ALIGNMENT = 32;
/** ggml's GGML_MAX_NAME: tensor names must be shorter than this. */
export const GGML_MAX_NAME = 64;
export const GGML_MAX_DIMS = 4;

/** Values per block and bytes per block of each tensor type. */
const layout: Record<GgmlType, { blockValues: number; blockBytes: number }> = {
  [GgmlType.F32]: { blockValues: 1, blockBytes: 4 },
  [GgmlType.F16]: { blockValues: 1, blockBytes: 2 },
  [GgmlType.Q8_0]: { blockValues: 32, blockBytes: 34 },
};

export function isGgmlType(type: number): type is GgmlType {
  return Object.prototype.hasOwnProperty.call(layout, type);
}

export function ggmlTypeName(type: GgmlType): string {
  return type === GgmlType.F32 ? "F32" : type === GgmlType.F16 ? "F16" : "Q8_0";
}

export function blockValues(type: GgmlType): number {
  return layout[type].blockValues;
}

/**
 * Bytes of a tensor's data. dims are ggml's ne: ne[0] is the contiguous (row) length and
 * must be a whole number of blocks.
 */
export function tensorByteSize(type: GgmlType, dims: readonly number[]): number {
  const { blockValues, blockBytes } = layout[type];
  const [rowLength = 1] = dims;
  if (rowLength % blockValues !== 0) {
    throw new Error(`row length ${rowLength} is not a multiple of the ${ggmlTypeName(type)} block size ${blockValues}`);
  }
  const rows = dims.slice(1).reduce((a, b) => a * b, 1);
  return (rowLength / blockValues) * blockBytes * rows;
}

export function padTo(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}
