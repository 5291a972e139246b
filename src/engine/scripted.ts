/**
 * The scripted engine plays back recorded model output through the generation interface,
 * so everything above the engine (prompts, TIR, extraction, voting, evaluation, the server)
 * can be tested on real model text without a model. Each sample follows a script: the text
 * the model would write. Generation stops at stop strings exactly as with a real model;
 * text appended by the caller (a tool result) goes into the sample's text but does not move
 * the script, which continues with what the model wrote after the stop.
 */
import { QmathError } from "../errors.js";
import type { Engine, EngineInfo, OpenRequest, Sample, Segment, SegmentOptions, Usage } from "./types.js";

/** The script of sample `index` for a prompt. */
export type ScriptSource = readonly string[] | ((prompt: string, index: number) => string);

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
export function countPieces(text: string): number {
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

  constructor(private readonly options: ScriptedEngineOptions) {
    this.info = {
      kind: "scripted",
      model: options.model ?? "scripted",
      contextSize: options.contextSize ?? 4096,
      maxParallel: options.maxParallel ?? 64,
    };
  }

  script(prompt: string, index: number): string {
    const { scripts } = this.options;
    if (typeof scripts === "function") return scripts(prompt, index);
    if (scripts.length === 0) throw new QmathError("bad_input", "The scripted engine has no scripts.");
    return scripts[index % scripts.length]!;
  }

  async countTokens(text: string): Promise<number> {
    return countPieces(text);
  }

  async open(request: OpenRequest): Promise<Sample[]> {
    const n = request.n ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > this.info.maxParallel)
      throw new QmathError("bad_input", `The number of samples must be a whole number from 1 to ${this.info.maxParallel}, not ${n}.`);
    const promptTokens = countPieces(request.prompt);
    if (promptTokens >= this.info.contextSize)
      throw new QmathError(
        "context_overflow",
        `The prompt takes ${promptTokens} tokens, but the model's context holds ${this.info.contextSize}.`,
        "Shorten the problem (or start a new conversation) so that the prompt and the solution fit.",
      );
    return Array.from({ length: n }, (_, i) => new ScriptedSample(i, this.script(request.prompt, i), request, promptTokens, this.options.pieceDelayMs ?? 0));
  }

  async close(): Promise<void> {}
}

class ScriptedSample implements Sample {
  text = "";
  readonly usage: Usage;
  private cursor = 0;

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
    this.text += text;
    this.usage.appendedTokens += countPieces(text);
    this.usage.evaluatedTokens += countPieces(text);
  }

  async generate(options: SegmentOptions = {}): Promise<Segment> {
    const started = performance.now();
    const rest = this.script.slice(this.cursor);
    // The first stop string in what is left of the script ends this segment.
    let end = rest.length;
    let stop: string | undefined;
    for (const s of this.request.stop ?? []) {
      const i = s ? rest.indexOf(s) : -1;
      if (i >= 0 && i < end) {
        end = i;
        stop = s;
      }
    }
    const budget = (this.request.maxTokens ?? Infinity) - this.usage.completionTokens;
    let text = "";
    let tokens = 0;
    let finishReason: Segment["finishReason"] = stop ? "stop" : "eos";
    for (const piece of pieces(rest.slice(0, end))) {
      if (tokens >= budget) {
        finishReason = "length";
        break;
      }
      if (this.request.signal?.aborted || options.signal?.aborted) {
        finishReason = "abort";
        break;
      }
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      text += piece;
      tokens++;
      options.onText?.(piece);
    }
    const consumed = finishReason === "stop" ? end + stop!.length : finishReason === "eos" ? rest.length : text.length;
    this.cursor += consumed;
    this.text += text;
    this.usage.completionTokens += tokens;
    this.usage.generateMs += performance.now() - started;
    if (finishReason === "stop") return { text, finishReason, stop, tokens };
    if (finishReason === "eos") return { text, finishReason, stop: "<|im_end|>", tokens };
    return { text, finishReason, tokens };
  }

  async close(): Promise<void> {}
}
