import type { Token } from "node-llama-cpp";
import { StopScanner } from "../stop-scanner.js";
import { TokenDecoder, type Detokenizer } from "./token-decoder.js";

/**
 * One segment's generated tokens as text: decoded without breaking characters, scanned for
 * stop strings (a stop string can span any number of tokens and start or end inside one), and
 * streamed only where no stop string can cut it. After a stop, says which generated tokens lie
 * wholly before it.
 */
export class SegmentReader {
  /** Every token pushed, the one the stop fired in included. */
  readonly generated: Token[] = [];
  /** The text streamed so far: the segment's text once it ends. */
  text = "";
  /** The text decoded so far, held-back text included (what the model has written, stop or not). */
  decoded = "";
  /** For each generated token, the length of the decoded text once it was decoded (Infinity while not). */
  private readonly decodedEnds: number[] = [];
  private firstUndecoded = 0;
  private readonly decoder: TokenDecoder;
  private readonly scanner: StopScanner;

  constructor(
    model: Detokenizer,
    stops: readonly string[],
    private readonly onText?: (delta: string) => void,
  ) {
    this.decoder = new TokenDecoder(model);
    this.scanner = new StopScanner(stops);
  }

  /** Feeds the next generated token; returns the stop string if one fired (nothing after it is streamed). */
  push(token: Token): string | undefined {
    const piece = this.decoder.push(token);
    this.generated.push(token);
    this.decodedEnds.push(Infinity);
    this.decoded += piece;
    if (this.decoder.settled) {
      for (let i = this.firstUndecoded; i < this.generated.length; i++) this.decodedEnds[i] = this.decoded.length;
      this.firstUndecoded = this.generated.length;
    }
    return this.scanner.feed(piece, (text) => this.emit(text));
  }

  /** The segment ended without a stop: releases held-back text. */
  finish(): void {
    // The decoder holds at most an unfinished character (U+FFFD), which no stop string ends in.
    this.emit(this.scanner.flush() + this.decoder.flush());
  }

  /**
   * After a stop: the generated tokens whose text lies wholly before it, and the text between
   * them and the stop (part of the token the stop starts in), for the caller to tokenize.
   */
  kept(): { tokens: Token[]; fragment: string } {
    let whole = 0;
    while (whole < this.generated.length && this.decodedEnds[whole]! <= this.text.length) whole++;
    const keptEnd = whole > 0 ? this.decodedEnds[whole - 1]! : 0;
    return { tokens: this.generated.slice(0, whole), fragment: this.text.slice(keptEnd) };
  }

  private emit(piece: string): void {
    if (!piece) return;
    this.text += piece;
    this.onText?.(piece);
  }
}
