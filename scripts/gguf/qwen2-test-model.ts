/**
 * Qwen2-architecture GGUF files with seeded random weights, for tests and benchmarks when no
 * real weights can be downloaded. Tensor names and shapes follow llama.cpp's qwen2 loader
 * (src/models/qwen2.cpp). The vocabulary is either the real Qwen2.5 one (`qwen2.5`, written as
 * llama.cpp's converter writes it: qwen25-vocab.ts) or a small synthetic one (`synthetic`:
 * vocab.ts); the chat template (our own) renders as Qwen2.5-Math-Instruct's does.
 * Same shape + vocabulary + seed + type → byte-identical file.
 */
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { constantTensor, randomTensor } from "./random-tensors.js";
import { GgmlType } from "./types.js";
import { buildQwen25Vocab, QWEN25_VOCAB } from "./qwen25-vocab.js";
import { buildVocab, type Vocab, type VocabOptions } from "./vocab.js";
import { GgufWriter } from "./writer.js";

export interface Qwen2Shape {
  embedding: number;
  blocks: number;
  heads: number;
  kvHeads: number;
  feedForward: number;
  context: number;
  ropeFreqBase: number;
  rmsEpsilon: number;
  /** The vocabulary when none is asked for. */
  defaultVocab: VocabName;
  /** The synthetic vocabulary's options (its rows padded like the real one's in the 1.5B shape). */
  syntheticVocab: VocabOptions;
  /** No output.weight: the output projection reuses token_embd (as Qwen2.5-Math-1.5B does). */
  tiedEmbeddings: boolean;
  defaultType: TensorTypeName;
}

export const SHAPES = {
  tiny: {
    embedding: 64,
    blocks: 2,
    heads: 4,
    kvHeads: 2,
    feedForward: 128,
    context: 4096,
    ropeFreqBase: 10000,
    rmsEpsilon: 1e-6,
    defaultVocab: "synthetic",
    syntheticVocab: { learnedMerges: 1000 },
    tiedEmbeddings: true,
    defaultType: "f16",
  },
  /** The real Qwen2.5-Math-1.5B(-Instruct) hyperparameters. */
  "1.5b": {
    embedding: 1536,
    blocks: 28,
    heads: 12,
    kvHeads: 2,
    feedForward: 8960,
    context: 4096,
    ropeFreqBase: 10000,
    rmsEpsilon: 1e-6,
    defaultVocab: "qwen2.5",
    syntheticVocab: { learnedMerges: 1000, normalTokens: QWEN25_VOCAB.bpeTokens, totalSize: QWEN25_VOCAB.embeddingRows },
    tiedEmbeddings: true,
    defaultType: "q8_0",
  },
} satisfies Record<string, Qwen2Shape>;

/** `qwen2.5`: the real Qwen2.5 vocabulary, 151,936 rows; `synthetic`: our own small BPE vocabulary. */
export const VOCAB_NAMES = ["qwen2.5", "synthetic"] as const;
export type VocabName = (typeof VOCAB_NAMES)[number];

export type ShapeName = keyof typeof SHAPES;
export const SHAPE_NAMES = Object.keys(SHAPES) as ShapeName[];

export const TENSOR_TYPES = { f32: GgmlType.F32, f16: GgmlType.F16, q8_0: GgmlType.Q8_0 } as const;
export type TensorTypeName = keyof typeof TENSOR_TYPES;

/** general.file_type (llama_ftype) for a model whose big matrices have this type. */
const FILE_TYPES: Record<TensorTypeName, number> = { f32: 0, f16: 1, q8_0: 7 };

/** Standard deviation of every random matrix and bias: small enough for finite logits. */
const WEIGHT_STD = 0.02;

/**
 * The test models' chat template, written for qmath: it renders chats as the
 * Qwen2.5-Math-Instruct models' template does (ChatML; the CoT system prompt when a chat has no
 * system message; an assistant's tool calls as <tool_call> blocks after its text; a run of tool
 * results as one user turn of <tool_response> blocks), so that tests can check qmath's ChatML
 * against a template rendering.
 */
