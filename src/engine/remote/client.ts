/**
 * HTTP to the replicas of a remote engine: one streamed completion with timeouts, retries
 * with backoff on connection errors, timeouts, 5xx and 429, and failover between replicas.
 * Errors the server answers with (4xx) become QmathErrors naming the server's message.
 */
import { QmathError } from "../../errors.js";
import { checkTimerMs, MAX_TIMER_MS } from "../../timer-ms.js";
import type { Replica, ReplicaPool } from "./replicas.js";
import { sseData } from "./sse-reader.js";

export type FetchFn = typeof globalThis.fetch;

export interface ServerUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

/** How a completed stream ended, as the server put it. */
export interface StreamDone {
  kind: "done";
  finishReason: string;
  /** vLLM and qmath: the stop string (or stop token id) that ended the choice; SGLang: matched_stop; llama-server: stopping_word. */
  stopReason?: string | number | null;
  usage?: ServerUsage;
  /** Text chunks received (an estimate of the tokens when the server sends no usage). */
  chunks: number;
  firstChunkAt?: number;
  lastChunkAt?: number;
  startedAt: number;
}

export type StreamOutcome =
  | StreamDone
  /** The caller ended the stream early (it found a stop string itself). */
  | { kind: "cut"; chunks: number; firstChunkAt?: number; lastChunkAt?: number; startedAt: number }
  | { kind: "aborted" };

/** A failure worth another attempt (maybe on another replica). */
class Retryable extends Error {
  constructor(
    message: string,
    /** Take the replica out for a cool-down at once (connection errors, timeouts, broken streams). */
    readonly takeOut: boolean,
    /** The server is busy (429): wait and retry without holding it against the replica. */
    readonly busy = false,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  apiKey?: string;
  /** Longest wait for the server's next byte: the response, then each streamed chunk (default 300000 ms). */
  timeoutMs?: number;
  /** Further attempts after a failed one (default 3); 429 answers have their own, larger allowance. */
  retries?: number;
  /** First backoff (default 200 ms), doubled per retry, with jitter. */
  backoffMs?: number;
  fetch?: FetchFn;
}

const BUSY_RETRIES = 50;

export class RemoteClient {
  readonly timeoutMs: number;
  readonly retries: number;
  private readonly backoffMs: number;
  private readonly fetchFn: FetchFn;

