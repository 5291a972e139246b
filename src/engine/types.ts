/**
 * The generation interface every engine implements (embedded llama.cpp, remote
 * OpenAI-compatible servers, the scripted playback engine used by tests).
 *
 * A request opens N samples that share one prompt evaluation. Each sample generates in
 * segments: a segment ends at an end-of-turn token, a stop string, the token limit or an
 * abort. After a stop string the caller may append text (a tool result) and continue the
 * same sample; the engine keeps what it has already evaluated and only evaluates the
 * appended text.
 *
 * The contract every engine keeps (checked on each engine by test/engine/contract.ts):
 * - open() checks the request with validateOpenRequest (validate-request.ts): a bad value of
 *   n, maxTokens, temperature, topP, topK, seed, stop or prompt is a QmathError("bad_input")
 *   naming the field, the value and the allowed range. n above info.maxParallel is refused
 *   the same way: open() gives at most maxParallel live samples; more run in waves
 *   (runWaves / generateAll in generate.ts, which keep seed + i across waves).
 * - Stops: generation ends as soon as the text holds a stop string; the segment's text ends
 *   before the first one in the text (Segment.stop names it), and neither onText, the
 *   segment nor Sample.text ever holds it or anything after it.
 * - Seeds: under a seed, the same request gives the same text; sample i of a request draws
 *   exactly what sample 0 draws under seed + i.
 * - Aborts (the request's signal or the segment's): the segment ends with finishReason
 *   "abort" and the text so far. A request aborted before or while open() waits for free
 *   slots still opens; its samples generate nothing and report "abort". Closing the samples
 *   frees their slots.
 * - Closed samples and engines refuse work with a QmathError; close() is idempotent.
 */

/** Sampling settings. Greedy decoding is temperature 0. */
export interface SamplingOptions {
  /** 0 = greedy. */
  temperature?: number;
  topP?: number;
  topK?: number;
  /** Seed for sample 0; sample i uses seed + i so that N samples differ but repeat under a seed (default: random). */
  seed?: number;
  /** Keep tokens whose probability is at least minP times the likeliest token's (0: off). */
  minP?: number;
  /** OpenAI's: subtracted from the logit of every token the sample has generated (-2 to 2; 0: off). */
  presencePenalty?: number;
  /** OpenAI's: subtracted from a token's logit once per time the sample has generated it (-2 to 2; 0: off). */
  frequencyPenalty?: number;
  /** vLLM's / llama.cpp's: divides the logits of tokens already in the prompt or the generated text (1: off). */
  repetitionPenalty?: number;
  /** OpenAI's logit_bias: token id → a bias (-100 to 100) added to that token's logit. */
  logitBias?: Readonly<Record<string, number>>;
}

/**
 * A piece of a prompt rendered by a chat template (see chatMLPrompt in src/prompts/chatml.ts).
 * In a `special` part, special-token strings (`<|im_start|>`, ...) are the special tokens;
 * everywhere else (a user's message, a problem, the template's plain text) they are plain text,
 * so that a user who types `<|im_start|>` cannot open a turn of their own.
 */
export interface PromptPart {
  text: string;
  special?: boolean;
}

/** A rendered prompt: raw text, whose special-token strings are all parsed (as OpenAI completions and vLLM take it), or parts. */
export type Prompt = string | readonly PromptPart[];

/** The whole text of a prompt. */
export function promptText(prompt: Prompt): string {
  return typeof prompt === "string" ? prompt : prompt.map((p) => p.text).join("");
}

/**
 * A constraint on the text's form: a JSON object (OpenAI's JSON mode), or JSON that matches a
 * JSON schema. The embedded engine constrains decoding with a grammar, a remote engine passes it
 * to its server as `response_format`; an engine that cannot constrain refuses it at open().
 * The text is cut short only by the token budget (finishReason "length"), as with OpenAI.
 */
export type ResponseFormat = { type: "json_object" } | { type: "json_schema"; schema: Readonly<Record<string, unknown>>; name?: string; strict?: boolean };

/** A request for N samples of one prompt. The ranges allowed are validateOpenRequest's. */
export interface OpenRequest extends SamplingOptions {
  /** The prompt, already rendered with the model's chat template. */
  prompt: Prompt;
  /** Number of samples sharing this prompt evaluation: 1 (default) to the engine's maxParallel. */
  n?: number;
  /** Stop strings; the text stops before the first one found. End-of-turn tokens always stop. */
  stop?: string[];
  /** Token budget for each sample across all its segments (default: what the context leaves). */
  maxTokens?: number;
  /** Constrain every sample's text to JSON (default: free text). */
  responseFormat?: ResponseFormat;
  /**
   * Report each generated token's log-probability with this many likeliest alternatives
   * (0 to MAX_TOP_LOGPROBS; default: no log-probabilities). An engine that cannot refuses it at open().
   */
  logprobs?: number;
  signal?: AbortSignal;
}

