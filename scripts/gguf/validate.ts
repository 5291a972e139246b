/**
 * Structural checks of a Qwen2 GGUF file, done in JavaScript before llama.cpp loads it.
 * llama.cpp rejects most bad files with an error, but some (duplicate token strings, a
 * missing byte token) trip asserts that abort the whole process; and its loader is strict
 * about things that are easy to get wrong when writing files by hand (tensor offsets,
 * exact shapes, no extra tensors). Each problem is reported as one line.
 */
import { gpt2ByteOrder } from "./bpe.js";
import type { GgufHeader, GgufValue } from "./reader.js";
import { GGML_MAX_DIMS, GGML_MAX_NAME, blockValues, isGgmlType, padTo, tensorByteSize } from "./types.js";
import { TokenType } from "./vocab.js";

const REQUIRED_QWEN2_NUMBERS = [
  "qwen2.context_length",
  "qwen2.embedding_length",
  "qwen2.block_count",
  "qwen2.feed_forward_length",
  "qwen2.attention.head_count",
  "qwen2.attention.head_count_kv",
  "qwen2.attention.layer_norm_rms_epsilon",
] as const;

function checkTensorLayout(header: GgufHeader, problems: string[]): void {
  let expectedOffset = 0;
  const seen = new Set<string>();
  for (const t of header.tensors) {
    if (seen.has(t.name)) problems.push(`duplicate tensor name ${t.name}`);
    seen.add(t.name);
    if (Buffer.byteLength(t.name) >= GGML_MAX_NAME) problems.push(`tensor name ${t.name} is ${GGML_MAX_NAME}+ bytes`);
    if (t.dims.length < 1 || t.dims.length > GGML_MAX_DIMS) problems.push(`${t.name}: ${t.dims.length} dims`);
    if (!isGgmlType(t.type)) {
      problems.push(`${t.name}: tensor type ${t.type} is not one this project writes (F32, F16, Q8_0)`);
      return; // cannot size it, so later offsets cannot be checked
    }
    if (t.dims[0]! % blockValues(t.type) !== 0) {
      problems.push(`${t.name}: row length ${t.dims[0]} is not a multiple of the block size ${blockValues(t.type)}`);
      return;
    }
    // llama.cpp recomputes every offset and refuses the file if one differs.
    if (t.offset !== expectedOffset) problems.push(`${t.name}: offset ${t.offset}, expected ${expectedOffset}`);
    const size = tensorByteSize(t.type, t.dims);
    if (header.dataOffset + t.offset + size > header.fileSize) {
      problems.push(`${t.name}: data runs past the end of the file (truncated write?)`);
    }
    expectedOffset = t.offset + padTo(size, header.alignment);
  }
}

function isNumber(v: GgufValue | undefined): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

function checkTensorShapes(header: GgufHeader, nVocab: number, problems: string[]): void {
  const m = header.metadata;
  const nEmbd = m.get("qwen2.embedding_length") as number;
  const nFf = m.get("qwen2.feed_forward_length") as number;
  const nHead = m.get("qwen2.attention.head_count") as number;
  const nHeadKv = m.get("qwen2.attention.head_count_kv") as number;
  const nLayer = m.get("qwen2.block_count") as number;
  if (nEmbd % nHead !== 0 || nHead % nHeadKv !== 0) {
    problems.push(`embedding ${nEmbd}, ${nHead} heads, ${nHeadKv} kv heads do not divide evenly`);
    return;
  }
  const nEmbdGqa = (nEmbd / nHead) * nHeadKv;

  const expected = new Map<string, number[]>([
    ["token_embd.weight", [nEmbd, nVocab]],
    ["output_norm.weight", [nEmbd]],
  ]);
  for (let i = 0; i < nLayer; i++) {
    const blk = `blk.${i}.`;
    expected.set(`${blk}attn_norm.weight`, [nEmbd]);
    expected.set(`${blk}attn_q.weight`, [nEmbd, nEmbd]);
    expected.set(`${blk}attn_q.bias`, [nEmbd]);
    expected.set(`${blk}attn_k.weight`, [nEmbd, nEmbdGqa]);
    expected.set(`${blk}attn_k.bias`, [nEmbdGqa]);
    expected.set(`${blk}attn_v.weight`, [nEmbd, nEmbdGqa]);
    expected.set(`${blk}attn_v.bias`, [nEmbdGqa]);
    expected.set(`${blk}attn_output.weight`, [nEmbd, nEmbd]);
    expected.set(`${blk}ffn_norm.weight`, [nEmbd]);
    expected.set(`${blk}ffn_gate.weight`, [nEmbd, nFf]);
    expected.set(`${blk}ffn_up.weight`, [nEmbd, nFf]);
    expected.set(`${blk}ffn_down.weight`, [nFf, nEmbd]);
  }
  const optional = new Map<string, number[]>([["output.weight", [nEmbd, nVocab]]]);

  const present = new Map(header.tensors.map((t) => [t.name, t.dims]));
  for (const [name, dims] of expected) {
    const actual = present.get(name);
    if (!actual) problems.push(`missing tensor ${name}`);
    else if (actual.join(",") !== dims.join(",")) problems.push(`${name}: dims [${actual}], expected [${dims}]`);
  }
  for (const [name, dims] of present) {
    const wanted = expected.get(name) ?? optional.get(name);
    // llama.cpp counts tensors and refuses files with ones it did not ask for.
    if (!wanted) problems.push(`unexpected tensor ${name}`);
    else if (!expected.has(name) && dims.join(",") !== wanted.join(",")) {
      problems.push(`${name}: dims [${dims}], expected [${wanted}]`);
    }
  }
}

