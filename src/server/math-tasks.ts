/**
 * The server's CPU work as plain, cloneable tasks: grading pairs, extracting answers, rule
 * rewards, checking worked solutions. runMathTask runs one in a worker thread (math-worker.ts) and, for requests that are
 * provably tiny, on the event loop (math-work.ts), so both ways give the same answers.
 */
import { equivalent, type EquivalenceResult } from "../answers/equivalent.js";
import { extractAnswer, type AnswerStyle } from "../answers/extract.js";
import { ruleReward, type RuleReward, type RuleRewardOptions } from "../rewards/rule.js";
import { checkSolution, type CheckInput, type CheckResult } from "../check/check.js";

export interface GradePair {
  pred: string | number | null;
  gold: string | number;
}

export interface ExtractItem {
  response: string;
  answerStyle: AnswerStyle;
}

export interface RuleItem {
  response: string;
  reference: string;
}

/** The rule reward's options that cross to a worker (functions do not). */
export type PortableRuleOptions = Omit<RuleRewardOptions, "countTokens">;

export type MathTask =
  | { kind: "grade"; pairs: GradePair[]; timeoutMs?: number }
  | { kind: "extract"; items: ExtractItem[] }
  | { kind: "rule"; items: RuleItem[]; options: PortableRuleOptions }
  | { kind: "check"; items: CheckInput[] };

export function runMathTask(task: MathTask): EquivalenceResult[] | (string | null)[] | RuleReward[] | CheckResult[] {
  switch (task.kind) {
    case "grade": {
      const options = task.timeoutMs === undefined ? {} : { timeoutMs: task.timeoutMs };
      return task.pairs.map((p) => equivalent(p.pred, p.gold, options));
    }
    case "extract":
      return task.items.map((it) => extractAnswer(it.response, { answerStyle: it.answerStyle }));
    case "rule":
      return task.items.map((it) => ruleReward(it.response, it.reference, task.options));
    case "check":
      return task.items.map((it) => checkSolution(it));
  }
}
