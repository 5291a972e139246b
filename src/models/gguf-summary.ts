/**
 * Worker-thread side of checkGguf: reads a GGUF header with node-llama-cpp's JavaScript
 * reader and posts back a small summary (the thread has a memory cap and a time limit, so a
 * hostile header cannot take the process down).
 */
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { readGgufFileInfo } from "node-llama-cpp";

export interface GgufSummary {
  architecture: string;
  name: string | undefined;
  contextLength: number | undefined;
  chatTemplate: string | undefined;
}

export type SummaryMessage = { ok: true; summary: GgufSummary; dataEnd: number } | { ok: false; error: string };

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

async function summarize(path: string): Promise<SummaryMessage> {
  let info;
  try {
    info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false });
  } catch (e) {
    return { ok: false, error: `its header cannot be read (${e instanceof Error ? e.message : String(e)})` };
  }
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  if (tensors.length === 0) return { ok: false, error: "it holds no tensors" };
  let dataEnd = 0;
  for (const t of tensors) {
    const block = GGML_BLOCKS[t.ggmlType as number];
    const values = t.dimensions.reduce<number>((a, d) => a * Number(d), 1);
    const bytes = block ? Math.ceil(values / block[1]) * block[0] : 0;
    dataEnd = Math.max(dataEnd, Number(t.fileOffset) + bytes);
  }
  const metadata = info.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
  const general = metadata.general ?? {};
  const architecture = String(general.architecture ?? "");
  if (!architecture) return { ok: false, error: "it names no architecture" };
  const arch = metadata[architecture] ?? {};
  const tokenizer = metadata.tokenizer as { chat_template?: string } | undefined;
  const summary: GgufSummary = {
    architecture,
    name: typeof general.name === "string" ? general.name : undefined,
    contextLength: typeof arch.context_length === "number" ? arch.context_length : undefined,
    chatTemplate: typeof tokenizer?.chat_template === "string" ? tokenizer.chat_template : undefined,
  };
  return { ok: true, summary, dataEnd };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  void summarize((workerData as { path: string }).path).then((m) => port.postMessage(m));
}
