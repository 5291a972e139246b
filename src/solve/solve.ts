/**
 * solve(): one problem through the pipeline — prompt, generate, extract, select.
 */
import { extractAnswer } from "../answers/extract.js";
import { createEngine, type EngineSetup } from "../engine/create.js";
import { generateAll, runWaves, type GeneratedSample } from "../engine/generate.js";
import type { Engine, OpenRequest, Sample, SamplingOptions } from "../engine/types.js";
import { QmathError } from "../errors.js";
import { buildProblemPrompt, TIR_CODE_STOP, type PromptFormat } from "../prompts/formats.js";
import { createSandbox, type Sandbox, type SandboxOptions } from "../sandbox/index.js";
import { runTir, type TirCell } from "../tir/loop.js";

/** cot: chain of thought; tir: tool-integrated reasoning (the model's Python runs in the sandbox). */
export type SolveMode = "cot" | "tir";
export const SOLVE_MODES: readonly SolveMode[] = ["cot", "tir"];

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
  /** Streamed text, by sample index (in TIR, the output blocks too). */
  onText?: (sampleIndex: number, delta: string) => void;
  /** TIR: each executed cell, by sample index. */
  onCell?: (sampleIndex: number, cell: TirCell) => void;
  /** TIR: use this sandbox instead of creating one (it is left open). */
  sandbox?: Sandbox;
  /** TIR: options of the sandbox solve() creates (isolation, python, cell time limit, ...). */
  sandboxOptions?: SandboxOptions;
  /** TIR: code executions allowed per sample (default 4). */
  maxCalls?: number;
  signal?: AbortSignal;
}

export interface SolvedSample extends GeneratedSample {
  /** Final answer extracted from this sample, or null. */
  answer: string | null;
  /** TIR: the cells that ran, with their outputs. */
  cells?: TirCell[];
  /** TIR: whether the call limit was reached. */
  callLimitReached?: boolean;
  /** TIR: milliseconds spent running code. */
  executeMs?: number;
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

/** One TIR sample, on its own sandbox interpreter. */
async function solveTirSample(sample: Sample, index: number, sandbox: Sandbox, options: SolveOptions): Promise<SolvedSample> {
  const session = await sandbox.session();
  try {
    const t = await runTir(sample, session, {
      maxCalls: options.maxCalls,
      signal: options.signal,
      onText: options.onText && ((d) => options.onText!(index, d)),
      onCell: options.onCell && ((c) => options.onCell!(index, c)),
    });
    return {
      index,
      text: t.text,
      finishReason: t.finishReason,
      usage: sample.usage,
      answer: extractAnswer(t.text),
      cells: t.cells,
      callLimitReached: t.callLimitReached,
      executeMs: t.timings.executeMs,
    };
  } finally {
    await session.close();
  }
}

export async function solve(problem: string, options: SolveOptions = {}): Promise<SolveResult> {
  const started = performance.now();
  if (!problem.trim()) throw new QmathError("bad_input", "The problem is empty.", "Give the problem text.");
  const n = options.n ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new QmathError("bad_input", `The number of samples must be a positive whole number, not ${n}.`);
  const mode = options.mode ?? "cot";
  if (!SOLVE_MODES.includes(mode)) throw new QmathError("bad_input", `Unknown mode '${String(mode)}'.`, `Use one of ${SOLVE_MODES.join(", ")}.`);
  // TIR: start the sandbox first, so a machine without one fails before a model is loaded.
  const sandbox = mode === "tir" ? (options.sandbox ?? (await createSandbox({ spares: Math.min(n, 8), ...options.sandboxOptions }))) : undefined;
  const ownSandbox = sandbox !== undefined && !options.sandbox;
  let engine = options.engine;
  let modelName = engine?.info.model ?? "";
  let format = options.promptFormat;
  let loadMs = 0;
  if (!engine) {
    const created = await createEngine({ ...options, maxParallel: options.maxParallel ?? n }).catch(async (e: unknown) => {
      if (ownSandbox) await sandbox.close();
      throw e;
    });
    engine = created.engine;
    modelName = created.model.name;
    format ??= created.model.promptFormat;
    loadMs = created.loadMs;
  }
  if (mode === "tir" && options.promptFormat === undefined) format = "qwen25-math-tir";
  format ??= "qwen25-math-cot";
  try {
    const { prompt, stop } = buildProblemPrompt(format, problem);
    if (mode === "tir" && !stop.includes(TIR_CODE_STOP)) stop.push(TIR_CODE_STOP);
    const request: OpenRequest = {
      prompt,
      stop,
      n,
      maxTokens: options.maxTokens,
      temperature: options.temperature,
      topP: options.topP,
      topK: options.topK,
      seed: options.seed,
      signal: options.signal,
    };
    const box = sandbox;
    const samples: SolvedSample[] = box
      ? await runWaves(engine, request, (sample, index) => solveTirSample(sample, index, box, options))
      : (await generateAll(engine, { ...request, onText: options.onText })).map((g) => ({ ...g, answer: extractAnswer(g.text) }));
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
    if (ownSandbox) await sandbox.close();
    if (!options.engine) await engine.close();
  }
}
