/**
 * The remote engine: the generation interface over OpenAI-compatible servers (vLLM, SGLang,
 * llama-server, Ollama, qmath serve), so that solve, TIR, voting, eval and serve run unchanged
 * on a large model on a GPU cluster.
 *
 * Generation goes through POST /v1/completions with the raw prompt text (the caller renders
 * ChatML), streamed (server-sent events), with usage requested in the stream. The server
 * tokenizes that text, so special-token strings typed into a message become special tokens
 * there (as with any client of these servers); the embedded engine keeps them plain text.
 *
 * One request per sample (never `n`): sample i sends seed + i, exactly like the embedded
 * engine, so results under a seed do not depend on how many samples share a request or on
 * the waves they run in; each sample can go to another replica, be retried or resumed on its
 * own, and be aborted on its own (early stopping closes just that request). The shared
 * prompt costs little extra: servers with prefix caching (vLLM's automatic prefix caching,
 * SGLang's radix cache, llama-server's slots) evaluate it once and reuse it.
 *
 * A sample's later segments (after append(), in TIR) send prompt + everything the sample has
 * so far as a new prompt; with prefix caching the server evaluates only the new part.
 *
 * Stop strings: vLLM, SGLang and qmath report which stop string ended a choice (stop_reason /
 * matched_stop), so the request's stop strings go to the server. Servers that only say
 * "stop" (llama-server, Ollama) cut the stop string from the text without saying which one
 * fired, so for them qmath keeps the stop strings on its side: it scans the stream and closes
 * the request at the first stop string (the server stops on the disconnect; the few tokens it
 * generates meanwhile are not counted). Either way the scan also holds back text that could
 * be the start of a stop string, so streamed text never includes text a stop cuts.
 */
import { QmathError } from "../../errors.js";
import { StopScanner } from "../stop-scanner.js";
import { validateMaxParallel, validateOpenRequest } from "../validate-request.js";
import { promptText, type Engine, type EngineInfo, type FinishReason, type OpenRequest, type ResponseFormat, type Sample, type Segment, type SegmentOptions, type Usage } from "../types.js";
import { RemoteClient, type FetchFn, type ServerUsage, type StreamOutcome } from "./client.js";
import { ReplicaPool, type Replica } from "./replicas.js";

export interface RemoteEngineOptions {
  /** Base URLs of the replicas, with or without the trailing "/v1" (e.g. "http://gpu1:8000/v1"). */
  baseUrls: string[];
  /** Sent as "Authorization: Bearer <key>". */
  apiKey?: string;
  /** Model id; default: the first id of GET /v1/models. */
  model?: string;
  /** Tokens one sample can hold; default: the server's max_model_len, else 4096. */
  contextSize?: number;
  /** Samples one open() may ask for (default 64). */
  maxParallel?: number;
  /** Longest wait for the server's next byte: the response, then each streamed chunk (default 300000 ms). */
  timeoutMs?: number;
  /** Further attempts after a failed one, per segment (default 3). */
  retries?: number;
  /** First backoff between attempts (default 200 ms, doubling). */
  backoffMs?: number;
  /** First cool-down of a failed replica (default 2000 ms, doubling per failure in a row, at most 30 s). */
  cooldownMs?: number;
  /**
   * Send the stop strings to the server (true), or find them in the stream here (false).
   * Default: true for servers known to report which stop string fired (vLLM, SGLang, qmath).
   */
  serverStops?: boolean;
  fetch?: FetchFn;
}

/** End-of-turn / end-of-text tokens: when a server names one of these as the stop, the model ended its turn. */
const END_TOKENS = new Set(["<|im_end|>", "<|endoftext|>", "<|eot_id|>", "</s>"]);
const IM_END = "<|im_end|>";
/** Servers (GET /v1/models owned_by) whose completions say which stop string fired. */
const REPORTS_STOP = /vllm|sglang|qmath/i;

interface ModelEntry {
  id: string;
  owned_by?: string;
  max_model_len?: number;
}

