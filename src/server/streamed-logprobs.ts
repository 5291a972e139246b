/**
 * Log-probabilities streamed with the text they belong to: the engine reports each token's
 * entry as it is sampled, the text comes later (a stop string may hold it back); an entry is
 * sent with the first piece of text that reaches the token's first byte, so every entry sent
 * belongs to the final text (a choice's Segment.logprobs keeps exactly the tokens whose text
 * starts in it). The rest go with the choice's last chunk.
 */
import type { Segment, TokenLogprob } from "../engine/types.js";

export class StreamedLogprobs {
  private readonly pending: TokenLogprob[] = [];
  /** Entries sent so far. */
  private sent = 0;
  /** UTF-8 bytes of the sent entries' tokens, and of the text streamed. */
  private sentBytes = 0;
  private textBytes = 0;
  /** Characters of the sent entries' tokens: where the next entry's token starts (the completions API's text_offset). */
  private sentChars = 0;

  /** The engine's callback for each sampled token. */
  readonly onLogprob = (entry: TokenLogprob): void => {
    this.pending.push(entry);
  };

  /** The entries to send with this piece of text (those whose tokens start within the text streamed so far), and where the first one's token starts. */
  withText(delta: string): { entries: TokenLogprob[]; offset: number } {
    const offset = this.sentChars;
    this.textBytes += Buffer.byteLength(delta, "utf8");
    const entries: TokenLogprob[] = [];
    while (this.pending.length > 0 && this.sentBytes < this.textBytes) {
      const entry = this.pending.shift()!;
      this.sentBytes += entry.bytes.length;
      this.sentChars += entry.token.length;
      entries.push(entry);
    }
    this.sent += entries.length;
    return { entries, offset };
  }

  /** The entries of the finished segment not sent yet, and where the first one's token starts. */
  rest(segment: Segment): { entries: TokenLogprob[]; offset: number } {
    return { entries: (segment.logprobs ?? []).slice(this.sent), offset: this.sentChars };
  }
}
