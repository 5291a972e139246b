/**
 * solve(): one problem through the pipeline — prompt, generate, extract, select.
 */
import type { EquivalenceOptions } from "../answers/equivalent.js";
import { extractAnswer, type AnswerStyle } from "../answers/extract.js";
import { runWaves, type GeneratedSample } from "../engine/generate.js";
import type { Engine, Sample } from "../engine/types.js";
import { QmathError } from "../errors.js";
import type { Shot } from "../prompts/fewshot.js";
import { buildProblemPrompt, type PromptFormat } from "../prompts/formats.js";
import { createSandbox, type Sandbox } from "../sandbox/index.js";
import { AnswerClusters, majorityVote, voteDecided, type AnswerCluster } from "../select/majority.js";
import { rewardSelect, type RewardScorer } from "../select/reward.js";
import { runTir, type TirCell } from "../tir/loop.js";
import type { RunOptions, SelectMethod, SolveCallbacks, SolveMode } from "./options.js";
import { planSampling, resolveRunPlan, type RunPlan } from "./plan.js";

export interface SolveOptions extends RunOptions {
  /** How the problem's answers are stated (a benchmark set's answerStyle): extraction follows it (multiple choice, GSM8K). Default "math". */
  answerStyle?: AnswerStyle;
  /** Worked examples for the few-shot prompt format (default: a general set). */
  shots?: readonly Shot[];
  callbacks?: SolveCallbacks;
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
  timings: { promptMs: number; generateMs: number; totalMs: number; tokensPerSecond: number };
  /** What ran: the plan resolved from the options. */
  plan: RunPlan;
}

/** One CoT sample: a single segment. */
async function solveCotSample(sample: Sample, index: number, options: SolveOptions): Promise<SolvedSample> {
  const onText = options.callbacks?.onText;
  const segment = await sample.generate({ onText: onText && ((d) => onText(index, d)) });
  const answer = extractAnswer(sample.text, { answerStyle: options.answerStyle });
  const solved: SolvedSample = { index, text: sample.text, finishReason: segment.finishReason, usage: sample.usage, answer };
  if (segment.stop !== undefined) solved.stop = segment.stop;
  return solved;
}

/**
 * The selected sample: the first, the majority answer's first sample, or the highest reward.
 * The vote is majorityVote() over the answers in sample-index order (the rule maj@k uses), so
 * it does not depend on which sample finished first; samples stopped early do not vote.
 */
async function selectAnswer(
  problem: string,
  samples: SolvedSample[],
  select: SelectMethod,
  scorer: RewardScorer | undefined,
  equivalence: EquivalenceOptions | undefined,
): Promise<{ selected: number; vote?: AnswerCluster[]; scores?: number[] }> {
  if (select === "first") return { selected: 0 };
  if (select === "rm" || select === "prm") {
    const scores = await scorer!.score(samples.map((s) => ({ problem, response: s.text })));
    return { selected: rewardSelect(scores) ?? 0, scores };
  }
  const vote = majorityVote(samples.map((s) => (s.finishReason === "abort" ? null : s.answer)), equivalence);
  return { selected: vote.winner ?? 0, vote: vote.clusters };
}

/** One TIR sample, on its own sandbox interpreter. */
async function solveTirSample(sample: Sample, index: number, sandbox: Sandbox, maxCalls: number, options: SolveOptions): Promise<SolvedSample> {
  const session = await sandbox.session();
  const { onText, onCell } = options.callbacks ?? {};
  try {
    const t = await runTir(sample, session, {
      maxCalls,
      signal: options.signal,
      onText: onText && ((d) => onText(index, d)),
      onCell: onCell && ((c) => onCell(index, c)),
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

/**
 * Solves one problem on an engine (left open): N samples (CoT, or TIR on the sandbox given in
 * options.tir or one created for this call), each sample's answer extracted, one selected.
 */
export async function solve(engine: Engine, problem: string, options: SolveOptions = {}): Promise<SolveResult> {
  const started = performance.now();
  if (!problem.trim()) throw new QmathError("bad_input", "The problem is empty.", "Give the problem text.");
  const plan = resolveRunPlan(options, { model: engine.info.model });
  const { n, mode } = plan;
  const select = plan.selection.method;
  const { prompt } = buildProblemPrompt(plan.promptFormat, problem, options.shots);
  const sandbox = plan.tir ? (options.tir?.sandbox ?? (await createSandbox({ spares: plan.sandboxSpares, ...options.tir?.sandboxOptions }))) : undefined;
  const ownSandbox = sandbox !== undefined && !options.tir?.sandbox;
  try {
    // Early stopping aborts the samples still running once the vote is decided.
    const stopper = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stopper.signal]) : stopper.signal;
    // The tally in finish order, only to see when the vote is decided; the vote itself is taken below.
    const tally = new AnswerClusters(options.selection?.equivalence);
    let finished = 0;
    const box = sandbox;
    const maxCalls = plan.tir?.maxCalls ?? 0;
    const request = { prompt, stop: plan.stop, n, ...planSampling(plan), signal };
    const samples = await runWaves(engine, request, async (sample, index) => {
      const solved = box ? await solveTirSample(sample, index, box, maxCalls, { ...options, signal }) : await solveCotSample(sample, index, options);
      if (solved.finishReason !== "abort") {
        finished++;
        tally.add(index, solved.answer);
        if (plan.selection.earlyStop && voteDecided(tally.ranked(), n - finished)) stopper.abort();
      }
      return solved;
    });
    if (options.signal?.aborted) throw new QmathError("aborted", "Solving was interrupted.");
    const choice = await selectAnswer(problem, samples, select, options.selection?.rewardScorer, options.selection?.equivalence);
    const selected = choice.selected;
    const completionTokens = samples.reduce((a, s) => a + s.usage.completionTokens, 0);
    const generateMs = Math.max(...samples.map((s) => s.usage.generateMs));
    return {
      problem: problem.trim(),
      model: engine.info.model,
      mode,
      promptFormat: plan.promptFormat,
      answer: samples[selected]!.answer,
      text: samples[selected]!.text,
      selected,
      select,
      ...(choice.vote && { vote: choice.vote.map((c) => ({ answer: c.answer, size: c.members.length, members: c.members })) }),
      ...(choice.scores && { scores: choice.scores }),
      ...(plan.selection.earlyStop && { earlyStop: { samplesRun: finished, samplesSaved: n - finished } }),
      samples,
      usage: {
        promptTokens: samples[0]!.usage.promptTokens,
        promptTokensEvaluated: samples.reduce((a, s) => a + s.usage.promptTokensEvaluated, 0),
        completionTokens,
      },
      timings: {
        promptMs: samples[0]!.usage.promptMs,
        generateMs,
        totalMs: performance.now() - started,
        tokensPerSecond: generateMs > 0 ? (completionTokens * 1000) / generateMs : 0,
      },
      plan,
    };
  } finally {
    if (ownSandbox) await sandbox.close();
  }
}