export async function createRemoteEngine(options: RemoteEngineOptions): Promise<Engine> {
  if (!options.baseUrls || options.baseUrls.length === 0)
    throw new QmathError("bad_input", "The remote engine needs at least one base URL.", "Pass --base-url http://HOST:PORT/v1 (repeat it for replicas).");
  const maxParallel = validateMaxParallel(options.maxParallel, 64);
  for (const url of options.baseUrls) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol))
      throw new QmathError("bad_input", `'${url}' is not an http(s) base URL.`, "Pass --base-url like http://127.0.0.1:8000/v1.");
  }
  const pool = new ReplicaPool(options.baseUrls, { cooldownMs: options.cooldownMs });
  const client = new RemoteClient(pool, options);

  // Ask the replicas which model they serve (and its context length).
  let listed: ModelEntry[] | undefined;
  for (const replica of pool.replicas) {
    try {
      const { status, json } = await client.request(replica, "/v1/models");
      if (status === 401 || status === 403)
        throw new QmathError("engine_failed", `${replica.root} refused the API key (HTTP ${status}).`, "Pass the server's key with --remote-api-key or $QMATH_REMOTE_API_KEY.");
      const data = (json as { data?: unknown })?.data;
      if (status === 200 && Array.isArray(data)) {
        listed = data.filter((m): m is ModelEntry => typeof (m as ModelEntry)?.id === "string");
        break;
      }
      pool.failed(replica, `GET /v1/models: HTTP ${status}`, false);
    } catch (e) {
      if (e instanceof QmathError) throw e;
      pool.failed(replica, describeError(e), true);
    }
  }
  if (!listed && options.model === undefined)
    throw new QmathError(
      "engine_failed",
      `Could not ask any server which model it serves: ${pool.describe()}.`,
      "Check that the servers are running and reachable (--base-url), or name the model with --model.",
    );
  const model = options.model ?? listed?.[0]?.id;
  if (model === undefined) throw new QmathError("model_not_found", `The servers list no models: ${pool.describe()}.`, "Name the model with --model.");
  if (listed && listed.length > 0 && !listed.some((m) => m.id === model))
    throw new QmathError(
      "model_not_found",
      `The server does not serve the model '${model}'; it serves ${listed.map((m) => `'${m.id}'`).join(", ")}.`,
      "Leave out --model to use the server's model, or name one it lists.",
    );
  const entry = listed?.find((m) => m.id === model);
  const info: EngineInfo = {
    kind: "openai",
    model,
    contextSize: options.contextSize ?? (typeof entry?.max_model_len === "number" ? entry.max_model_len : 4096),
    maxParallel,
  };
  const serverStops = options.serverStops ?? REPORTS_STOP.test(entry?.owned_by ?? "");
  return new RemoteEngine(info, client, serverStops);
}

function describeError(e: unknown): string {
  const cause = (e as { cause?: { code?: string } })?.cause;
  if (cause?.code === "ECONNREFUSED") return "connection refused";
  if ((e as { name?: string })?.name === "TimeoutError") return "no answer in time";
  return cause?.code ?? (e instanceof Error ? e.message : String(e));
}

class RemoteEngine implements Engine {
  private closed = false;
  /** Aborts every request in flight when the engine closes. */
  private readonly lifetime = new AbortController();
  /** How this server tokenizes: vLLM's /tokenize, llama-server's, or none (estimate). */
  private tokenizer: Promise<"vllm" | "llama" | "none"> | undefined;

  constructor(
    readonly info: EngineInfo,
    readonly client: RemoteClient,
    readonly serverStops: boolean,
  ) {}

  get signal(): AbortSignal {
    return this.lifetime.signal;
  }

  /**
   * Tokens of the text: the server's POST /tokenize when it has one (vLLM, SGLang and qmath
   * serve: {model, prompt} → {count}; llama-server: {content} → {tokens}); otherwise (Ollama)
   * an estimate of one token per 4 characters.
   */
  async countTokens(text: string): Promise<number> {
    return (await this.serverCount(text)) ?? Math.ceil(text.length / 4);
  }

  /** Tokens of the text by the server's tokenizer, or undefined when it has none. */
  async serverCount(text: string): Promise<number | undefined> {
    this.tokenizer ??= this.detectTokenizer();
    const kind = await this.tokenizer;
    return kind === "none" ? undefined : await this.tokenize(kind, text).catch(() => undefined);
  }