export const CHAT_TEMPLATE = String.raw`{#- qmath test-model chat template (ChatML) -#}
{%- set start = '<|im_start|>' -%}
{%- set end = '<|im_end|>\n' -%}
{%- if messages | length > 0 and messages[0].role == 'system' -%}
  {{- start ~ 'system\n' ~ messages[0].content ~ end -}}
  {%- set turns = messages[1:] -%}
{%- else -%}
  {{- start ~ 'system\nPlease reason step by step, and put your final answer within \\boxed{}.' ~ end -}}
  {%- set turns = messages -%}
{%- endif -%}
{%- for turn in turns -%}
  {%- set before = turns[loop.index0 - 1].role if not loop.first else '' -%}
  {%- set after = turns[loop.index0 + 1].role if not loop.last else '' -%}
  {%- if turn.role == 'tool' -%}
    {%- if before != 'tool' -%}{{- start ~ 'user' -}}{%- endif -%}
    {{- '\n<tool_response>\n' ~ turn.content ~ '\n</tool_response>' -}}
    {%- if after != 'tool' -%}{{- end -}}{%- endif -%}
  {%- elif turn.role == 'assistant' and turn.tool_calls -%}
    {{- start ~ 'assistant' -}}
    {%- if turn.content -%}{{- '\n' ~ turn.content -}}{%- endif -%}
    {%- for call in turn.tool_calls -%}
      {%- set fn = call.function if call.function is defined else call -%}
      {{- '\n<tool_call>\n{"name": "' ~ fn.name ~ '", "arguments": ' ~ (fn.arguments | tojson) ~ '}\n</tool_call>' -}}
    {%- endfor -%}
    {{- end -}}
  {%- else -%}
    {{- start ~ turn.role ~ '\n' ~ turn.content ~ end -}}
  {%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{- start ~ 'assistant\n' -}}{%- endif -%}`;

export interface TestModelOptions {
  shape: ShapeName;
  seed: number;
  /** Type of the large matrices (norms and biases are always F32). */
  type?: TensorTypeName;
  /** The vocabulary (default: the shape's). */
  vocab?: VocabName;
  /** Write no tokenizer.chat_template (a model file without one; default: CHAT_TEMPLATE). */
  noChatTemplate?: boolean;
}

/** The tokenizer keys, in the order convert_hf_to_gguf.py writes them; then the chat template. */
function addTokenizer(writer: GgufWriter, vocab: Vocab, chatTemplate: boolean): void {
  const ids = vocab.specialIds;
  writer
    .set("tokenizer.ggml.model", { type: "string", value: "gpt2" })
    .set("tokenizer.ggml.pre", { type: "string", value: "qwen2" })
    .set("tokenizer.ggml.tokens", { type: "string[]", value: vocab.tokens })
    .set("tokenizer.ggml.token_type", { type: "int32[]", value: vocab.tokenTypes })
    .set("tokenizer.ggml.merges", { type: "string[]", value: vocab.merges })
    .set("tokenizer.ggml.eos_token_id", { type: "uint32", value: ids.eos })
    .set("tokenizer.ggml.padding_token_id", { type: "uint32", value: ids.padding })
    .set("tokenizer.ggml.bos_token_id", { type: "uint32", value: ids.bos });
  if (ids.eot !== undefined) writer.set("tokenizer.ggml.eot_token_id", { type: "uint32", value: ids.eot });
  writer.set("tokenizer.ggml.add_bos_token", { type: "bool", value: false });
  if (chatTemplate) writer.set("tokenizer.chat_template", { type: "string", value: CHAT_TEMPLATE });
}

function buildNamedVocab(name: VocabName, shape: Qwen2Shape): Vocab {
  return name === "qwen2.5" ? buildQwen25Vocab() : buildVocab(shape.syntheticVocab);
}

