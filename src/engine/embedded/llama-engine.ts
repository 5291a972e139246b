/**
 * The embedded engine: llama.cpp inside the process through node-llama-cpp, on GGUF models.
 *
 * One context holds `maxParallel` sequences; the samples of a request run on sequences of
 * the same context, so their decoding steps are batched together. The prompt is evaluated
 * once, on the first sample's sequence, and its KV cache is copied to the others.
 */
import { basename } from "node:path";
import {
  getLlama,
  LlamaLogLevel,
  TokenBias,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaContextSequenceRepeatPenalty,
  type LlamaGrammarEvaluationState,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import { QmathError } from "../../errors.js";
import { checkGguf } from "../../models/gguf-check.js";
import { validateMaxParallel, validateOpenRequest } from "../validate-request.js";
import type { Engine, EngineInfo, FinishReason, OpenRequest, Sample, Segment, SegmentOptions, TokenLogprob, Usage } from "../types.js";
import { MAX_PARALLEL_SEQUENCES } from "./limits.js";
import { SequencePool } from "./sequence-pool.js";
import { SegmentReader } from "./segment-reader.js";
import { modelChatTemplate } from "./chat-template.js";
import { isCompleteJson, ResponseGrammars } from "./response-grammar.js";
import { retokenizeJoin, tokenizePrompt, tokenizeText } from "./tokens.js";
import { TokenBytes } from "./token-bytes.js";
import { defaultThreads } from "../../config.js";

export interface EmbeddedEngineOptions {
  modelPath: string;
  /** Name shown in results (default: the file name). */
  modelName?: string;
  /** CPU threads for evaluation (default: all available cores). Oversubscription is very slow. */
  threads?: number;
  /** Memory-map the weights (default false: mapped weights decode several times slower on some machines). */
  useMmap?: boolean;
  /** Tokens per sample (default: the model's training context). */
  contextSize?: number;
  /** Samples that can run at once (default 4). */
  maxParallel?: number;
  /** "auto" uses a GPU when one is present (default); false forces the CPU. */
  gpu?: "auto" | false;
  /** Tokens evaluated per batch (default 512). */
  batchSize?: number;
  /** Aborts loading the model (the promise rejects with a QmathError "aborted"). */
  signal?: AbortSignal;
}


function interruptedLoad(): QmathError {
  return new QmathError("aborted", "Interrupted while loading the model.");
}

const llamaInstances = new Map<string, Promise<Llama>>();

/** One Llama runtime per (gpu, threads) setting, shared by every engine of the process. */
function llamaRuntime(gpu: "auto" | false, threads: number): Promise<Llama> {
  const key = `${gpu}:${threads}`;
  let llama = llamaInstances.get(key);
  if (!llama) {
    // build: "never" — use the prebuilt binaries from npm and fail fast instead of compiling.
    llama = getLlama({ build: "never", gpu, maxThreads: threads, logLevel: LlamaLogLevel.error, progressLogs: false }).catch((e: unknown) => {
      llamaInstances.delete(key);
      throw new QmathError(
        "engine_failed",
        `llama.cpp could not start (${e instanceof Error ? e.message : String(e)}).`,
        "Reinstall qmath so npm installs node-llama-cpp's prebuilt binary for this platform.",
        { cause: e },
      );
    });
    llamaInstances.set(key, llama);
  }
  return llama;
}


export async function createEmbeddedEngine(options: EmbeddedEngineOptions): Promise<Engine> {
  const maxParallel = validateMaxParallel(options.maxParallel, 4, MAX_PARALLEL_SEQUENCES, " (llama.cpp's limit of sequences in one context)");
  const summary = await checkGguf(options.modelPath);
  const threads = options.threads ?? defaultThreads();
  const signal = options.signal;
  const llama = await llamaRuntime(options.gpu ?? "auto", threads).catch((e: unknown) => {
    throw signal?.aborted ? interruptedLoad() : e; // Ctrl-C in a terminal also stops llama.cpp's binary test
  });
  if (signal?.aborted) throw interruptedLoad();
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: options.modelPath, useMmap: options.useMmap ?? false, loadSignal: signal });
  } catch (e) {
    if (signal?.aborted) throw interruptedLoad();
    throw new QmathError(
      "model_invalid",
      `llama.cpp could not load ${options.modelPath} (${e instanceof Error ? e.message : String(e)}).`,
      "Check that the file is a complete GGUF model of a supported architecture (qwen2), or download it again.",
      { cause: e },
    );
  }
  const contextSize = options.contextSize ?? Math.min(summary.contextLength ?? 4096, model.trainContextSize);
  const batching = new BatchGate();
  let context: LlamaContext;
  try {
    context = await model.createContext({
      contextSize,
      sequences: maxParallel,
      threads,
      batchSize: options.batchSize ?? 512,
      batching: { dispatchSchedule: (dispatch) => batching.schedule(dispatch) },
      createSignal: signal,
    });
    batching.context = context;
  } catch (e) {
    await model.dispose();
    if (signal?.aborted) throw interruptedLoad();
    throw new QmathError(
      "engine_failed",
      `Could not create a context of ${contextSize} tokens x ${maxParallel} samples (${e instanceof Error ? e.message : String(e)}).`,
      "Use fewer parallel samples or a smaller context.",
      { cause: e },
    );
  }
  const info: EngineInfo = {
    kind: "llama.cpp",
    model: options.modelName ?? basename(options.modelPath),
    contextSize: context.contextSize,
    maxParallel,
    chatTemplate: modelChatTemplate(model),
  };
  return new EmbeddedEngine(info, model, context, batching);
}

