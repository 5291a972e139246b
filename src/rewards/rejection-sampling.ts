/**
 * Rejection sampling for fine-tuning data (the library behind `qmath sample`): N samples per
 * problem, keep those whose final answer is equivalent to the reference, rank them, keep the
 * best k, and write them as chat conversations ({"messages": [system, user, assistant]}).
 *
 * Kept: samples that finished on their own (a sample cut off by the token budget is not a
 * training example even when its answer matches) and whose answer is equivalent to the
 * reference; a text identical to one already kept for the problem is dropped.
 * Ranked: by the reward model's score when a scorer is given; else by the rule reward
 * (1 + the format bonus when one is configured, so with the default bonus of 0 every kept
 * sample ties); ties go to the shorter text, then to the earlier sample.
 */
import { equivalent } from "../answers/equivalent.js";
import { answerStyleOf } from "../datasets/registry.js";
import type { Engine } from "../engine/types.js";
import { QmathError } from "../errors.js";
import type { ChatMessage } from "../prompts/chatml.js";
import { problemMessages } from "../prompts/formats.js";
import type { RewardScorer } from "../select/reward.js";
import type { RunOptions } from "../solve/options.js";
import { resolveRunPlan } from "../solve/plan.js";
import { solve } from "../solve/solve.js";
import { ruleReward } from "./rule.js";

export interface SampleProblem {
  id?: string;
  question: string;
  reference: string;
  /** The benchmark set (answer extraction follows its format). */
  dataset?: string;
}

export interface TrainingExample {
  messages: ChatMessage[];
}

export interface SampledProblem {
  id: string;
  question: string;
  reference: string;
  /** Samples drawn. */
  samples: number;
  /** Samples with an answer equivalent to the reference (finished, distinct). */
  correct: number;
  /** The kept conversations, best first (at most k). */
  kept: TrainingExample[];
  /** The ranking score of each kept conversation. */
  scores: number[];
  /** Sample indexes of the kept conversations. */
  indexes: number[];
}

/** The run's options (solve's groups; every sample is kept or not on its own, so no selection). */
export interface RejectionSampleOptions extends Omit<RunOptions, "n" | "selection"> {
  /** Samples per problem. */
  n: number;
  /** Conversations kept per problem (at most). */
  k: number;
  /** Rank by this reward model; none: by the rule reward, shorter first. */
  scorer?: RewardScorer;
  /** Format bonus of the rule-reward ranking (exactly one \boxed{}); default 0. */
  format?: number;
  /** Called after each problem, in order. */
  onProblem?: (result: SampledProblem, index: number) => void | Promise<void>;
  signal?: AbortSignal;
}

function checkCount(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new QmathError("bad_input", `${name} must be a whole number of at least 1, not ${v}.`);
}

/** Draws N samples per problem on an engine (left open) and keeps the best k correct ones. */
export async function rejectionSample(engine: Engine, problems: readonly SampleProblem[], options: RejectionSampleOptions): Promise<SampledProblem[]> {
  checkCount("n", options.n);
  checkCount("k", options.k);
  if (options.promptFormat === "few-shot") throw new QmathError("bad_input", "Rejection sampling writes chat conversations: the few-shot prompt format has none.", "Use a chat prompt format.");
  const plan = resolveRunPlan({ ...options, selection: { method: "first" } }, { model: engine.info.model });
  // A base model's own format is few-shot; its training data is still written as a chat.
  const format = plan.promptFormat === "few-shot" ? "qwen25-math-cot" : plan.promptFormat;
  const { scorer: _s, onProblem: _o, format: _f, k: _k, ...runOptions } = options;
  const out: SampledProblem[] = [];
  for (let p = 0; p < problems.length; p++) {
    const problem = problems[p]!;
    const result = await solve(engine, problem.question, { ...runOptions, promptFormat: format, selection: { method: "first" }, answerStyle: answerStyleOf(problem.dataset) });
    const seen = new Set<string>();
    const correct = result.samples.filter((s) => {
      if (s.finishReason !== "stop" && s.finishReason !== "eos") return false;
      if (s.answer === null || !equivalent(s.answer, problem.reference).equivalent) return false;
      if (seen.has(s.text)) return false;
      seen.add(s.text);
      return true;
    });
    const scores = options.scorer
      ? await options.scorer.score(correct.map((s) => ({ problem: result.problem, response: s.text })))
      : correct.map((s) => ruleReward(s.text, problem.reference, { format: options.format, answerStyle: answerStyleOf(problem.dataset) }).rule);
    const ranked = correct
      .map((s, i) => ({ s, score: scores[i]! }))
      .sort((a, b) => {
        const sa = Number.isNaN(a.score) ? -Infinity : a.score;
        const sb = Number.isNaN(b.score) ? -Infinity : b.score;
        return sb - sa || a.s.text.length - b.s.text.length || a.s.index - b.s.index;
      })
      .slice(0, options.k);
    const messages = problemMessages(format, result.problem);
    const sampled: SampledProblem = {
      id: problem.id ?? String(p),
      question: problem.question,
      reference: problem.reference,
      samples: result.samples.length,
      correct: correct.length,
      kept: ranked.map((r) => ({ messages: [...messages, { role: "assistant", content: r.s.text }] })),
      scores: ranked.map((r) => r.score),
      indexes: ranked.map((r) => r.s.index),
    };
    out.push(sampled);
    await options.onProblem?.(sampled, p);
  }
  return out;
}
