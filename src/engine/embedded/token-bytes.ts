/**
 * A token's own bytes, for OpenAI's logprobs (`token` and `bytes`): a byte-level BPE token
 * (GGUF tokenizer model "gpt2", as Qwen's) may hold part of a UTF-8 character, which decoding
 * the token alone would turn into U+FFFD. Its vocabulary string spells each byte as one
 * character (GPT-2's byte-to-unicode table: printable bytes stand for themselves, the other 68
 * are mapped to U+0100 onwards in byte order); reading that table backwards gives the bytes.
 * Control tokens, and vocabularies of other tokenizer models, are their decoded text.
 */
import type { LlamaModel, Token } from "node-llama-cpp";
import type { TokenText } from "../types.js";

/** The byte each character of a byte-level BPE vocabulary string stands for. */
function byteOfChar(): Map<number, number> {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const map = new Map<number, number>();
  let next = 0x100;
  for (let b = 0; b < 256; b++) map.set(printable(b) ? b : next++, b);
  return map;
}

/** llama_token_type NORMAL: a token of the vocabulary's byte-level alphabet. */
const NORMAL = 1;
const utf8 = new TextDecoder("utf-8");

export class TokenBytes {
  private readonly pieces: readonly unknown[] | undefined;
  private readonly types: readonly unknown[] | undefined;
  private readonly byteOf: Map<number, number> | undefined;
  private readonly cache = new Map<Token, Omit<TokenText, "logprob">>();

  constructor(private readonly model: LlamaModel) {
    const ggml = (model.fileInfo.metadata.tokenizer as { ggml?: { model?: unknown; tokens?: unknown; token_type?: unknown } } | undefined)?.ggml;
    const byteLevel = ggml?.model === "gpt2" && Array.isArray(ggml.tokens);
    this.pieces = byteLevel ? (ggml.tokens as unknown[]) : undefined;
    this.types = Array.isArray(ggml?.token_type) ? (ggml.token_type as unknown[]) : undefined;
    this.byteOf = byteLevel ? byteOfChar() : undefined;
  }

  /** The token's text (U+FFFD where it holds part of a character) and its bytes. */
  of(token: Token): Omit<TokenText, "logprob"> {
    let known = this.cache.get(token);
    if (!known) {
      const bytes = this.bytes(token);
      known = { token: utf8.decode(Uint8Array.from(bytes)), bytes };
      this.cache.set(token, known);
    }
    return known;
  }

  private bytes(token: Token): number[] {
    const piece = this.pieces?.[token];
    if (typeof piece === "string" && (this.types?.[token] ?? NORMAL) === NORMAL && this.byteOf) {
      const bytes: number[] = [];
      for (const ch of piece) {
        const b = this.byteOf.get(ch.codePointAt(0)!);
        if (b === undefined) break; // not a byte-level piece after all: its decoded text
        bytes.push(b);
      }
      if (bytes.length === [...piece].length) return bytes;
    }
    return [...Buffer.from(this.model.detokenize([token], true), "utf8")];
  }
}