/** Longest a batch waits for generating samples that have not queued their next token yet. */
const MAX_BATCH_WAIT_MS = 10;

/**
 * Decides when node-llama-cpp dispatches a batch. Its default dispatches on the next event
 * loop turn after the first sequence queues a token; the other samples are often still
 * sampling their previous token on the thread pool then, so N samples decode in several
 * small batches instead of one. The gate waits (a few turns, at most MAX_BATCH_WAIT_MS)
 * until every generating sample has queued its token, so each step is one forward pass.
 */
class BatchGate {
  /** Samples inside generate(): each queues one token per step. */
  generating = 0;
  context: LlamaContext | undefined;

  schedule(dispatch: () => void): void {
    const deadline = performance.now() + MAX_BATCH_WAIT_MS;
    const check = () => {
      // The number of sequences with queued tokens; an internal of node-llama-cpp (pinned at 3.22.1).
      const queued = (this.context as unknown as { _queuedDecodeSequenceIds?: Set<number> } | undefined)?._queuedDecodeSequenceIds?.size;
      if (queued === undefined || queued >= this.generating || performance.now() >= deadline) dispatch();
      else setImmediate(check);
    };
    setImmediate(check);
  }
}

class EmbeddedEngine implements Engine {
  private readonly pool: SequencePool;
  private readonly grammars: ResponseGrammars;
  /** Token texts and bytes for logprobs, made on first use. */
  private tokenBytesCache: TokenBytes | undefined;
  private closed = false;

  constructor(
    readonly info: EngineInfo,
    readonly model: LlamaModel,
    private readonly context: LlamaContext,
    readonly batching: BatchGate,
  ) {
    this.pool = new SequencePool(context);
    this.grammars = new ResponseGrammars(model);
  }

  async countTokens(text: string): Promise<number> {
    return tokenizeText(this.model, text, true).length;
  }

  get tokenBytes(): TokenBytes {
    return (this.tokenBytesCache ??= new TokenBytes(this.model));
  }

  async open(request: OpenRequest): Promise<Sample[]> {
    if (this.closed) throw new QmathError("engine_failed", "The engine is closed.");
    validateOpenRequest(request, this.info);
    checkLogitBias(this.model, request.logitBias);
    const n = request.n ?? 1;
    // One grammar state per sample, made before any sequence is taken (a schema without a grammar is refused here).
    const format = request.responseFormat;
    const grammarStates = format ? await Promise.all(Array.from({ length: n }, () => this.grammars.state(format))) : undefined;
    const { tokens: promptTokens, fixed } = tokenizePrompt(this.model, request.prompt);
    if (promptTokens.length >= this.info.contextSize)
      throw new QmathError(
        "context_overflow",
        `The prompt takes ${promptTokens.length} tokens, but the model's context holds ${this.info.contextSize}.`,
        "Shorten the problem (or start a new conversation) so that the prompt and the solution fit.",
      );

    // An aborted request opens samples that hold no sequence and whose generate() reports the
    // abort, whether it was aborted before open() or while waiting for free sequences.
    const aborted = () => Array.from({ length: n }, (_, i) => new AbortedSample(this, i, promptTokens.length));
    if (request.signal?.aborted) return aborted();
    let seqs: LlamaContextSequence[];
    try {
      seqs = await this.pool.acquire(n, promptTokens, request.signal);
    } catch (e) {
      if (request.signal?.aborted) return aborted();
      throw e;
    }
    const started = performance.now();
    let evaluated: number[];
    try {
      evaluated = await this.loadPrompt(seqs, promptTokens);
    } catch (e) {
      for (const s of seqs) this.pool.release(s);
      throw e;
    }
    const promptMs = performance.now() - started;
    return seqs.map(
      (seq, i) =>
        new EmbeddedSample(this, seq, i, request, promptTokens, fixed, grammarStates?.[i], {
          promptTokens: promptTokens.length,
          promptTokensEvaluated: evaluated[i]!,
          completionTokens: 0,
          appendedTokens: 0,
          evaluatedTokens: evaluated[i]!,
          promptMs,
          generateMs: 0,
        }),
    );
  }

