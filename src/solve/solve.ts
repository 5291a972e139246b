/**
 * solve(): one problem through the pipeline — prompt, generate, extract, select.
 */
import { extractAnswer, type AnswerStyle } from "../answers/extract.js";
import type { EquivalenceOptions } from "../answers/equivalent.js";
import { createEngine, type EngineSetup } from "../engine/create.js";
import { runWaves, type GeneratedSample } from "../engine/generate.js";
import type { Engine, OpenRequest, Sample, SamplingOptions } from "../engine/types.js";
import { QmathError } from "../errors.js";
import type { Shot } from "../prompts/fewshot.js";
import { buildProblemPrompt, TIR_CODE_STOP, type PromptFormat } from "../prompts/formats.js";
import { createSandbox, type Sandbox, type SandboxOptions } from "../sandbox/index.js";
import { AnswerClusters, voteDecided, type AnswerCluster } from "../select/majority.js";
import { rewardSelect, type RewardScorer } from "../select/reward.js";
import { runTir, type TirCell } from "../tir/loop.js";

/**
 * How the answer of N samples is chosen: majority vote, an outcome reward model (rm) or a
 * process reward model (prm) through the reward scorer, or the first sample.
 */
export type SelectMethod = "maj" | "rm" | "prm" | "first";
export const SELECT_METHODS: readonly SelectMethod[] = ["maj", "rm", "prm", "first"];

/** Sampling for N > 1 when no temperature is given: the setting of the reports' Maj@N / RM@N. */
export const BEST_OF_N_SAMPLING = { temperature: 0.7, topP: 0.8 } as const;

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
  /** How to choose among N samples (default "maj"). */
  select?: SelectMethod;
  /** The reward scorer for select "rm". */
  rewardScorer?: RewardScorer;
  /** Voting: stop sampling once the leading answer cannot be overtaken by the samples still to come. */
  earlyStop?: boolean;
  /** How answers are compared when voting. */
  equivalence?: EquivalenceOptions;
  /** How the problem's answers are stated (a benchmark set's answerStyle): extraction follows it (multiple choice, GSM8K). Default "math". */
  answerStyle?: AnswerStyle;
  /** Worked examples for the few-shot prompt format (default: a general set). */
  shots?: readonly Shot[];
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
  select: SelectMethod;
  /** Maj: the answer clusters, largest first, with the sample indexes in each. */
  vote?: { answer: string; size: number; members: number[] }[];
  /** RM: each sample's reward score. */
  scores?: number[];
  /** Early stopping: samples that ran to the end, and samples not needed. */
  earlyStop?: { samplesRun: number; samplesSaved: number };
  samples: SolvedSample[];
  usage: { promptTokens: number; promptTokensEvaluated: number; completionTokens: number };
  timings: { loadMs: number; promptMs: number; generateMs: number; totalMs: number; tokensPerSecond: number };
}

/** One CoT sample: a single segment. */
async function solveCotSample(sample: Sample, index: number, options: SolveOptions): Promise<SolvedSample> {
  const onText = options.onText;
  const segment = await sample.generate({ onText: onText && ((d) => onText(index, d)) });
  const answer = extractAnswer(sample.text, { answerStyle: options.answerStyle });
  const solved: SolvedSample = { index, text: sample.text, finishReason: segment.finishReason, usage: sample.usage, answer };
  if (segment.stop !== undefined) solved.stop = segment.stop;
  return solved;
}

/** The selected sample: the first, the majority answer's first sample, or the highest reward. */
async function selectAnswer(
  problem: string,
  samples: SolvedSample[],
  clusters: AnswerClusters,
  select: SelectMethod,
  scorer: RewardScorer | undefined,
): Promise<{ selected: number; vote?: AnswerCluster[]; scores?: number[] }> {
  if (select === "first") return { selected: 0 };
  if (select === "rm" || select === "prm") {
    const scores = await scorer!.score(samples.map((s) => ({ problem, response: s.text })));
    return { selected: rewardSelect(scores) ?? 0, scores };
  }
  const vote = clusters.ranked();
  return { selected: vote[0]?.members[0] ?? 0, vote };
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
      answer: extractAnswer(t.text, { answerStyle: options.answerStyle }),
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
  const select = options.select ?? "maj";
  if (!SELECT_METHODS.includes(select)) throw new QmathError("bad_input", `Unknown selection '${String(select)}'.`, `Use one of ${SELECT_METHODS.join(", ")}.`);
  if ((select === "rm" || select === "prm") && !options.rewardScorer)
    throw new QmathError("bad_input", "Selection by reward model needs a reward scorer.", "Pass rewardScorer (a function scorer, or a reward model server), or use select 'maj'.");
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
    const { prompt, stop } = buildProblemPrompt(format, problem, options.shots);
    if (mode === "tir" && !stop.includes(TIR_CODE_STOP)) stop.push(TIR_CODE_STOP);
    // N samples of greedy decoding would all be the same: sample as the Qwen2.5-Math reports do
    // for best-of-N (temperature 0.7, top-p 0.8) unless told otherwise.
    const sampled = n > 1 && options.temperature === undefined;
    const request: OpenRequest = {
      prompt,
      stop,
      n,
      maxTokens: options.maxTokens,
      temperature: sampled ? BEST_OF_N_SAMPLING.temperature : options.temperature,
      topP: options.topP ?? (sampled ? BEST_OF_N_SAMPLING.topP : undefined),
      topK: options.topK,
      seed: options.seed,
      signal: options.signal,
    };
    // Early stopping aborts the samples still running once the vote is decided.
    const stopper = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stopper.signal]) : stopper.signal;
    const clusters = new AnswerClusters(options.equivalence);
    let finished = 0;
    const box = sandbox;
    const samples = await runWaves(engine, { ...request, signal }, async (sample, index) => {
      const solved = box ? await solveTirSample(sample, index, box, { ...options, signal }) : await solveCotSample(sample, index, options);
      if (solved.finishReason !== "abort") {
        finished++;
        clusters.add(index, solved.answer);
        if (options.earlyStop && select === "maj" && voteDecided(clusters.ranked(), n - finished)) stopper.abort();
      }
      return solved;
    });
    if (options.signal?.aborted) throw new QmathError("aborted", "Solving was interrupted.");
    const choice = await selectAnswer(problem, samples, clusters, select, options.rewardScorer);
    const selected = choice.selected;
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
      select,
      ...(choice.vote && { vote: choice.vote.map((c) => ({ answer: c.answer, size: c.members.length, members: c.members })) }),
      ...(choice.scores && { scores: choice.scores }),
      ...(options.earlyStop && { earlyStop: { samplesRun: finished, samplesSaved: n - finished } }),
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
