import type { LlamaModel, Token } from "node-llama-cpp";

/**
 * Turns generated tokens into text one token at a time. A token can end in the middle of a
 * multi-byte UTF-8 character; such tokens are held until the character is complete, so the
 * streamed text never contains a broken character.
 */
export class TokenDecoder {
  private pending: Token[] = [];
  private context: Token[] = [];

  constructor(private readonly model: LlamaModel) {}

  push(token: Token): string {
    this.pending.push(token);
    const text = this.model.detokenize(this.pending, false, this.context);
    // U+FFFD at the end means an incomplete character; a UTF-8 character spans at most 4 tokens.
    if (text.endsWith("\uFFFD") && this.pending.length < 4) return "";
    this.context = [...this.context, ...this.pending].slice(-8);
    this.pending = [];
    return text;
  }
}
