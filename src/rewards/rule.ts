/**
 * The rule reward for RL on math: 1 when the response's final answer is equivalent to the
 * reference, else 0; plus two optional terms.
 *
 * - format: +f when the response has exactly one \boxed{...} (default f = 0: off).
 * - length: a penalty for going past a budget. With budget B, window W (default B) and
 *   penalty p, a response of length L > B gets -p * min(1, (L - B) / W): nothing up to B,
 *   falling linearly to -p at B + W, and -p beyond. Length is counted in characters, or in
 *   tokens with `unit: "tokens"` (by `countTokens`, default ceil(characters / 4)).
 *
 * rule = correct + format term + length term.
 */
import { equivalent, type EquivalenceOptions } from "../answers/equivalent.js";
import { extractAnswer, type AnswerStyle } from "../answers/extract.js";
import { QmathError } from "../errors.js";

export interface LengthPenalty {
  /** Length allowed without penalty. */
  budget: number;
  /** The largest penalty (subtracted), reached at budget + window. */
  penalty: number;
  /** How far past the budget the penalty takes to reach its largest value (default: budget). */
  window?: number;
  /** "chars" (default) or "tokens". */
  unit?: "chars" | "tokens";
}

export interface RuleRewardOptions {
  /** Bonus for exactly one \boxed{} (default 0). */
  format?: number;
  length?: LengthPenalty;
  /** Token counter for unit "tokens" (default ceil(characters / 4)). */
  countTokens?: (text: string) => number;
  /** How answers are stated (a benchmark set's answerStyle): extraction follows it (multiple choice, GSM8K). */
  answerStyle?: AnswerStyle;
  equivalence?: EquivalenceOptions;
}

export interface RuleReward {
  /** correct + format + length. */
  rule: number;
  correct: boolean;
  /** The extracted final answer, or null. */
  answer: string | null;
  format: number;
  length: number;
}

const approxTokens = (text: string): number => Math.ceil(text.length / 4);

/** Occurrences of \boxed{ in text. */
export function countBoxed(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\\boxed{"); i >= 0; i = text.indexOf("\\boxed{", i + 7)) n++;
  return n;
}

export function checkRuleOptions(options: RuleRewardOptions): void {
  if (options.format !== undefined && !Number.isFinite(options.format)) throw new QmathError("bad_input", `The format reward must be a number, not ${options.format}.`);
  const l = options.length;
  if (l) {
    if (!(Number.isFinite(l.budget) && l.budget > 0)) throw new QmathError("bad_input", `The length budget must be above 0, not ${l.budget}.`);
    if (!(Number.isFinite(l.penalty) && l.penalty >= 0)) throw new QmathError("bad_input", `The length penalty must be at least 0, not ${l.penalty}.`);
    if (l.window !== undefined && !(Number.isFinite(l.window) && l.window > 0)) throw new QmathError("bad_input", `The length window must be above 0, not ${l.window}.`);
    if (l.unit !== undefined && l.unit !== "chars" && l.unit !== "tokens") throw new QmathError("bad_input", `The length unit must be chars or tokens, not '${String(l.unit)}'.`);
  }
}

/** The length term (0 or negative). */
export function lengthTerm(response: string, l: LengthPenalty, countTokens: (text: string) => number = approxTokens): number {
  const size = l.unit === "tokens" ? countTokens(response) : response.length;
  if (size <= l.budget || l.penalty === 0) return 0;
  return -l.penalty * Math.min(1, (size - l.budget) / (l.window ?? l.budget));
}

export function ruleReward(response: string, reference: string, options: RuleRewardOptions = {}): RuleReward {
  const answer = extractAnswer(response, { answerStyle: options.answerStyle });
  const correct = answer !== null && equivalent(answer, reference, options.equivalence).equivalent;
  const format = options.format ? (countBoxed(response) === 1 ? options.format : 0) : 0;
  const length = options.length ? lengthTerm(response, options.length, options.countTokens) : 0;
  return { rule: (correct ? 1 : 0) + format + length, correct, answer, format, length };
}