  /**
   * Puts all but the last prompt token into every sequence's KV cache, evaluating them once.
   * (Each sample evaluates the last prompt token itself: its logits start that sample's sampling.)
   * Returns how many prompt tokens each sequence evaluated.
   */
  private async loadPrompt(seqs: LlamaContextSequence[], promptTokens: Token[]): Promise<number[]> {
    const upTo = promptTokens.length - 1;
    const [leader, ...followers] = seqs as [LlamaContextSequence, ...LlamaContextSequence[]];
    const leaderEvaluated = await alignPrefix(leader, promptTokens, upTo);
    const evaluated = [leaderEvaluated + 1];
    for (const seq of followers) {
      if (await copyPromptState(seq, leader, upTo)) evaluated.push(1);
      else evaluated.push((await alignPrefix(seq, promptTokens, upTo)) + 1);
    }
    return evaluated;
  }

  release(seq: LlamaContextSequence): void {
    if (!this.closed) this.pool.release(seq);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.context.dispose();
    await this.model.dispose();
  }
}

/** Makes the sequence hold exactly tokens[0, upTo), reusing what it already holds. Returns tokens evaluated. */
async function alignPrefix(seq: LlamaContextSequence, tokens: Token[], upTo: number): Promise<number> {
  const keep = Math.min(seq.compareContextTokens(tokens).firstDifferentIndex, upTo);
  if (seq.nextTokenIndex > keep) await seq.eraseContextTokenRanges([{ start: keep, end: seq.nextTokenIndex }]);
  const missing = tokens.slice(keep, upTo);
  if (missing.length > 0) await seq.evaluateWithoutGeneratingNewTokens(missing);
  return missing.length;
}

type CopyableSequence = LlamaContextSequence & {
  _copyStateFromOtherSequence?: (other: LlamaContextSequence, upToTokenIndex: number) => Promise<boolean>;
};

/**
 * Copies the leader's KV cache for the first `upTo` tokens into `seq` (llama.cpp's
 * seq_cp). node-llama-cpp exposes this only internally (pinned at 3.22.1); when it is
 * missing or fails, the caller evaluates the prompt on the sequence instead.
 */
async function copyPromptState(seq: LlamaContextSequence, leader: LlamaContextSequence, upTo: number): Promise<boolean> {
  const copy = (seq as CopyableSequence)._copyStateFromOtherSequence;
  if (typeof copy !== "function") return false;
  try {
    return await copy.call(seq, leader, upTo);
  } catch {
    return false;
  }
}

/** The vocabulary's size, from the GGUF's token list. */
function vocabularySize(model: LlamaModel): number | undefined {
  const tokens: unknown = model.fileInfo.metadata.tokenizer?.ggml?.tokens;
  return Array.isArray(tokens) ? tokens.length : undefined;
}

/** Refuses a logit bias on a token id the model does not have. */
function checkLogitBias(model: LlamaModel, bias: OpenRequest["logitBias"]): void {
  const size = vocabularySize(model);
  if (!bias || size === undefined) return;
  for (const token of Object.keys(bias))
    if (Number(token) >= size)
      throw new QmathError("bad_input", `logitBias names token ${token}, but the model's vocabulary has tokens 0 to ${size - 1}.`, "Use the model's token ids.");
}

/** OpenAI's logit_bias as node-llama-cpp's token bias: each value is added to the token's logit. */
function tokenBias(model: LlamaModel, bias: OpenRequest["logitBias"]): TokenBias | undefined {
  if (!bias || Object.keys(bias).length === 0) return undefined;
  const result = new TokenBias(model.tokenizer);
  for (const [token, value] of Object.entries(bias)) result.set(Number(token) as Token, { logit: value });
  return result;
}

/** The log-probability reported for a token of probability 0 (as vLLM reports -inf). */
const MIN_LOGPROB = -9999;

function anySignal(a?: AbortSignal, b?: AbortSignal): AbortSignal | undefined {
  if (!a) return b;
  if (!b) return a;
  return AbortSignal.any([a, b]);
}

