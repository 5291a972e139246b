/**
 * equivalent(pred, gold): whether a predicted answer denotes the same mathematical object
 * as the reference. Never throws for any answers and never does more than its work bound
 * (counted in steps, so the verdict is the same on any machine): every call returns a verdict
 * with a reason ("equal", "different", "unparseable", "timeout",
 * "undecided").
 * Only a bad option is refused (a timeoutMs that is not a number from 0 to MAX_TIMER_MS).
 */
import { checkTimerMs } from "../timer-ms.js";
import type { Node } from "./ast.js";
import { Budget, BudgetExceeded } from "./budget.js";
import { answerChoice, goldChoice } from "./choice.js";
import { bareHour, clockTime, sameTime } from "./clock.js";
import { canonicalText, equalNodes } from "./compare.js";
import { expandSums, hasOpenSum } from "./finite-sums.js";
import { setBuilderCondition } from "./inequality.js";
import { cleanAnswer, compact } from "./normalize.js";
import { decimalCommaPair } from "./number-words.js";
import { parseMath } from "./parser.js";

/**
 * "undecided": values beyond a double's range that agree in size as far as can be told
 * (2^{2^{20}} against 2^{2^{20}}+1), or a sum that could not be expanded (\sum_{k=1}^{n} k).
 */
export type EquivalenceReason = "equal" | "different" | "unparseable" | "timeout" | "undecided";

export interface EquivalenceResult {
  equivalent: boolean;
  reason: EquivalenceReason;
}

export interface EquivalenceOptions {
  /**
   * Relative tolerance for answers with rounded (decimal) values. Default: none, a decimal
   * matches to the precision it shows (0.333 = 1/3, 9999.86 != 10000; see shown-precision.ts).
   * 1e-4 is the Qwen2.5-Math harness's rule (HARNESS_TOLERANCE), for reproducing its numbers.
   */
  tolerance?: number;
  /**
   * Work bound for the call, in milliseconds of a warm core's work (Budget.forTimeoutMs:
   * 40,000 steps each), not of the clock. Default 50.
   */
  timeoutMs?: number;
  /**
   * Also accept a plain number that is 100x or 1/100x the other (0.25 for 25), as the
   * Qwen2.5-Math harness does. Default false: only an explicit % sign is scaled.
   */
  percentScale?: boolean;
}

/** The relative tolerance of the Qwen2.5-Math harness (math_equal's isclose rel_tol). */
export const HARNESS_TOLERANCE = 1e-4;

/** Answers longer than this are compared as strings only: no math answer is that long. */
export const MAX_ANSWER_CHARS = 4000;

const EQUAL: EquivalenceResult = { equivalent: true, reason: "equal" };
const DIFFERENT: EquivalenceResult = { equivalent: false, reason: "different" };
const UNPARSEABLE: EquivalenceResult = { equivalent: false, reason: "unparseable" };
const TIMEOUT: EquivalenceResult = { equivalent: false, reason: "timeout" };
const UNDECIDED: EquivalenceResult = { equivalent: false, reason: "undecided" };

const TEXT_WORDS = new Set(["yes", "no", "none", "odd", "even", "all", "true", "false", "not", "neither", "both", "never", "always"]);

export function equivalent(pred: unknown, gold: unknown, options: EquivalenceOptions = {}): EquivalenceResult {
  // A bad bound is refused, not read as "no bound" (NaN) or clamped.
  const budget = Budget.forTimeoutMs(options.timeoutMs === undefined ? 50 : checkTimerMs("The grading option timeoutMs", options.timeoutMs, { allowZero: true }));
  try {
    return decide(asText(pred), asText(gold), options, budget);
  } catch (e) {
    if (e instanceof BudgetExceeded) return TIMEOUT;
    if (e instanceof RangeError) return TIMEOUT; // stack exhaustion on pathological input
    return UNPARSEABLE;
  }
}

function asText(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v === "bigint") return v.toString();
  return null;
}

