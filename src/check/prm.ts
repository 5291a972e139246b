/**
 * --rm-url: the process reward model's score beside each step's verdict. Qwen2.5-Math-PRM-7B
 * scores the solution's paragraphs (its steps are split on blank lines, as it was trained); each
 * checked step gets the score of the paragraph it is in. The scores are the model's estimate,
 * shown next to the exact verdicts, never mixed into them.
 */
import type { ProcessRewardModel } from "../rewards/clients/process-rm.js";
import type { CheckInput, CheckResult } from "./check.js";

export interface PrmScores {
  /** The reward model that scored. */
  model: string;
  /** One probability per paragraph of the solution (blank-line separated, empty ones dropped), in order. */
  paragraphs: { start: number; end: number; score: number }[];
  /** For each step of the check, the score of its paragraph (null when it is in none). */
  steps: (number | null)[];
}

/** The paragraphs the process reward model sees, with their offsets: split on "\n\n", trimmed, empty ones dropped. */
export function paragraphs(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let from = 0;
  while (from <= text.length) {
    const cut = text.indexOf("\n\n", from);
    const to = cut < 0 ? text.length : cut;
    let a = from;
    let b = to;
    while (a < b && /\s/.test(text[a]!)) a++;
    while (b > a && /\s/.test(text[b - 1]!)) b--;
    if (b > a) out.push({ start: a, end: b });
    if (cut < 0) break;
    from = cut + 2;
  }
  return out;
}

export async function prmScores(prm: ProcessRewardModel, input: CheckInput, result: CheckResult): Promise<PrmScores> {
  const parts = paragraphs(input.solution);
  const scores = await prm.scoreSteps(input.problem, input.solution);
  // the client splits the same way; a different count would mean another split, so no step is matched
  const matched = scores.length === parts.length;
  const withScores = matched ? parts.map((p, k) => ({ ...p, score: scores[k]! })) : [];
  const steps = result.steps.map((s) => withScores.find((p) => s.start >= p.start && s.start < p.end)?.score ?? null);
  return { model: prm.model, paragraphs: withScores, steps };
}
