/**
 * Admission of generation requests: at most `limit` are admitted at once (running, or
 * waiting for free samples in the engine); beyond that a request is refused at once with
 * 429 and Retry-After instead of queueing without bound. Each admitted request gets an
 * abort signal that fires when its client disconnects, so its samples are freed.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { errorBody } from "./errors.js";

export interface Admission {
  signal: AbortSignal;
  /** Call once when the request is done. */
  release(): void;
}

export class AdmissionGate {
  private active = 0;
  private drained: (() => void)[] = [];

  constructor(readonly limit: number) {}

  get depth(): number {
    return this.active;
  }

  /** Admits the request, or answers 429 and returns null. */
  admit(request: FastifyRequest, reply: FastifyReply): Admission | null {
    if (this.active >= this.limit) {
      void reply
        .code(429)
        .header("retry-after", "1")
        .send(errorBody(`The server is busy: ${this.limit} requests are already admitted. Retry after a second.`, "rate_limit_error", "server_busy"));
      return null;
    }
    this.active++;
    const controller = new AbortController();
    // A response closed before it was finished means the client went away.
    const onClose = () => {
      if (!reply.raw.writableFinished) controller.abort();
    };
    reply.raw.once("close", onClose);
    request.raw.once("aborted", () => controller.abort());
    let released = false;
    return {
      signal: controller.signal,
      release: () => {
        if (released) return;
        released = true;
        reply.raw.off("close", onClose);
        this.active--;
        if (this.active === 0) for (const resolve of this.drained.splice(0)) resolve();
      },
    };
  }

  /** Resolves when no request is admitted (for graceful shutdown). */
  idle(): Promise<void> {
    return this.active === 0 ? Promise.resolve() : new Promise((resolve) => this.drained.push(resolve));
  }
}
