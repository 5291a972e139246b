/**
 * Checks a GGUF file before llama.cpp sees it: llama.cpp aborts the whole process on some
 * malformed files instead of reporting an error, so qmath reads the header itself (with
 * node-llama-cpp's JavaScript GGUF reader) and checks that the tensor data is all there
 * (a truncated download is the usual corruption).
 */
import { stat } from "node:fs/promises";
import { readGgufFileInfo, type GgufFileInfo } from "node-llama-cpp";
import { QmathError } from "../errors.js";

/** Bytes per block and values per block of ggml tensor types (ggml.c's type traits). */
const GGML_BLOCKS: Readonly<Record<number, [bytes: number, values: number]>> = {
  0: [4, 1], // F32
  1: [2, 1], // F16
  2: [18, 32], // Q4_0
  3: [20, 32], // Q4_1
  6: [22, 32], // Q5_0
  7: [24, 32], // Q5_1
  8: [34, 32], // Q8_0
  9: [36, 32], // Q8_1
  10: [84, 256], // Q2_K
  11: [110, 256], // Q3_K
  12: [144, 256], // Q4_K
  13: [176, 256], // Q5_K
  14: [210, 256], // Q6_K
  15: [292, 256], // Q8_K
  16: [66, 256], // IQ2_XXS
  17: [74, 256], // IQ2_XS
  18: [98, 256], // IQ3_XXS
  19: [50, 256], // IQ1_S
  20: [18, 32], // IQ4_NL
  21: [110, 256], // IQ3_S
  22: [82, 256], // IQ2_S
  23: [136, 256], // IQ4_XS
  24: [1, 1], // I8
  25: [2, 1], // I16
  26: [4, 1], // I32
  27: [8, 1], // I64
  28: [8, 1], // F64
  29: [56, 256], // IQ1_M
  30: [2, 1], // BF16
};

export interface GgufSummary {
  architecture: string;
  name: string | undefined;
  contextLength: number | undefined;
  chatTemplate: string | undefined;
}

function invalid(path: string, why: string): QmathError {
  return new QmathError(
    "model_invalid",
    `${path} is not a usable GGUF model: ${why}.`,
    "Download it again with 'qmath pull <model>' (an interrupted download resumes), or pass another file with --model.",
  );
}

/** Reads and checks a GGUF file; throws a QmathError naming the problem. */
export async function checkGguf(path: string): Promise<GgufSummary> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw invalid(path, "it is not a file");
    size = s.size;
  } catch (e) {
    if (e instanceof QmathError) throw e;
    throw new QmathError("model_not_found", `No model file at ${path}.`, "Check the path, or run 'qmath models' to see the models qmath can download.");
  }
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false });
  } catch (e) {
    throw invalid(path, `its header cannot be read (${e instanceof Error ? e.message : String(e)})`);
  }
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  if (tensors.length === 0) throw invalid(path, "it holds no tensors");
  let end = 0;
  for (const t of tensors) {
    const block = GGML_BLOCKS[t.ggmlType as number];
    const values = t.dimensions.reduce<number>((a, d) => a * Number(d), 1);
    const bytes = block ? Math.ceil(values / block[1]) * block[0] : 0;
    end = Math.max(end, Number(t.fileOffset) + bytes);
  }
  if (end > size) throw invalid(path, `it is truncated (${size} bytes, its tensors need ${end})`);

  const metadata = info.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
  const general = metadata.general ?? {};
  const architecture = String(general.architecture ?? "");
  if (!architecture) throw invalid(path, "it names no architecture");
  const arch = metadata[architecture] ?? {};
  const tokenizer = metadata.tokenizer as { chat_template?: string } | undefined;
  return {
    architecture,
    name: typeof general.name === "string" ? general.name : undefined,
    contextLength: typeof arch.context_length === "number" ? arch.context_length : undefined,
    chatTemplate: tokenizer?.chat_template,
  };
}