  private async detectTokenizer(): Promise<"vllm" | "llama" | "none"> {
    for (const kind of ["vllm", "llama"] as const) {
      if ((await this.tokenize(kind, "1+1").catch(() => undefined)) !== undefined) return kind;
    }
    return "none";
  }

  private async tokenize(kind: "vllm" | "llama", text: string): Promise<number | undefined> {
    const replica: Replica = this.client.pool.pick();
    const body = kind === "vllm" ? { model: this.info.model, prompt: text } : { content: text };
    const { status, json } = await this.client.request(replica, "/tokenize", body);
    if (status !== 200) return undefined;
    const j = json as { count?: unknown; tokens?: unknown };
    if (kind === "vllm" && typeof j.count === "number") return j.count;
    if (Array.isArray(j.tokens)) return j.tokens.length;
    return undefined;
  }

  async open(request: OpenRequest): Promise<Sample[]> {
    if (this.closed) throw new QmathError("engine_failed", "The engine is closed.");
    validateOpenRequest(request, this.info);
    // A sample's text may come from several requests (continuations, resumed streams), whose
    // log-probabilities qmath does not join yet: refused rather than returned partly.
    if (request.logprobs !== undefined)
      throw new QmathError(
        "bad_input",
        "logprobs are not available through a remote engine yet.",
        "Ask the remote server for them directly (vLLM and llama-server return logprobs), or use the embedded engine.",
      );
    return Array.from({ length: request.n ?? 1 }, (_, i) => new RemoteSample(this, i, request));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.lifetime.abort();
  }
}

/**
 * One sample: a series of /v1/completions requests, each continuing from everything the
 * sample holds so far.
 *
 * Usage, as well as a remote server lets qmath know it:
 * - promptTokens: the server's prompt_tokens for the sample's first request (chars/4 if the
 *   server sends no usage).
 * - promptTokensEvaluated: prompt tokens the server computed for this sample: prompt_tokens
 *   minus cached_tokens when the server reports them (vLLM with --enable-prompt-tokens-details),
 *   else all of them (an upper bound: with prefix caching, samples after the first mostly hit
 *   the cache).
 * - completionTokens: the server's completion_tokens per segment (streamed chunks when it
 *   sends none, or for an attempt that broke off).
 * - appendedTokens: chars/4 at append(), replaced by the server's count once the next segment
 *   shows how much the prompt grew.
 * - evaluatedTokens: promptTokensEvaluated plus, per continuation, the prompt tokens beyond
 *   what the sample already held (the appended text and re-tokenized boundaries) — what a
 *   server with prefix caching evaluates; or prompt_tokens - cached_tokens when reported.
 * - promptMs: time to the first streamed token of the first request (includes queueing and
 *   the network); generateMs: first to last streamed token, summed over segments.
 */
class RemoteSample implements Sample {
  text = "";
  readonly usage: Usage = {
    promptTokens: 0,
    promptTokensEvaluated: 0,
    completionTokens: 0,
    appendedTokens: 0,
    evaluatedTokens: 0,
    promptMs: 0,
    generateMs: 0,
  };
  private closed = false;
  private readonly seed: number | undefined;
  /** Requests that completed for this sample. */
  private requests = 0;
  /** Tokens the server held for this sample after the last request (prompt + generated), if known. */
  private contextTokens: number | undefined;
  /** Tokens of the text appended since the last request: a chars/4 estimate, or the server's count once known. */
  private appendEstimate = 0;
  /** Text appended since the last request that the server has not counted yet. */
  private uncounted = "";
  /** Whether appendEstimate is the server's count. */
  private appendCounted = false;
  /** Aborts this sample's request in flight when it is closed. */
  private readonly closer = new AbortController();

  constructor(
    private readonly engine: RemoteEngine,
    readonly index: number,
    private readonly request: OpenRequest,
  ) {
    this.seed = request.seed === undefined ? undefined : request.seed + index;
  }

  append(text: string): void {
    if (this.closed) throw new QmathError("engine_failed", "This sample is closed.");
    const estimate = Math.ceil(text.length / 4);
    this.text += text;
    this.usage.appendedTokens += estimate;
    this.appendEstimate += estimate;
    this.uncounted += text;
  }