  constructor(
    readonly pool: ReplicaPool,
    private readonly options: ClientOptions = {},
  ) {
    this.timeoutMs = checkTimerMs("remote engine option timeoutMs", options.timeoutMs ?? 300_000);
    this.retries = options.retries ?? 3;
    this.backoffMs = checkTimerMs("remote engine option backoffMs", options.backoffMs ?? 200, { allowZero: true });
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  headers(json: boolean): Record<string, string> {
    const h: Record<string, string> = {};
    if (json) h["content-type"] = "application/json";
    if (this.options.apiKey) h.authorization = `Bearer ${this.options.apiKey}`;
    return h;
  }

  /** A plain request to one replica (model list, tokenizer); throws on failure, returns the status and parsed body. */
  async request(replica: Replica, path: string, body?: unknown, timeoutMs = Math.min(this.timeoutMs, 30_000)): Promise<{ status: number; json: unknown }> {
    const res = await this.fetchFn(replica.root + path, {
      method: body === undefined ? "GET" : "POST",
      headers: this.headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json };
  }

  /**
   * Streams one completion, retrying and failing over as needed. `body` is called before each
   * attempt (the caller may resume from the text received so far); `onText` gets each text
   * delta and returns false to end the stream.
   */
  async stream(body: () => Record<string, unknown>, onText: (delta: string) => boolean, signal?: AbortSignal): Promise<StreamOutcome> {
    const avoid = new Set<Replica>();
    let failures = 0;
    let busy = 0;
    while (true) {
      if (signal?.aborted) return { kind: "aborted" };
      const replica = this.pool.pick(avoid);
      try {
        const outcome = await this.attempt(replica, body(), onText, signal);
        if (outcome.kind !== "aborted") this.pool.succeeded(replica);
        return outcome;
      } catch (e) {
        if (!(e instanceof Retryable)) throw e;
        let wait: number;
        if (e.busy) {
          if (++busy > BUSY_RETRIES) throw new QmathError("engine_failed", `The server stayed busy (${replica.root}: ${e.message}).`, "Send fewer requests at once, or raise the server's queue.");
          wait = e.retryAfterMs ?? this.backoff(Math.min(busy, 5));
        } else {
          this.pool.failed(replica, e.message, e.takeOut);
          avoid.add(replica);
          if (++failures > this.retries) {
            throw new QmathError(
              "engine_failed",
              `The remote engine could not complete a request after ${failures} attempts: ${this.pool.describe()}.`,
              "Check that the servers are running and reachable (--base-url).",
            );
          }
          // Another replica is up: go there now; otherwise back off before probing again.
          wait = this.pool.anyUp() && this.pool.pick(avoid) !== replica ? 0 : this.backoff(failures);
        }
        if (wait > 0 && !(await sleep(wait, signal))) return { kind: "aborted" };
      }
    }
  }

  private backoff(k: number): number {
    // Doubling many times over could pass what a timer holds (which would make it a 1 ms wait).
    return Math.min(MAX_TIMER_MS, this.backoffMs * 2 ** (k - 1) * (0.75 + Math.random() * 0.5));
  }

  private async attempt(replica: Replica, body: Record<string, unknown>, onText: (delta: string) => boolean, signal?: AbortSignal): Promise<StreamOutcome> {
    const startedAt = performance.now();
    const timeout = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    };
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    let chunks = 0;
    let firstChunkAt: number | undefined;
    let lastChunkAt: number | undefined;
    replica.inFlight++;
    arm();
    try {
      const res = await this.fetchFn(`${replica.root}/v1/completions`, {
        method: "POST",
        headers: this.headers(true),
        body: JSON.stringify(body),
        signal: combined,
      });
      if (!res.ok) throw httpFailure(res.status, await res.text().catch(() => ""), res.headers.get("retry-after"));
      if (!res.body) throw new Retryable("empty response", true);
      let finishReason: string | undefined;
      let stopReason: string | number | null | undefined;
      let usage: ServerUsage | undefined;
      const isStream = (res.headers.get("content-type") ?? "").includes("text/event-stream");
      const events: AsyncIterable<string> = isStream ? sseData(res.body) : oneEvent(res);
      for await (const data of events) {
        arm();
        let event: StreamEvent;
        try {
          event = JSON.parse(data) as StreamEvent;
        } catch {
          throw new Retryable(`unreadable stream event '${data.slice(0, 80)}'`, true);
        }
        if (event.error) throw streamFailure(event.error);
        if (event.usage) usage = event.usage;
        const choice = event.choices?.[0];
        if (!choice) continue;
        if (typeof choice.text === "string" && choice.text !== "") {
          chunks++;
          lastChunkAt = performance.now();
          firstChunkAt ??= lastChunkAt;
          if (!onText(choice.text)) return { kind: "cut", chunks, firstChunkAt, lastChunkAt, startedAt };
        }
        if (choice.finish_reason) {
          finishReason = choice.finish_reason;
          stopReason = choice.stop_reason ?? choice.matched_stop ?? choice.stopping_word ?? stopReason;
        }
      }
      if (signal?.aborted) return { kind: "aborted" };
      if (!finishReason) throw new Retryable("the stream ended before the completion finished", true);
      return { kind: "done", finishReason, stopReason, usage, chunks, firstChunkAt, lastChunkAt, startedAt };
    } catch (e) {
      if (signal?.aborted) return { kind: "aborted" };
      if (timeout.signal.aborted) throw new Retryable(`no answer within ${Math.round(this.timeoutMs / 1000)} s`, true);
      if (e instanceof Retryable || e instanceof QmathError) throw e;
      throw new Retryable(connectionReason(e), true);
    } finally {
      clearTimeout(timer);
      replica.inFlight--;
    }
  }
}

interface StreamEvent {
  choices?: { text?: string; finish_reason?: string | null; stop_reason?: string | number | null; matched_stop?: string | number | null; stopping_word?: string }[];
  usage?: ServerUsage;
  error?: { message?: string; code?: string | number | null; type?: string } | string;
}

/** A server that answered with one JSON body instead of a stream. */
async function* oneEvent(res: Response): AsyncGenerator<string> {
  yield await res.text();
}

/** "connection refused", "connection reset", ... from a fetch error. */
function connectionReason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (e as { code?: string })?.code;
  const names: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ECONNRESET: "connection reset",
    EPIPE: "connection closed",
    ENOTFOUND: "host not found",
    EHOSTUNREACH: "host unreachable",
    ETIMEDOUT: "connection timed out",
    UND_ERR_SOCKET: "connection closed mid-response",
  };
  if (code && names[code]) return names[code]!;
  const message = cause?.message ?? (e instanceof Error ? e.message : String(e));
  return code ? `${code}: ${message}` : message;
}