class EmbeddedSample implements Sample {
  text = "";
  private closed = false;
  private readonly seed: number;
  /** The request's logit bias, made once for every segment of the sample. */
  private readonly bias: TokenBias | undefined;
  /** The sample's context as tokens: the prompt, the generated tokens it kept, appended text. */
  private readonly tokens: Token[];

  constructor(
    private readonly engine: EmbeddedEngine,
    private readonly seq: LlamaContextSequence,
    readonly index: number,
    private readonly request: OpenRequest,
    promptTokens: Token[],
    /** Prompt tokens up to the end of its last special part, never re-tokenized. */
    private readonly fixed: number,
    /** Where the sample is in its response format's grammar (none: free text). */
    private readonly grammar: LlamaGrammarEvaluationState | undefined,
    readonly usage: Usage,
  ) {
    this.seed = (request.seed ?? Math.floor(Math.random() * 2 ** 31)) + index;
    this.tokens = promptTokens.slice();
    this.bias = tokenBias(engine.model, request.logitBias);
  }

  append(text: string): void {
    if (this.closed) throw new QmathError("engine_failed", "This sample is closed.");
    if (this.grammar)
      throw new QmathError("bad_input", "Text cannot be appended to a sample constrained by a responseFormat: the grammar covers only what the model writes.");
    // Appended text (a tool's output) is data: special-token strings in it stay plain text. It is
    // tokenized together with the end of the sample, as a tokenization of the whole text cuts it;
    // generate() then evaluates what changed.
    const model = this.engine.model;
    const { keep, tail } = retokenizeJoin(model, this.tokens, this.fixed, text);
    // Joined at the end (nothing re-cut), the tail is the text's own tokens.
    const alone = keep === this.tokens.length ? tail.length : tokenizeText(model, text, false).length;
    this.text += text;
    this.tokens.splice(keep, this.tokens.length - keep, ...tail);
    this.usage.appendedTokens += alone;
  }

  /**
   * llama.cpp's penalties over the tokens they count: presence and frequency penalties (OpenAI's)
   * count the tokens this sample generated; a repetition penalty (vLLM's) counts the prompt too.
   * llama.cpp applies all three to one list, so with a repetition penalty the others count the
   * prompt as well.
   */
  private repeatPenalty(reader: SegmentReader): LlamaContextSequenceRepeatPenalty | undefined {
    const { presencePenalty = 0, frequencyPenalty = 0, repetitionPenalty = 1 } = this.request;
    if (presencePenalty === 0 && frequencyPenalty === 0 && repetitionPenalty === 1) return undefined;
    // The sample's tokens do not change while it generates: copied once, not once per token.
    const before = this.tokens.slice(repetitionPenalty === 1 ? this.usage.promptTokens : 0);
    return {
      punishTokens: () => before.concat(reader.generated),
      maxPunishTokens: this.engine.info.contextSize,
      penalty: repetitionPenalty,
      presencePenalty,
      frequencyPenalty,
    };
  }

