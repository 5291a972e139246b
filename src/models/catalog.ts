/**
 * The Qwen2-Math / Qwen2.5-Math family: where each model comes from, which GGUF
 * quantizations exist, its context length and its shape (for memory estimates).
 *
 * GGUF files are community conversions on the Hugging Face Hub (the Qwen organisation
 * publishes safetensors only). Checksums are not pinned here: `pull` takes the SHA-256
 * the Hub publishes for each file (its LFS object id) and verifies the download against it.
 */
import type { PromptFormat } from "../prompts/formats.js";

export type ModelKind = "instruct" | "base" | "reward" | "process-reward";

/** Dimensions that decide memory use. */
export interface ModelShape {
  /** All weights, the embedding (and a separate output head, where there is one) included. */
  params: number;
  layers: number;
  hidden: number;
  kvHeads: number;
  headDim: number;
  /** Embedding rows (config.json's vocab_size): Qwen2's 151,646 tokens padded to 151,936 (1.5B) or 152,064 (7B, 72B). */
  vocab: number;
  /** The output head is the embedding (1.5B), not a matrix of its own (7B, 72B). */
  tiedEmbeddings: boolean;
}

export interface GgufSource {
  /** Hub repository holding the GGUF files. */
  repo: string;
  /** File name for a quantization; `{quant}` is replaced. */
  fileTemplate: string;
  quants: readonly string[];
  defaultQuant: string;
}

export interface CatalogModel {
  id: string;
  name: string;
  family: "Qwen2-Math" | "Qwen2.5-Math";
  kind: ModelKind;
  /** The original (safetensors) repository on the Hub. */
  hfSource: string;
  contextLength: number;
  shape: ModelShape;
  /** Null when llama.cpp cannot run the model (reward models): serve it with vLLM. */
  gguf: GgufSource | null;
  promptFormat: PromptFormat;
}

const SHAPE_1_5B: ModelShape = { params: 1.54e9, layers: 28, hidden: 1536, kvHeads: 2, headDim: 128, vocab: 151936, tiedEmbeddings: true };
const SHAPE_7B: ModelShape = { params: 7.62e9, layers: 28, hidden: 3584, kvHeads: 4, headDim: 128, vocab: 152064, tiedEmbeddings: false };
const SHAPE_72B: ModelShape = { params: 72.7e9, layers: 80, hidden: 8192, kvHeads: 8, headDim: 128, vocab: 152064, tiedEmbeddings: false };

const K_QUANTS = ["Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0"] as const;

/** bartowski's naming: `<Name>-<QUANT>.gguf`. */
function bartowski(name: string, quants: readonly string[] = K_QUANTS): GgufSource {
  return { repo: `bartowski/${name}-GGUF`, fileTemplate: `${name}-{quant}.gguf`, quants, defaultQuant: "Q4_K_M" };
}
/** QuantFactory's naming: `<Name>.<QUANT>.gguf`. */
function quantFactory(name: string, quants: readonly string[] = K_QUANTS): GgufSource {
  return { repo: `QuantFactory/${name}-GGUF`, fileTemplate: `${name}.{quant}.gguf`, quants, defaultQuant: "Q4_K_M" };
}

function model(
  family: CatalogModel["family"],
  size: "1.5B" | "7B" | "72B",
  kind: "instruct" | "base",
): CatalogModel {
  const name = `${family}-${size}${kind === "instruct" ? "-Instruct" : ""}`;
  const shape = size === "1.5B" ? SHAPE_1_5B : size === "7B" ? SHAPE_7B : SHAPE_72B;
  return {
    id: name.toLowerCase(),
    name,
    family,
    kind,
    hfSource: `Qwen/${name}`,
    contextLength: 4096,
    shape,
    gguf: kind === "instruct" ? bartowski(name) : quantFactory(name),
    promptFormat: kind === "base" ? "few-shot" : family === "Qwen2.5-Math" ? "qwen25-math-cot" : "qwen2-math-cot",
  };
}

export const CATALOG: readonly CatalogModel[] = [
  model("Qwen2.5-Math", "1.5B", "instruct"),
  model("Qwen2.5-Math", "7B", "instruct"),
  model("Qwen2.5-Math", "72B", "instruct"),
  model("Qwen2.5-Math", "1.5B", "base"),
  model("Qwen2.5-Math", "7B", "base"),
  model("Qwen2.5-Math", "72B", "base"),
  model("Qwen2-Math", "1.5B", "instruct"),
  model("Qwen2-Math", "7B", "instruct"),
  model("Qwen2-Math", "72B", "instruct"),
  model("Qwen2-Math", "1.5B", "base"),
  model("Qwen2-Math", "7B", "base"),
  model("Qwen2-Math", "72B", "base"),
  {
    id: "qwen2.5-math-rm-72b",
    name: "Qwen2.5-Math-RM-72B",
    family: "Qwen2.5-Math",
    kind: "reward",
    hfSource: "Qwen/Qwen2.5-Math-RM-72B",
    contextLength: 4096,
    shape: SHAPE_72B,
    gguf: null,
    promptFormat: "qwen25-math-cot",
  },
  {
    id: "qwen2.5-math-prm-7b",
    name: "Qwen2.5-Math-PRM-7B",
    family: "Qwen2.5-Math",
    kind: "process-reward",
    hfSource: "Qwen/Qwen2.5-Math-PRM-7B",
    contextLength: 4096,
    shape: SHAPE_7B,
    gguf: null,
    promptFormat: "qwen25-math-cot",
  },
];

export const DEFAULT_MODEL_ID = "qwen2.5-math-1.5b-instruct";

/** Finds a model by id or Hub name, case-insensitively ("Qwen/Qwen2.5-Math-7B-Instruct" works too). */
export function findModel(idOrName: string): CatalogModel | undefined {
  const key = idOrName.toLowerCase().replace(/^qwen\//, "");
  return CATALOG.find((m) => m.id === key);
}

/** The GGUF file name of a model at a quantization. */
export function ggufFileName(source: GgufSource, quant: string): string {
  return source.fileTemplate.replace("{quant}", quant);
}

/** Approximate bits per weight of llama.cpp quantizations (file size / parameters). */
export const BITS_PER_WEIGHT: Readonly<Record<string, number>> = {
  Q4_K_M: 4.85,
  Q5_K_M: 5.69,
  Q6_K: 6.56,
  Q8_0: 8.5,
  F16: 16,
};
