/**
 * solve(): one problem through the pipeline — prompt, generate, extract, select.
 */
import { extractAnswer } from "../answers/extract.js";
import { createEngine, type EngineSetup } from "../engine/create.js";
import { generateAll, type GeneratedSample } from "../engine/generate.js";
import type { Engine, SamplingOptions } from "../engine/types.js";
import { QmathError } from "../errors.js";
import { buildProblemPrompt, type PromptFormat } from "../prompts/formats.js";

export type SolveMode = "cot";

export interface SolveOptions extends SamplingOptions, EngineSetup {
  /** Use this engine instead of creating one (it is left open). */
  engine?: Engine;
  mode?: SolveMode;
  /** Number of samples (default 1). */
  n?: number;
  /** Token budget per sample (default: what the context leaves). */
  maxTokens?: number;
  /** Prompt format (default: the model's own). */
  promptFormat?: PromptFormat;
  /** Streamed text, by sample index. */
  onText?: (sampleIndex: number, delta: string) => void;
  signal?: AbortSignal;
}

export interface SolvedSample extends GeneratedSample {
  /** Final answer extracted from this sample, or null. */
  answer: string | null;
}

export interface SolveResult {
  problem: string;
  model: string;
  mode: SolveMode;
  promptFormat: PromptFormat;
  /** The selected final answer (null when no sample gave one). */
  answer: string | null;
  /** The text of the selected sample. */
  text: string;
  /** Index of the selected sample. */
  selected: number;
  samples: SolvedSample[];
  usage: { promptTokens: number; promptTokensEvaluated: number; completionTokens: number };
  timings: { loadMs: number; promptMs: number; generateMs: number; totalMs: number; tokensPerSecond: number };
}

/**
 * Picks the sample whose answer is most common (ties: the earliest sample). Answers are
 * compared as written; equivalence-aware voting replaces this in select/.
 */
function selectSample(samples: SolvedSample[]): number {
  const counts = new Map<string, number>();
  for (const s of samples) if (s.answer !== null) counts.set(s.answer, (counts.get(s.answer) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const s of samples) {
    const c = s.answer === null ? 0 : counts.get(s.answer)!;
    if (c > bestCount) {
      best = s.index;
      bestCount = c;
    }
  }
  return best;
}

export async function solve(problem: string, options: SolveOptions = {}): Promise<SolveResult> {
  const started = performance.now();
  const n = options.n ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new QmathError("bad_input", `The number of samples must be a positive whole number, not ${n}.`);
  const mode = options.mode ?? "cot";
  let engine = options.engine;
  let modelName = engine?.info.model ?? "";
  let format = options.promptFormat;
  let loadMs = 0;
  if (!engine) {
    const created = await createEngine({ ...options, maxParallel: options.maxParallel ?? n });
    engine = created.engine;
    modelName = created.model.name;
    format ??= created.model.promptFormat;
    loadMs = created.loadMs;
  }
  format ??= "qwen25-math-cot";
  try {
    const { prompt, stop } = buildProblemPrompt(format, problem);
    const generated = await generateAll(engine, {
      prompt,
      stop,
      n,
      maxTokens: options.maxTokens,
      temperature: options.temperature,
      topP: options.topP,
      topK: options.topK,
      seed: options.seed,
      signal: options.signal,
      onText: options.onText,
    });
    const samples: SolvedSample[] = generated.map((g) => ({ ...g, answer: extractAnswer(g.text) }));
    const selected = selectSample(samples);
    const completionTokens = samples.reduce((a, s) => a + s.usage.completionTokens, 0);
    const generateMs = Math.max(...samples.map((s) => s.usage.generateMs));
    return {
      problem: problem.trim(),
      model: modelName,
      mode,
      promptFormat: format,
      answer: samples[selected]!.answer,
      text: samples[selected]!.text,
      selected,
      samples,
      usage: {
        promptTokens: samples[0]!.usage.promptTokens,
        promptTokensEvaluated: samples.reduce((a, s) => a + s.usage.promptTokensEvaluated, 0),
        completionTokens,
      },
      timings: {
        loadMs,
        promptMs: samples[0]!.usage.promptMs,
        generateMs,
        totalMs: performance.now() - started,
        tokensPerSecond: generateMs > 0 ? (completionTokens * 1000) / generateMs : 0,
      },
    };
  } finally {
    if (!options.engine) await engine.close();
  }
}
