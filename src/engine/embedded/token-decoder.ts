import type { LlamaModel, Token } from "node-llama-cpp";

/** What decoding needs of the model. */
export type Detokenizer = Pick<LlamaModel, "detokenize">;

/**
 * Turns generated tokens into text one token at a time, never emitting a broken character.
 * A byte-level token can end inside a multi-byte UTF-8 character, and with the Qwen2.5
 * vocabulary a token can even finish one character and start the next, so a run of tokens can
 * stay unfinished for any length. The tokens since the last complete text are decoded
 * together; what they decode to before an unfinished character at the end is emitted, the
 * rest waits for the next token (or flush()).
 */
export class TokenDecoder {
  /** Pending tokens past which the text is emitted as it is (only invalid bytes get this far). */
  static readonly MAX_PENDING = 32;
  private pending: Token[] = [];
  /** Characters of the pending tokens' text already emitted. */
  private emitted = 0;

  constructor(private readonly model: Detokenizer) {}

  /** The new complete text after this token (maybe ""). */
  push(token: Token): string {
    this.pending.push(token);
    const text = this.model.detokenize(this.pending, false);
    // An unfinished character decodes to U+FFFD at the end; one that was already invalid stays
    // invalid, so holding it back until the next token changes nothing but the timing.
    const unfinished = text.endsWith("\uFFFD") && this.pending.length < TokenDecoder.MAX_PENDING;
    const complete = unfinished ? text.replace(/\uFFFD+$/, "") : text;
    const piece = complete.slice(this.emitted);
    if (complete.length === text.length) {
      this.pending = [];
      this.emitted = 0;
    } else this.emitted = complete.length;
    return piece;
  }

  /** Whether every token pushed so far is wholly in the emitted text. */
  get settled(): boolean {
    return this.pending.length === 0;
  }

  /** Releases what is held back (generation ended): an unfinished character as U+FFFD. */
  flush(): string {
    if (this.pending.length === 0) return "";
    const rest = this.model.detokenize(this.pending, false).slice(this.emitted);
    this.pending = [];
    this.emitted = 0;
    return rest;
  }
}
