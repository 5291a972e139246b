/**
 * The reference-free final check with a model: when there is no reference and the problem
 * states no equation to substitute into, N samples of the model solve the problem and the
 * final answer is compared with their majority answer. The verdict says so: it is the
 * model's opinion by vote, not an exact check.
 */
import { equivalent } from "../answers/equivalent.js";
import type { Engine } from "../engine/types.js";
import type { SamplingSettings } from "../solve/options.js";
import { solve } from "../solve/solve.js";
import type { CheckInput, CheckResult, FinalAnswerCheck } from "./check.js";
import { m } from "./latex.js";

export interface VoteOptions {
  /** Samples (default 8). */
  n?: number;
  /** How they are sampled (default: solve's for N > 1, temperature 0.7 and top-p 0.8). */
  sampling?: SamplingSettings;
  signal?: AbortSignal;
}

/**
 * The result with its final answer judged against the model's majority answer, when the check
 * itself could not judge it (no reference, no equation to substitute into). Otherwise the result
 * is returned as it is, and the engine is not used.
 */
export async function finalByModelVote(engine: Engine, input: CheckInput, result: CheckResult, options: VoteOptions = {}): Promise<CheckResult> {
  const f = result.finalAnswer;
  if (f.method !== "none" || f.answer === null) return result;
  const n = options.n ?? 8;
  const solved = await solve(engine, input.problem, { n, sampling: options.sampling, selection: { method: "maj" }, signal: options.signal });
  const top = solved.vote?.[0];
  const model = solved.model;
  let finalAnswer: FinalAnswerCheck;
  if (solved.answer === null || !top) {
    finalAnswer = { ...f, method: "model-vote", reason: `none of ${n} samples of ${model} gave an answer to compare with` };
  } else {
    const agree = `${top.size} of ${n} samples of ${model} agree on ${m(solved.answer)}`;
    const same = equivalent(f.answer, solved.answer);
    finalAnswer = same.equivalent
      ? { answer: f.answer, verdict: "correct", method: "model-vote", reason: `the model's majority answer: ${agree} (a vote, not an exact check)` }
      : { answer: f.answer, verdict: "incorrect", method: "model-vote", reason: `the model's majority answer differs: ${agree} (a vote, not an exact check)` };
  }
  return { ...result, finalAnswer };
}