  async generate(options: SegmentOptions = {}): Promise<Segment> {
    if (this.closed) throw new QmathError("engine_failed", "This sample is closed.");
    const signal = anySignal(this.request.signal, options.signal);
    const model = this.engine.model;
    const budget = Math.min(
      (this.request.maxTokens ?? Infinity) - this.usage.completionTokens,
      this.engine.info.contextSize - this.tokens.length,
    );
    if (signal?.aborted) return { text: "", finishReason: "abort", tokens: 0 };
    if (budget <= 0) return { text: "", finishReason: "length", tokens: 0 };

    // The sequence already holds all but what changed since the last segment (the tail cut
    // at a stop string, appended text); only that is evaluated now.
    const continuing = this.usage.completionTokens > 0 || this.text !== "";
    const realigned = await alignPrefix(this.seq, this.tokens, this.tokens.length - 1);
    const input = this.tokens.slice(this.tokens.length - 1);
    if (continuing) this.usage.evaluatedTokens += realigned + input.length;

    const reader = new SegmentReader(model, this.request.stop ?? [], options.onText);
    let finishReason: FinishReason = "length";
    let stop: string | undefined;
    const started = performance.now();
    this.engine.batching.generating++;
    const logprobs: TokenLogprob[] | undefined = this.request.logprobs === undefined ? undefined : [];
    try {
      const evaluateOptions = {
        temperature: this.request.temperature ?? 0,
        topK: this.request.topK ?? 0,
        topP: this.request.topP ?? 1,
        minP: this.request.minP ?? 0,
        seed: this.seed,
        // No penalties unless the request asks (sequence.evaluate applies none), as the reference samples.
        repeatPenalty: this.repeatPenalty(reader),
        tokenBias: this.bias,
        grammarEvaluationState: this.grammar,
        yieldEogToken: true,
      };
      const tokens = logprobs ? this.withLogprobs(input, evaluateOptions, logprobs) : this.seq.evaluate(input, evaluateOptions);
      for await (const token of tokens) {
        if (model.isEogToken(token)) {
          logprobs?.pop(); // the end of the turn is not part of the text
          finishReason = "eos";
          stop = model.detokenize([token], true);
          break;
        }
        if (logprobs) options.onLogprob?.(logprobs[logprobs.length - 1]!);
        const fired = reader.push(token);
        if (fired !== undefined) {
          [finishReason, stop] = ["stop", fired];
          break;
        }
        if (signal?.aborted) {
          finishReason = "abort";
          break;
        }
        // The JSON is whole: the grammar allows only whitespace and the end of the turn now.
        if (this.grammar && isCompleteJson(this.text + reader.decoded)) {
          finishReason = "eos";
          break;
        }
        if (reader.generated.length >= budget) break;
      }
    } catch (e) {
      throw new QmathError("engine_failed", `Generation failed: ${e instanceof Error ? e.message : String(e)}.`, undefined, { cause: e });
    } finally {
      this.engine.batching.generating--;
    }
    if (finishReason === "stop") {
      // The tokens before the stop stay; the token the stop starts inside is replaced by the
      // tokens of its text before the stop.
      const { tokens, fragment } = reader.kept();
      this.tokens.push(...tokens);
      if (fragment) this.tokens.push(...tokenizeText(model, fragment, false));
      // Logprobs cover the tokens whose text starts before the stop.
      logprobs?.splice(tokens.length + (fragment ? 1 : 0));
    } else {
      reader.finish();
      this.tokens.push(...reader.generated);
    }
    const text = reader.text;
    const count = reader.generated.length;
    this.usage.completionTokens += count;
    this.usage.generateMs += performance.now() - started;
    this.text += text;
    const segment: Segment = stop === undefined ? { text, finishReason, tokens: count } : { text, finishReason, stop, tokens: count };
    if (logprobs) segment.logprobs = logprobs;
    return segment;
  }

  /**
   * The generated tokens, recording each one's log-probability (and the request's number of
   * likeliest alternatives) in `out` before it is yielded. node-llama-cpp gives the probabilities
   * after its sampler chain: over the whole vocabulary when decoding greedily, over what top-k,
   * top-p and min-p keep (at the temperature) when sampling.
   */
  private async *withLogprobs(input: Token[], options: Parameters<LlamaContextSequence["evaluate"]>[1], out: TokenLogprob[]): AsyncGenerator<Token> {
    const top = this.request.logprobs ?? 0;
    const bytes = this.engine.tokenBytes;
    const logOf = (p: number) => (p > 0 ? Math.log(p) : MIN_LOGPROB);
    for await (const next of this.seq.evaluateWithMetadata(input, { confidence: true, probabilities: top > 0 }, options)) {
      const alternatives: TokenLogprob["top"] = [];
      const probabilities = (next as { probabilities?: Map<Token, number> }).probabilities;
      if (probabilities)
        for (const [token, p] of probabilities) {
          if (alternatives.length >= top) break;
          alternatives.push({ ...bytes.of(token), logprob: logOf(p) });
        }
      out.push({ ...bytes.of(next.token), logprob: logOf(next.confidence), top: alternatives });
      yield next.token;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.engine.release(this.seq);
  }
}

/** A sample of a request aborted before it got a sequence: nothing evaluated, every segment an abort. */
class AbortedSample implements Sample {
  text = "";
  readonly usage: Usage;
  private closed = false;

  constructor(
    private readonly engine: EmbeddedEngine,
    readonly index: number,
    promptTokens: number,
  ) {
    this.usage = { promptTokens, promptTokensEvaluated: 0, completionTokens: 0, appendedTokens: 0, evaluatedTokens: 0, promptMs: 0, generateMs: 0 };
  }

  append(text: string): void {
    if (this.closed) throw new QmathError("engine_failed", "This sample is closed.");
    this.text += text;
    this.usage.appendedTokens += tokenizeText(this.engine.model, text, false).length;
  }

  async generate(): Promise<Segment> {
    if (this.closed) throw new QmathError("engine_failed", "This sample is closed.");
    return { text: "", finishReason: "abort", tokens: 0 };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
