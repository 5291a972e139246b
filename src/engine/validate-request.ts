/**
 * The one check of a generation request, made by every engine at open(): the same request is
 * accepted or refused, with the same message, whichever engine runs it. Each refusal is a
 * QmathError("bad_input") naming the field, the value given and the range allowed.
 */
import { QmathError } from "../errors.js";
import { MAX_TOP_LOGPROBS, promptText, type EngineInfo, type OpenRequest, type Prompt, type PromptPart } from "./types.js";

/** Highest seed: llama.cpp's samplers take a 32-bit seed, and sample i of a request uses seed + i. */
export const MAX_SEED = 2 ** 32 - 1;
/** Highest temperature (the OpenAI API's range, which qmath serve and most servers enforce). */
export const MAX_TEMPERATURE = 2;

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function refuse(field: string, value: unknown, allowed: string, hint?: string): never {
  throw new QmathError("bad_input", `${field} = ${show(value)} is not allowed: ${field} must be ${allowed}.`, hint);
}

function isPrompt(value: unknown): value is Prompt {
  if (typeof value === "string") return true;
  return (
    Array.isArray(value) &&
    value.every((p: unknown) => typeof p === "object" && p !== null && typeof (p as PromptPart).text === "string" && ["boolean", "undefined"].includes(typeof (p as PromptPart).special))
  );
}

function isWhole(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value);
}

/**
 * Throws QmathError("bad_input") unless the request is one the engine can open:
 * - prompt: a non-empty string, or parts ({ text, special? }) whose text is not empty;
 * - n: a whole number from 1 to info.maxParallel (samples live at once; more go in waves, see
 *   runWaves in generate.ts);
 * - maxTokens: a whole number of at least 1 (the context may end a sample earlier);
 * - temperature: a number from 0 (greedy) to 2; topP: above 0 and at most 1; topK: a whole
 *   number of at least 0 (0: off);
 * - seed: a whole number from 0 to 2^32 - 1 - (n - 1), so that every sample's seed + i fits;
 * - stop: an array of non-empty strings;
 * - minP: from 0 to 1; presencePenalty and frequencyPenalty: from -2 to 2 (OpenAI's range);
 *   repetitionPenalty: above 0 and at most 2; logitBias: whole token ids to biases from -100 to 100;
 * - responseFormat: { type: "json_object" } or { type: "json_schema", schema: an object };
 * - logprobs: a whole number from 0 to MAX_TOP_LOGPROBS (alternatives per token).
 */
export function validateOpenRequest(request: OpenRequest, info: Pick<EngineInfo, "maxParallel">): void {
  const { prompt, n, maxTokens, temperature, topP, topK, seed, stop, minP, presencePenalty, frequencyPenalty, repetitionPenalty, logitBias, responseFormat, logprobs } = request;
  if (!isPrompt(prompt) || promptText(prompt) === "") refuse("prompt", prompt, "a non-empty string, or parts { text, special? } with text");
  const max = info.maxParallel;
  if (n !== undefined) {
    if (!isWhole(n) || n < 1) refuse("n", n, `a whole number from 1 to ${max}`);
    if (n > max)
      refuse(
        "n",
        n,
        `a whole number from 1 to ${max} (the samples this engine runs at once)`,
        "Run more samples in waves (generateAll, solve and eval do), or create the engine with a larger maxParallel.",
      );
  }
  if (maxTokens !== undefined && (!isWhole(maxTokens) || maxTokens < 1)) refuse("maxTokens", maxTokens, "a whole number of at least 1");
  if (temperature !== undefined && !(typeof temperature === "number" && temperature >= 0 && temperature <= MAX_TEMPERATURE))
    refuse("temperature", temperature, `a number from 0 (greedy) to ${MAX_TEMPERATURE}`);
  if (topP !== undefined && !(typeof topP === "number" && topP > 0 && topP <= 1)) refuse("topP", topP, "a number above 0 and at most 1");
  if (topK !== undefined && (!isWhole(topK) || topK < 0)) refuse("topK", topK, "a whole number of at least 0 (0: no top-k)");
  if (seed !== undefined) {
    const highest = MAX_SEED - ((isWhole(n) ? n : 1) - 1);
    if (!isWhole(seed) || seed < 0 || seed > highest) refuse("seed", seed, `a whole number from 0 to ${highest}`);
  }
  if (stop !== undefined) {
    if (!Array.isArray(stop)) refuse("stop", stop, "an array of strings");
    for (const s of stop) if (typeof s !== "string" || s === "") refuse("stop", stop, "an array of non-empty strings");
  }
  const within = (v: unknown, low: number, high: number) => typeof v === "number" && v >= low && v <= high;
  if (minP !== undefined && !within(minP, 0, 1)) refuse("minP", minP, "a number from 0 to 1");
  if (presencePenalty !== undefined && !within(presencePenalty, -2, 2)) refuse("presencePenalty", presencePenalty, "a number from -2 to 2");
  if (frequencyPenalty !== undefined && !within(frequencyPenalty, -2, 2)) refuse("frequencyPenalty", frequencyPenalty, "a number from -2 to 2");
  if (repetitionPenalty !== undefined && !(within(repetitionPenalty, 0, 2) && repetitionPenalty > 0))
    refuse("repetitionPenalty", repetitionPenalty, "a number above 0 and at most 2 (1: off)");
  if (logitBias !== undefined) {
    if (typeof logitBias !== "object" || logitBias === null) refuse("logitBias", logitBias, "an object of token ids to biases");
    for (const [token, bias] of Object.entries(logitBias))
      if (!/^\d+$/.test(token) || !within(bias, -100, 100)) refuse("logitBias", logitBias, "an object of whole token ids to biases from -100 to 100");
  }
  if (responseFormat !== undefined) {
    const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
    const f = responseFormat as { type?: unknown; schema?: unknown };
    if (!isObject(f) || !(f.type === "json_object" || (f.type === "json_schema" && isObject(f.schema))))
      refuse("responseFormat", responseFormat, '{ type: "json_object" } or { type: "json_schema", schema: a JSON schema object }');
  }
  if (logprobs !== undefined && (!isWhole(logprobs) || logprobs < 0 || logprobs > MAX_TOP_LOGPROBS))
    refuse("logprobs", logprobs, `a whole number from 0 to ${MAX_TOP_LOGPROBS} (alternatives per token)`);
}

/**
 * The engine's maxParallel option (default `fallback`): a whole number from 1 to `limit`.
 * Checked when an engine is created, so that a request for too many samples at once fails
 * before any model is loaded.
 */
export function validateMaxParallel(value: number | undefined, fallback: number, limit = Infinity, why = ""): number {
  const v = value ?? fallback;
  if (!isWhole(v) || v < 1 || v > limit)
    refuse("maxParallel", v, `a whole number from 1 to ${limit}${why}`, "Run more samples in waves of at most that many.");
  return v;
}