function addTensors(writer: GgufWriter, shape: Qwen2Shape, nVocab: number, type: GgmlType, seed: number): void {
  const nEmbd = shape.embedding;
  const nEmbdKv = (nEmbd / shape.heads) * shape.kvHeads;
  const matrix = (name: string, dims: number[]): void => {
    writer.addTensor({ name, dims, type, data: randomTensor(type, dims, { seed, name }, WEIGHT_STD) });
  };
  const bias = (name: string, length: number): void => {
    const dims = [length];
    writer.addTensor({ name, dims, type: GgmlType.F32, data: randomTensor(GgmlType.F32, dims, { seed, name }, WEIGHT_STD) });
  };
  const norm = (name: string): void => {
    writer.addTensor({ name, dims: [nEmbd], type: GgmlType.F32, data: constantTensor(GgmlType.F32, [nEmbd], 1) });
  };

  matrix("token_embd.weight", [nEmbd, nVocab]);
  norm("output_norm.weight");
  if (!shape.tiedEmbeddings) matrix("output.weight", [nEmbd, nVocab]);
  for (let i = 0; i < shape.blocks; i++) {
    const blk = `blk.${i}.`;
    norm(`${blk}attn_norm.weight`);
    matrix(`${blk}attn_q.weight`, [nEmbd, nEmbd]);
    bias(`${blk}attn_q.bias`, nEmbd);
    matrix(`${blk}attn_k.weight`, [nEmbd, nEmbdKv]);
    bias(`${blk}attn_k.bias`, nEmbdKv);
    matrix(`${blk}attn_v.weight`, [nEmbd, nEmbdKv]);
    bias(`${blk}attn_v.bias`, nEmbdKv);
    matrix(`${blk}attn_output.weight`, [nEmbd, nEmbd]);
    norm(`${blk}ffn_norm.weight`);
    matrix(`${blk}ffn_gate.weight`, [nEmbd, shape.feedForward]);
    matrix(`${blk}ffn_up.weight`, [nEmbd, shape.feedForward]);
    matrix(`${blk}ffn_down.weight`, [shape.feedForward, nEmbd]);
  }
}

/** A writer holding the whole model description; tensor data is generated while writing. */
export function buildQwen2TestModel(options: TestModelOptions): { writer: GgufWriter; vocab: Vocab; digest: string } {
  const shape: Qwen2Shape = SHAPES[options.shape];
  const typeName = options.type ?? shape.defaultType;
  const vocabName = options.vocab ?? shape.defaultVocab;
  const vocab = buildNamedVocab(vocabName, shape);
  const writer = new GgufWriter();
  writer
    .set("general.architecture", { type: "string", value: "qwen2" })
    .set("general.name", { type: "string", value: `qmath random Qwen2 ${options.shape}${vocabName === "qwen2.5" ? " with the Qwen2.5 vocabulary" : ""} (seed ${options.seed})` })
    .set("general.file_type", { type: "uint32", value: FILE_TYPES[typeName] });
  if (typeName === "q8_0") writer.set("general.quantization_version", { type: "uint32", value: 2 });
  writer
    .set("qwen2.context_length", { type: "uint32", value: shape.context })
    .set("qwen2.embedding_length", { type: "uint32", value: shape.embedding })
    .set("qwen2.block_count", { type: "uint32", value: shape.blocks })
    .set("qwen2.feed_forward_length", { type: "uint32", value: shape.feedForward })
    .set("qwen2.attention.head_count", { type: "uint32", value: shape.heads })
    .set("qwen2.attention.head_count_kv", { type: "uint32", value: shape.kvHeads })
    .set("qwen2.attention.layer_norm_rms_epsilon", { type: "float32", value: shape.rmsEpsilon })
    .set("qwen2.rope.freq_base", { type: "float32", value: shape.ropeFreqBase });
  addTokenizer(writer, vocab, !options.noChatTemplate);
  addTensors(writer, shape, vocab.tokens.length, TENSOR_TYPES[typeName], options.seed);
  // What the file is made of (metadata, vocabulary, template, tensor shapes): a file made by
  // another version of this generator has another digest and is written again (--if-missing).
  const digest = writer.headerDigest();
  writer.set(RECIPE_DIGEST_KEY, { type: "string", value: digest });
  return { writer, vocab, digest };
}

/** The metadata key holding the digest of the recipe a test model was made from. */
export const RECIPE_DIGEST_KEY = "qmath.test_model.recipe_digest";

/**
 * Writes the model to path (creating its folder). Writes to a temporary name first and
 * renames, so a crash or a concurrent reader never sees a half-written file.
 */
export async function writeQwen2TestModel(path: string, options: TestModelOptions): Promise<{ bytes: number; vocabSize: number }> {
  const { writer, vocab } = buildQwen2TestModel(options);
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial-${process.pid}`;
  try {
    const bytes = await writer.writeTo(partial);
    await rename(partial, path);
    return { bytes, vocabSize: vocab.tokens.length };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