/** The server's own message from an error body (OpenAI, vLLM, FastAPI, or plain text). */
function serverMessage(text: string): { message: string; code?: string } {
  try {
    const j = JSON.parse(text) as { error?: { message?: string; code?: unknown } | string; message?: string; detail?: unknown; code?: unknown };
    if (typeof j.error === "string") return { message: j.error };
    if (j.error?.message) return { message: j.error.message, code: typeof j.error.code === "string" ? j.error.code : undefined };
    if (j.message) return { message: j.message, code: typeof j.code === "string" ? j.code : undefined };
    if (j.detail !== undefined) return { message: typeof j.detail === "string" ? j.detail : JSON.stringify(j.detail) };
  } catch {
    // not JSON
  }
  return { message: text.trim().slice(0, 300) || "no message" };
}

const CONTEXT_PATTERN = /context length|context window|maximum context|max_model_len|too long|exceeds? the (?:model|context)|context_overflow|context size/i;

function httpFailure(status: number, text: string, retryAfter: string | null): Error {
  const { message, code } = serverMessage(text);
  if (status === 429) {
    const seconds = Number(retryAfter);
    return new Retryable(`HTTP 429: ${message}`, false, true, Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 10) * 1000 : undefined);
  }
  if (status >= 500) return new Retryable(`HTTP ${status}: ${message}`, false);
  return clientError(status, message, code);
}

/** An error the server put in the stream: a server error is retried, a request error is not. */
function streamFailure(error: NonNullable<StreamEvent["error"]>): Error {
  const { message, code } = typeof error === "string" ? { message: error, code: undefined } : { message: error.message ?? "error", code: typeof error.code === "string" ? error.code : undefined };
  const type = typeof error === "string" ? "" : (error.type ?? "");
  if (code === "aborted") return new Retryable(`stream error: ${message}`, false);
  if (/server|internal/i.test(type) || !type) return new Retryable(`stream error: ${message}`, false);
  return clientError(400, message, code);
}

/** A 4xx answer: the request itself is wrong, so another attempt would not help. */
function clientError(status: number, message: string, code?: string): QmathError {
  const cause = { cause: { status, message, code } };
  if (code === "model_not_found" || (status === 404 && /model/i.test(message)))
    return new QmathError("model_not_found", `The server does not serve that model: ${message}`, "Leave out --model to use the server's model, or name one it lists at /v1/models.", cause);
  if (code === "context_overflow" || CONTEXT_PATTERN.test(message))
    return new QmathError("context_overflow", `The prompt does not fit the model's context: ${message}`, "Shorten the problem, or lower --max-tokens.", cause);
  if (status === 401 || status === 403)
    return new QmathError("engine_failed", `The server refused the request (HTTP ${status}): ${message}`, "Pass the server's key with --remote-api-key or $QMATH_REMOTE_API_KEY.", cause);
  return new QmathError("bad_input", `The server refused the request (HTTP ${status}): ${message}`, undefined, cause);
}

/** Waits; false when the signal aborted first. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
