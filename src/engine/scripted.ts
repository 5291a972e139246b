/**
 * The scripted engine plays back recorded model output through the generation interface,
 * so everything above the engine (prompts, TIR, extraction, voting, evaluation, the server)
 * can be tested on real model text without a model. Each sample follows a script: the text
 * the model would write. Generation stops at stop strings exactly as with a real model;
 * text appended by the caller (a tool result) goes into the sample's text but does not move
 * the script, which continues with what the model wrote after the stop.
 */
import { QmathError } from "../errors.js";
import { StopScanner } from "./stop-scanner.js";
import { validateMaxParallel, validateOpenRequest } from "./validate-request.js";
import { promptText, type Engine, type EngineInfo, type OpenRequest, type Sample, type Segment, type SegmentOptions, type Usage } from "./types.js";

/**
 * The script of each sample: a list (sample i of every request plays script i, modulo the
 * list's length), or a function of the prompt, the sample's index in its request, and its seed
 * (the request's seed + index, undefined without a seed). A function of the seed behaves as a
 * sampling model does: sample i of a request plays what sample 0 plays under seed + i.
 */
export type ScriptSource = readonly string[] | ((prompt: string, index: number, seed: number | undefined) => string);

/** The end-of-turn token a finished script reports. */
const IM_END = "<|im_end|>";

export interface ScriptedEngineOptions {
  scripts: ScriptSource;
  model?: string;
  contextSize?: number;
  maxParallel?: number;
  /** Milliseconds to wait between streamed pieces (default 0), to exercise streaming and aborts. */
  pieceDelayMs?: number;
}

/** Splits text into the pieces a tokenizer would stream: words with their leading space, and newlines. */
export function pieces(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

/** Approximate token count of text (one per streamed piece). */
function countPieces(text: string): number {
  return pieces(text).length;
}

/**
 * A TIR transcript as recorded (model text with the executor's ```output blocks in it)
 * turned into a script: the recorded output blocks are removed, because at playback the
 * caller appends the real execution result where the model stopped.
 */
export function scriptFromTranscript(transcript: string): string {
  return transcript.replace(/```output\n[\s\S]*?```\n?/g, "```output");
}

export function createScriptedEngine(options: ScriptedEngineOptions): Engine {
  return new ScriptedEngine(options);
}

class ScriptedEngine implements Engine {
  readonly info: EngineInfo;
  private closed = false;

  constructor(private readonly options: ScriptedEngineOptions) {
    this.info = {
      kind: "scripted",
      model: options.model ?? "scripted",
      contextSize: options.contextSize ?? 4096,
      maxParallel: validateMaxParallel(options.maxParallel, 64),
    };
  }

  script(prompt: string, index: number, seed: number | undefined): string {
    const { scripts } = this.options;
    if (typeof scripts === "function") return scripts(prompt, index, seed);
    if (scripts.length === 0) throw new QmathError("bad_input", "The scripted engine has no scripts.");
    return scripts[index % scripts.length]!;
  }

  async countTokens(text: string): Promise<number> {
    return countPieces(text);
  }

  async open(request: OpenRequest): Promise<Sample[]> {
    if (this.closed) throw new QmathError("engine_failed", "The engine is closed.");
    validateOpenRequest(request, this.info);
    // Recorded text cannot be constrained; playing it back as if it were would be a lie.
    if (request.responseFormat)
      throw new QmathError(
        "bad_input",
        `responseFormat ${request.responseFormat.type} is not supported by the scripted engine: it plays back recorded text and cannot constrain it.`,
        "Use the embedded or a remote engine for JSON output.",
      );
    if (request.logprobs !== undefined)
      throw new QmathError("bad_input", "logprobs are not available from the scripted engine: recorded text carries no probabilities.", "Use the embedded engine for log-probabilities.");
    const n = request.n ?? 1;
    const prompt = promptText(request.prompt);
    const promptTokens = countPieces(prompt);
    if (promptTokens >= this.info.contextSize)
      throw new QmathError(
        "context_overflow",
        `The prompt takes ${promptTokens} tokens, but the model's context holds ${this.info.contextSize}.`,
        "Shorten the problem (or start a new conversation) so that the prompt and the solution fit.",
      );
    return Array.from({ length: n }, (_, i) => new ScriptedSample(i, this.script(prompt, i, request.seed === undefined ? undefined : request.seed + i), request, promptTokens, this.options.pieceDelayMs ?? 0));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

class ScriptedSample implements Sample {
  text = "";
  readonly usage: Usage;
  private cursor = 0;
  private closed = false;

  constructor(
    readonly index: number,
    private readonly script: string,
    private readonly request: OpenRequest,
    promptTokens: number,
    private readonly delayMs: number,
  ) {
    this.usage = {
      promptTokens,
      promptTokensEvaluated: index === 0 ? promptTokens : 1,
      completionTokens: 0,
      appendedTokens: 0,
      evaluatedTokens: index === 0 ? promptTokens : 1,
      promptMs: 0,
      generateMs: 0,
    };
  }

  append(text: string): void {
    if (this.closed) throw new QmathError("engine_failed", "This sample is closed.");
    this.text += text;
    this.usage.appendedTokens += countPieces(text);
    this.usage.evaluatedTokens += countPieces(text);
  }

  /** Plays the script on, piece by piece, as a model streams tokens: the same stop scanning, budget and abort checks. */
  async generate(options: SegmentOptions = {}): Promise<Segment> {
    if (this.closed) throw new QmathError("engine_failed", "This sample is closed.");
    const aborted = () => this.request.signal?.aborted === true || options.signal?.aborted === true;
    if (aborted()) return { text: "", finishReason: "abort", tokens: 0 };
    const budget = (this.request.maxTokens ?? Infinity) - this.usage.completionTokens;
    if (budget <= 0) return { text: "", finishReason: "length", tokens: 0 };
    const started = performance.now();
    const scanner = new StopScanner(this.request.stop ?? []);
    let text = "";
    let tokens = 0;
    let consumed = 0;
    let finishReason: Segment["finishReason"] = "eos";
    let stop: string | undefined;
    const emit = (piece: string) => {
      if (!piece) return;
      text += piece;
      options.onText?.(piece);
    };
    for (const piece of pieces(this.script.slice(this.cursor))) {
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      tokens++;
      consumed += piece.length;
      const fired = scanner.feed(piece, emit);
      if (fired !== undefined) {
        [finishReason, stop] = ["stop", fired];
        break;
      }
      if (aborted()) {
        finishReason = "abort";
        break;
      }
      if (tokens >= budget) {
        finishReason = "length";
        break;
      }
    }
    // After a stop string the script goes on right after it (what the model wrote next); the
    // rest of the piece the stop ended in is not lost.
    if (finishReason === "stop") this.cursor += text.length + stop!.length;
    else {
      emit(scanner.flush());
      this.cursor += consumed;
    }
    this.text += text;
    this.usage.completionTokens += tokens;
    this.usage.generateMs += performance.now() - started;
    if (finishReason === "stop") return { text, finishReason, stop, tokens };
    if (finishReason === "eos") return { text, finishReason, stop: IM_END, tokens };
    return { text, finishReason, tokens };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