  /** Replaces the estimate of the appended text by the server's count, when the server tokenizes. */
  private async countAppended(): Promise<void> {
    if (this.uncounted === "") return;
    const text = this.uncounted;
    this.uncounted = "";
    const counted = await this.engine.serverCount(text);
    if (counted === undefined) return;
    this.usage.appendedTokens += counted - this.appendEstimate;
    this.appendEstimate = counted;
    this.appendCounted = true;
  }

  async generate(options: SegmentOptions = {}): Promise<Segment> {
    if (this.closed) throw new QmathError("engine_failed", "This sample is closed.");
    const signal = AbortSignal.any([this.engine.signal, this.closer.signal, ...(this.request.signal ? [this.request.signal] : []), ...(options.signal ? [options.signal] : [])]);
    if (signal.aborted) return { text: "", finishReason: "abort", tokens: 0 };
    await this.countAppended();
    const { info, serverStops } = this.engine;
    let budget = (this.request.maxTokens ?? Infinity) - this.usage.completionTokens;
    if (this.contextTokens !== undefined) budget = Math.min(budget, info.contextSize - this.contextTokens - this.appendEstimate);
    if (budget <= 0) return { text: "", finishReason: "length", tokens: 0 };

    const continuing = this.requests > 0 || this.text !== "";
    const stops = (this.request.stop ?? []).filter((s) => s.length > 0);
    const base = promptText(this.request.prompt) + this.text;
    const scanner = new StopScanner(stops);
    /** Everything the server streamed in this segment, over all attempts. */
    let received = "";
    let text = "";
    let tokens = 0;
    let attemptChunks = 0;
    let attempts = 0;
    let stopHit: string | undefined;
    let sendMaxTokens = Number.isFinite(budget);

    // Each attempt after a failed one resumes: it sends prompt + the text received so far
    // as its prompt. Nothing already streamed is thrown away or sent to onText twice, so a
    // retry never doubles text or tokens, and the streamed text always equals the returned
    // text. (Restarting from scratch would be exact only while nothing was emitted; resuming
    // is always consistent, and under greedy decoding gives the text an unbroken run would.)
    const body = (): Record<string, unknown> => {
      if (attempts++ > 0) tokens += attemptChunks; // a broken attempt: its chunks stand for its tokens
      attemptChunks = 0;
      const b: Record<string, unknown> = {
        model: info.model,
        prompt: base + received,
        stream: true,
        stream_options: { include_usage: true },
        temperature: this.request.temperature ?? 0,
        top_p: this.request.topP ?? 1,
      };
      if (this.request.topK) b.top_k = this.request.topK;
      // Penalties, min-p and logit bias go to the server as OpenAI and vLLM name them.
      const { minP, presencePenalty, frequencyPenalty, repetitionPenalty, logitBias } = this.request;
      if (minP) b.min_p = minP;
      if (presencePenalty) b.presence_penalty = presencePenalty;
      if (frequencyPenalty) b.frequency_penalty = frequencyPenalty;
      if (repetitionPenalty !== undefined && repetitionPenalty !== 1) b.repetition_penalty = repetitionPenalty;
      if (logitBias && Object.keys(logitBias).length > 0) b.logit_bias = logitBias;
      const format = this.request.responseFormat;
      if (format) b.response_format = responseFormatBody(format);
      if (this.seed !== undefined) b.seed = this.seed;
      if (serverStops && stops.length > 0) b.stop = stops;
      if (sendMaxTokens) b.max_tokens = Math.max(1, budget - tokens);
      return b;
    };
    const emit = (piece: string) => {
      if (!piece) return;
      text += piece;
      options.onText?.(piece);
    };
    const onText = (delta: string): boolean => {
      attemptChunks++;
      received += delta;
      const scan = scanner.push(delta);
      emit(scan.emit);
      if (scan.stop === undefined) return true;
      stopHit = scan.stop;
      return false;
    };

    let outcome: StreamOutcome;
    while (true) {
      try {
        outcome = await this.engine.client.stream(body, onText, signal);
        break;
      } catch (e) {
        if (e instanceof QmathError && e.code === "context_overflow" && received === "") {
          // The prompt plus max_tokens is more than the context (vLLM refuses that): without
          // max_tokens the server generates what the context leaves, which is less than the budget.
          if (sendMaxTokens) {
            sendMaxTokens = false;
            continue;
          }
          // A continuation that no longer fits: the context ran out, as it would locally.
          if (continuing) return { text: "", finishReason: "length", tokens: 0 };
        }
        throw e;
      }
    }

    let finishReason: FinishReason;
    let stop: string | undefined;
    if (outcome.kind === "aborted") {
      tokens += attemptChunks;
      emit(scanner.flush());
      finishReason = "abort";
    } else if (outcome.kind === "cut") {
      tokens += attemptChunks;
      finishReason = "stop";
      stop = stopHit;
    } else {
      const usage = outcome.usage;
      tokens += usage?.completion_tokens ?? attemptChunks;
      emit(scanner.flush());
      const reason = outcome.stopReason;
      if (outcome.finishReason === "length") finishReason = "length";
      else if (typeof reason === "string" && stops.includes(reason) && !END_TOKENS.has(reason)) {
        finishReason = "stop";
        stop = reason;
      } else {
        finishReason = "eos";
        stop = typeof reason === "string" && END_TOKENS.has(reason) ? reason : IM_END;
      }
      this.account(outcome.usage, outcome.chunks, tokens - (usage?.completion_tokens ?? attemptChunks), outcome.startedAt, outcome.firstChunkAt);
    }
    if (outcome.kind !== "aborted" && outcome.kind !== "done") this.account(undefined, attemptChunks, tokens - attemptChunks, outcome.startedAt, outcome.firstChunkAt);
    if (outcome.kind !== "aborted") this.usage.generateMs += Math.max(0, (outcome.lastChunkAt ?? 0) - (outcome.firstChunkAt ?? outcome.lastChunkAt ?? 0));
    this.usage.completionTokens += tokens;
    this.text += text;
    return stop === undefined ? { text, finishReason, tokens } : { text, finishReason, stop, tokens };
  }

