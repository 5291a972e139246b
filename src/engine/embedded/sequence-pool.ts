import type { LlamaContext, LlamaContextSequence, Token } from "node-llama-cpp";
import { QmathError } from "../../errors.js";

/**
 * The context's sequences, handed out to requests and returned when a sample closes.
 * Requests that find too few free sequences wait in FIFO order. A returned sequence keeps
 * its KV cache, so a later prompt that shares a prefix with it (the next turn of a chat)
 * only evaluates what is new.
 */
export class SequencePool {
  private readonly free: LlamaContextSequence[] = [];
  private readonly waiting: { n: number; prefer: readonly Token[]; resolve: (seqs: LlamaContextSequence[]) => void }[] = [];

  constructor(context: LlamaContext) {
    while (context.sequencesLeft > 0) this.free.push(context.getSequence());
  }

  get size(): number {
    return this.free.length;
  }

  /** Takes n sequences, the one whose cache shares the longest prefix with `prefer` first. */
  acquire(n: number, prefer: readonly Token[], signal?: AbortSignal): Promise<LlamaContextSequence[]> {
    if (this.waiting.length === 0 && this.free.length >= n) return Promise.resolve(this.take(n, prefer));
    return new Promise((resolve, reject) => {
      const entry = { n, prefer, resolve };
      this.waiting.push(entry);
      signal?.addEventListener(
        "abort",
        () => {
          const i = this.waiting.indexOf(entry);
          if (i < 0) return; // already served
          this.waiting.splice(i, 1);
          reject(new QmathError("aborted", "The request was aborted while waiting for a free slot."));
        },
        { once: true },
      );
    });
  }

  release(seq: LlamaContextSequence): void {
    this.free.push(seq);
    // Serve waiters in order; sequences are handed over at once so no two waiters count the same ones.
    while (this.waiting.length > 0 && this.free.length >= this.waiting[0]!.n) {
      const next = this.waiting.shift()!;
      next.resolve(this.take(next.n, next.prefer));
    }
  }

  private take(n: number, prefer: readonly Token[]): LlamaContextSequence[] {
    const shared = new Map(this.free.map((s) => [s, s.compareContextTokens(prefer as Token[]).firstDifferentIndex]));
    this.free.sort((a, b) => shared.get(b)! - shared.get(a)!);
    return this.free.splice(0, n);
  }
}