function checkTokenizer(header: GgufHeader, problems: string[]): number | undefined {
  const m = header.metadata;
  if (m.get("tokenizer.ggml.model") !== "gpt2") problems.push(`tokenizer.ggml.model must be "gpt2"`);
  const tokens = m.get("tokenizer.ggml.tokens");
  if (!Array.isArray(tokens) || header.metadataTypes.get("tokenizer.ggml.tokens") !== "array:string") {
    problems.push("tokenizer.ggml.tokens must be an array of strings");
    return undefined;
  }
  const ids = new Map<string, number>();
  tokens.forEach((t, i) => {
    const text = t as string;
    // Duplicates make llama.cpp's id_to_token/token_to_id sizes differ: GGML_ASSERT, abort.
    if (ids.has(text)) problems.push(`token ${i} ${JSON.stringify(text)} duplicates token ${ids.get(text)}`);
    else ids.set(text, i);
  });
  const missingBytes = gpt2ByteOrder().filter(({ char }) => !ids.has(char));
  if (missingBytes.length > 0) problems.push(`${missingBytes.length} of the 256 byte tokens are missing`);

  const types = m.get("tokenizer.ggml.token_type");
  if (!Array.isArray(types) || header.metadataTypes.get("tokenizer.ggml.token_type") !== "array:int32") {
    problems.push("tokenizer.ggml.token_type must be an int32 array");
  } else if (types.length < tokens.length) {
    problems.push(`token_type has ${types.length} entries for ${tokens.length} tokens`);
  } else {
    tokens.forEach((t, i) => {
      const text = t as string;
      const looksSpecial = /^<\|[a-z_]+\|>$/.test(text);
      if (looksSpecial && types[i] !== TokenType.CONTROL) {
        problems.push(`special token ${text} (${i}) has type ${types[i]}, not CONTROL (3): it would tokenize as text`);
      }
    });
  }

  const merges = m.get("tokenizer.ggml.merges");
  if (!Array.isArray(merges) || header.metadataTypes.get("tokenizer.ggml.merges") !== "array:string") {
    problems.push("tokenizer.ggml.merges must be an array of strings");
  } else {
    let bad = 0;
    let example = "";
    for (const merge of merges as string[]) {
      const space = merge.indexOf(" ", 1);
      if (space < 0 || !ids.has(merge.slice(0, space) + merge.slice(space + 1))) {
        bad++;
        example ||= merge;
      }
    }
    if (bad > 0) problems.push(`${bad} merges do not produce a token, e.g. ${JSON.stringify(example)}`);
  }

  for (const key of ["bos", "eos", "eot", "padding"]) {
    const id = m.get(`tokenizer.ggml.${key}_token_id`);
    if (id === undefined) continue;
    if (!isNumber(id) || id < 0 || id >= tokens.length) problems.push(`tokenizer.ggml.${key}_token_id ${id} is out of range`);
  }
  return tokens.length;
}

/** Problems that would make llama.cpp refuse or crash on this Qwen2 file; [] when none. */
export function validateQwen2Header(header: GgufHeader): string[] {
  const problems: string[] = [];
  checkTensorLayout(header, problems);
  const m = header.metadata;
  if (m.get("general.architecture") !== "qwen2") {
    problems.push(`general.architecture is ${JSON.stringify(m.get("general.architecture"))}, not "qwen2"`);
    return problems;
  }
  const missing = REQUIRED_QWEN2_NUMBERS.filter((k) => !isNumber(m.get(k)));
  for (const key of missing) problems.push(`missing or non-numeric ${key}`);
  const nVocab = checkTokenizer(header, problems);
  if (missing.length === 0 && nVocab !== undefined) checkTensorShapes(header, nVocab, problems);
  return problems;
}