  /**
   * Token accounting after a request of this sample. `resumedTokens` are tokens of the
   * segment received by earlier, broken attempts (part of this attempt's prompt).
   */
  private account(usage: ServerUsage | undefined, chunks: number, resumedTokens: number, startedAt: number, firstChunkAt?: number): void {
    const first = this.requests === 0;
    this.requests++;
    const promptTokens = usage?.prompt_tokens;
    const completion = usage?.completion_tokens ?? chunks;
    const cached = usage?.prompt_tokens_details?.cached_tokens;
    if (first) {
      const p = promptTokens !== undefined ? promptTokens - resumedTokens : Math.ceil(promptText(this.request.prompt).length / 4);
      this.usage.promptTokens = Math.max(0, p);
      this.usage.promptTokensEvaluated = promptTokens !== undefined && typeof cached === "number" ? Math.max(0, promptTokens - cached) : this.usage.promptTokens;
      this.usage.evaluatedTokens += this.usage.promptTokensEvaluated;
      if (firstChunkAt !== undefined) this.usage.promptMs = firstChunkAt - startedAt;
    } else if (promptTokens !== undefined && this.contextTokens !== undefined) {
      const grown = Math.max(0, promptTokens - resumedTokens - this.contextTokens);
      this.usage.evaluatedTokens += typeof cached === "number" ? Math.max(0, promptTokens - cached) : grown + resumedTokens;
      if (this.appendEstimate > 0 && !this.appendCounted) this.usage.appendedTokens += grown - this.appendEstimate;
    } else {
      this.usage.evaluatedTokens += this.appendEstimate + resumedTokens;
    }
    const held = first ? this.usage.promptTokens : (this.contextTokens ?? this.usage.promptTokens) + this.appendEstimate;
    this.appendEstimate = 0;
    this.appendCounted = false;
    this.contextTokens = (promptTokens ?? held + resumedTokens) + completion;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closer.abort();
  }
}

/** A response format as OpenAI's API (and vLLM's, on completions too) takes it. */
function responseFormatBody(format: ResponseFormat): Record<string, unknown> {
  if (format.type === "json_object") return { type: "json_object" };
  const schema: Record<string, unknown> = { name: format.name ?? "response", schema: format.schema };
  if (format.strict !== undefined) schema.strict = format.strict;
  return { type: "json_schema", json_schema: schema };
}