function decide(predRaw: string | null, goldRaw: string | null, options: EquivalenceOptions, budget: Budget): EquivalenceResult {
  if (predRaw === null || goldRaw === null) return UNPARSEABLE;
  let p = cleanAnswer(predRaw);
  let g = cleanAnswer(goldRaw);
  if (!p || !g) return UNPARSEABLE;
  if (p === g) return EQUAL;
  if (p.includes(",") || g.includes(",")) [p, g] = decimalCommaPair(p, g);
  const cp = compact(p);
  const cg = compact(g);
  if (cp === cg) return EQUAL;
  if (p.length > MAX_ANSWER_CHARS || g.length > MAX_ANSWER_CHARS) return UNPARSEABLE;

  // multiple choice: one side is a bare letter, the other names a choice
  const lg = g.length <= 40 ? goldChoice(g) : null;
  const lp = p.length <= 40 ? goldChoice(p) : null;
  if (lg !== null || lp !== null) {
    const [letter, other] = lg !== null ? [lg, p] : [lp as string, g];
    const named = other.length <= 200 ? answerChoice(other) : null;
    if (named !== null) return named === letter ? EQUAL : DIFFERENT;
  }

  // clock times: 4:30 p.m. = 16:30, 12:00 differs from 1:00 (not the ratios 12:0 and 1:0)
  const tp = clockTime(p) ?? bareHour(p);
  const tg = tp && (clockTime(g) ?? (tp.meridiem !== null || p.includes(":") ? bareHour(g) : null));
  if (tp && tg) return sameTime(tp, tg) ? EQUAL : DIFFERENT;

  budget.tick();
  // a set-builder set is its condition: \{x : -2 \le x \le 7\}
  const pp = tryParse(setBuilderCondition(p) ?? p, budget);
  const pg = tryParse(setBuilderCondition(g) ?? g, budget);
  if (!pp || !pg) {
    return canonicalText(stripCommands(cp)) === canonicalText(stripCommands(cg)) ? EQUAL : UNPARSEABLE;
  }
  const textP = isTextual(pp.node, pp.words);
  const textG = isTextual(pg.node, pg.words);
  if (textP || textG) return canonicalText(stripCommands(cp)) === canonicalText(stripCommands(cg)) ? EQUAL : DIFFERENT;
  // the same tree (also for forms the comparison cannot evaluate, like 2[matrix])
  // (keys of trees of different kinds differ, except a bare list, whose key is its items')
  const sameKind = pp.node.k === pg.node.k || pp.node.k === "seq" || pg.node.k === "seq";
  if (sameKind && treeKey(pp.node, budget) === treeKey(pg.node, budget)) return EQUAL;
  // a sum that could not be expanded (\sum_{k=1}^{n} k) is not known to differ from a value
  const openSums = (p.includes("\\sum") || p.includes("\\prod") || g.includes("\\sum") || g.includes("\\prod")) && (hasOpenSum(pp.node) || hasOpenSum(pg.node));
  const ctx = { budget, tolerance: options.tolerance ?? null, percentScale: options.percentScale ?? false, undecided: false, openSums, pm: p.includes("pm") || g.includes("pm") || p.includes("\\mp") || g.includes("\\mp") };
  if (equalNodes(pp.node, pg.node, ctx)) return EQUAL;
  return ctx.undecided ? UNDECIDED : DIFFERENT;
}

/** A canonical string of a tree, for identity. */
function treeKey(n: Node, budget: Budget): string {
  budget.tick();
  switch (n.k) {
    case "num":
      return `${n.v.n}/${n.v.d}`;
    case "sym":
      return `$${n.name}`;
    case "const":
      return `#${n.name}`;
    case "text":
      return `"${canonicalText(n.text)}"`;
    case "add":
      return `+(${n.terms.map((t) => treeKey(t, budget)).join(",")})`;
    case "mul":
      return `*(${n.factors.map((t) => treeKey(t, budget)).join(",")})`;
    case "div":
      return `/(${treeKey(n.num, budget)},${treeKey(n.den, budget)})`;
    case "neg":
    case "pct":
    case "deg":
      return `${n.k}(${treeKey(n.arg, budget)})`;
    case "pow":
      return `^(${treeKey(n.base, budget)},${treeKey(n.exp, budget)})`;
    case "fn":
      return `${n.name}(${n.args.map((t) => treeKey(t, budget)).join(",")})`;
    case "pm":
      return `pm${n.minus}(${n.left ? treeKey(n.left, budget) : ""},${treeKey(n.right, budget)})`;
    case "rel":
      return `rel${n.ops.join("")}(${n.parts.map((t) => treeKey(t, budget)).join(",")})`;
    case "ratio":
      return `ratio(${n.parts.map((t) => treeKey(t, budget)).join(",")})`;
    case "setop":
      return `${n.op}(${n.parts.map((t) => treeKey(t, budget)).join(",")})`;
    case "seq":
      return `${n.open}${n.items.map((t) => treeKey(t, budget)).join(",")}${n.close}`;
    case "matrix":
      return `M(${n.rows.map((r) => r.map((t) => treeKey(t, budget)).join("&")).join(";")})`;
  }
}

function tryParse(s: string, budget: Budget): { node: Node; words: string[] } | null {
  try {
    const r = parseMath(s, budget);
    return s.includes("\\sum") || s.includes("\\prod") ? { ...r, node: expandSums(r.node, budget) } : r;
  } catch (e) {
    if (e instanceof BudgetExceeded || e instanceof RangeError) throw e;
    return null;
  }
}

function isTextual(node: Node, words: string[]): boolean {
  if (node.k === "text") return true;
  return words.some((w) => w.length >= 4 || TEXT_WORDS.has(w.toLowerCase()));
}

function stripCommands(s: string): string {
  return s.replace(/\\(?:text|textbf|mathrm|mathbf|textrm|mbox|textit|emph)\b/g, "");
}
