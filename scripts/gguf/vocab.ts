/**
 * The synthetic Qwen-style vocabulary of the generated models (`--vocab synthetic`): 256 byte
 * tokens, merges learned from a little math text, the Qwen2.5 special tokens, then unused
 * padding slots up to the embedding size. Small and self-contained; the real Qwen2.5
 * vocabulary is qwen25-vocab.ts.
 *
 * llama.cpp rules this respects (src/llama-vocab.cpp):
 * - token strings must be unique (duplicates trip GGML_ASSERT and abort the process);
 * - a merge "a b" is split at the first space after position 0, and is only useful if a+b
 *   is a token; byte-level tokens never contain raw spaces (space is "Ġ");
 * - special tokens must be CONTROL (3) to be matched only when special-token parsing is on;
 *   USER_DEFINED (4) ones are matched always, NORMAL ones never.
 */
import { gpt2ByteOrder, trainBpe } from "./bpe.js";
import { MATH_TRAINING_TEXT } from "./training-text.js";

/** tokenizer.ggml.token_type values (llama_token_type). */
export const TokenType = {
  NORMAL: 1,
  CONTROL: 3,
  USER_DEFINED: 4,
  UNUSED: 5,
} as const;
export type TokenType = (typeof TokenType)[keyof typeof TokenType];

/**
 * The added tokens of the Qwen2.5 (and Qwen2.5-Math) tokenizer, in id order; in the real
 * vocabulary they start at 151643. <tool_call> and </tool_call> are not "special" there, so
 * converters mark them USER_DEFINED.
 */
export const QWEN_SPECIAL_TOKENS: readonly { text: string; type: TokenType }[] = [
  "<|endoftext|>",
  "<|im_start|>",
  "<|im_end|>",
  "<|object_ref_start|>",
  "<|object_ref_end|>",
  "<|box_start|>",
  "<|box_end|>",
  "<|quad_start|>",
  "<|quad_end|>",
  "<|vision_start|>",
  "<|vision_end|>",
  "<|vision_pad|>",
  "<|image_pad|>",
  "<|video_pad|>",
  "<tool_call>",
  "</tool_call>",
  "<|fim_prefix|>",
  "<|fim_middle|>",
  "<|fim_suffix|>",
  "<|fim_pad|>",
  "<|repo_name|>",
  "<|file_sep|>",
].map((text) => ({ text, type: text.includes("tool_call") ? TokenType.USER_DEFINED : TokenType.CONTROL }));

export interface Vocab {
  tokens: string[];
  tokenTypes: TokenType[];
  /** "left right" strings in rank order. */
  merges: string[];
  endOfTextId: number;
  imStartId: number;
  imEndId: number;
  /** The tokenizer.ggml.*_token_id keys the file gets. */
  specialIds: { bos: number; eos: number; padding: number; eot?: number };
}

export interface VocabOptions {
  /** Most merges to learn from the built-in math text (fewer if pairs run out). */
  learnedMerges: number;
  /**
   * Normal tokens (bytes + merges) wanted in total; merges beyond the learned ones are
   * generated systematically. Omit to use just the bytes and the learned merges.
   */
  normalTokens?: number;
  /** Pad the vocabulary with unused "[PAD{id}]" tokens up to this size. */
  totalSize?: number;
}

export function buildVocab(options: VocabOptions): Vocab {
  const tokens: string[] = [];
  const tokenTypes: TokenType[] = [];
  const merges: string[] = [];
  const known = new Set<string>();
  const add = (text: string, type: TokenType): void => {
    if (known.has(text)) throw new Error(`duplicate token ${JSON.stringify(text)}`);
    known.add(text);
    tokens.push(text);
    tokenTypes.push(type);
  };
  const addMerge = (left: string, right: string): void => {
    merges.push(`${left} ${right}`);
    add(left + right, TokenType.NORMAL);
  };

  for (const { char } of gpt2ByteOrder()) add(char, TokenType.NORMAL);
  for (const [left, right] of trainBpe(MATH_TRAINING_TEXT, options.learnedMerges)) addMerge(left, right);

  if (options.normalTokens !== undefined) {
    if (options.normalTokens < tokens.length) {
      throw new Error(`normalTokens ${options.normalTokens} is below the ${tokens.length} byte + learned tokens`);
    }
    // Filler merges: each existing token (in id order) joined with each byte token, skipping
    // results that already exist. Not meaningful, but consistent: a+b is always a token.
    const byteTokens = tokens.slice(0, 256);
    for (let left = 0; tokens.length < options.normalTokens; left++) {
      for (const right of byteTokens) {
        if (tokens.length >= options.normalTokens) break;
        if (!known.has(tokens[left]! + right)) addMerge(tokens[left]!, right);
      }
    }
  }

  const firstSpecial = tokens.length;
  for (const { text, type } of QWEN_SPECIAL_TOKENS) add(text, type);

  if (options.totalSize !== undefined) {
    if (options.totalSize < tokens.length) throw new Error(`totalSize ${options.totalSize} < ${tokens.length} tokens`);
    // As convert_hf_to_gguf.py does for ids the tokenizer leaves unused.
    while (tokens.length < options.totalSize) add(`[PAD${tokens.length}]`, TokenType.UNUSED);
  }

  const [endOfTextId, imEndId] = [firstSpecial, firstSpecial + 2];
  return {
    tokens,
    tokenTypes,
    merges,
    endOfTextId,
    imStartId: firstSpecial + 1,
    imEndId,
    // As in Qwen2.5-Math-Instruct GGUFs: generation ends at <|im_end|>, <|endoftext|> pads. The
    // end-of-turn id is explicit here (llama.cpp would otherwise guess it by text, from a hash map).
    specialIds: { bos: endOfTextId, eos: imEndId, padding: endOfTextId, eot: imEndId },
  };
}