/** The most alternatives per token a request may ask for (OpenAI's top_logprobs limit). */
export const MAX_TOP_LOGPROBS = 20;

/** A token as text and as its UTF-8 bytes (a token may hold part of a character). */
export interface TokenText {
  token: string;
  bytes: number[];
  logprob: number;
}

/**
 * One generated token's log-probability in the distribution it was drawn from: the model's,
 * after the request's logit bias and penalties, and (when sampling) after its top-k, top-p,
 * min-p and temperature, like llama-server's post-sampling probabilities. `top` holds the
 * likeliest tokens of that distribution, most likely first.
 */
export interface TokenLogprob extends TokenText {
  top: TokenText[];
}

/** Why a segment ended. */
export type FinishReason =
  | "eos" // the model ended its turn (end-of-generation token)
  | "stop" // a stop string was produced (see Segment.stop)
  | "length" // the token budget or the context ran out
  | "abort"; // the caller aborted

export interface SegmentOptions {
  /** Called with each new piece of text as it is decoded (never text past a stop string). */
  onText?: (delta: string) => void;
  /**
   * With OpenRequest.logprobs: called with each generated token's entry as it is sampled
   * (before its text, which a stop string may still hold back, reaches onText). Tokens past a
   * stop string are reported too; Segment.logprobs says which belong to the text.
   */
  onLogprob?: (entry: TokenLogprob) => void;
  signal?: AbortSignal;
}

/** One stretch of generation of a sample. */
export interface Segment {
  /** Text generated in this segment, without the stop string. */
  text: string;
  finishReason: FinishReason;
  /** Which stop string fired (finishReason "stop"), or the end-of-turn token's text ("eos"). */
  stop?: string;
  /** Tokens generated in this segment (the one a stop string ends in included; an end-of-turn token not). */
  tokens: number;
  /**
   * With OpenRequest.logprobs: one entry per generated token whose text starts in `text` (a
   * token cut by a stop string included, tokens after the stop and an end-of-turn token not).
   */
  logprobs?: TokenLogprob[];
}

/**
 * What a sample cost, in tokens of the engine's model. Kept consistent by every engine:
 * promptTokens is countTokens(prompt); 0 <= promptTokensEvaluated <= promptTokens;
 * completionTokens is the sum of the segments' tokens; appendedTokens is the count of the
 * appended text; evaluatedTokens is promptTokensEvaluated until text is appended, then grows by
 * at least the appended tokens per continuation (the remote engine: by what the server says
 * it evaluated, when it reports cached tokens).
 */
export interface Usage {
  /** Tokens in the prompt. */
  promptTokens: number;
  /**
   * Prompt tokens this sample actually evaluated: all of them for the first sample, 0 for
   * samples that received a copy of the shared prompt state.
   */
  promptTokensEvaluated: number;
  /** Tokens generated by the model (appended text not counted). */
  completionTokens: number;
  /** Tokens of appended text (tool outputs) added to the sample. */
  appendedTokens: number;
  /**
   * Tokens this sample fed through the model besides those it sampled: its share of the
   * prompt, appended text, and re-tokenized boundaries. Continuing after append() adds about
   * the appended tokens, not the whole text again.
   */
  evaluatedTokens: number;
  /** Milliseconds spent evaluating the shared prompt (same value on every sample of a request). */
  promptMs: number;
  /** Milliseconds from the first to the last generated token of this sample. */
  generateMs: number;
}

/** A live sample: generate, append, continue, close. */
export interface Sample {
  readonly index: number;
  /** Everything this sample has produced so far: generated text and appended text. */
  readonly text: string;
  readonly usage: Usage;
  /** Generate until end-of-turn, a stop string, the budget, or an abort. */
  generate(options?: SegmentOptions): Promise<Segment>;
  /** Append text (for instance a tool result) that the next generate() continues from. */
  append(text: string): void;
  /** Free the sample's slot in the engine; idempotent. */
  close(): Promise<void>;
}

export interface EngineInfo {
  /** Engine kind, for instance "llama.cpp" or "scripted". */
  kind: string;
  /** Model identifier shown to users (catalog id or file name). */
  model: string;
  /** Tokens one sample can hold (prompt plus generation). */
  contextSize: number;
  /** Samples the engine can run at once: the largest n of one open(). */
  maxParallel: number;
  /** The model's own chat template, when the engine knows it (the embedded engine reads the GGUF's). */
  chatTemplate?: {
    /** Jinja source (tokenizer.chat_template). */
    source: string;
    /** The vocabulary's control tokens: where the template writes them, they are special tokens. */
    specialTokens: readonly string[];
  };
}

export interface Engine {
  readonly info: EngineInfo;
  /** Evaluate the prompt once and open N samples on it. */
  open(request: OpenRequest): Promise<Sample[]>;
  /** Number of tokens the text takes (special tokens parsed). */
  countTokens(text: string): Promise<number>;
  /** Release the model and every resource. */
  close(): Promise<void>;
}
