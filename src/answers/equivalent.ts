/**
 * equivalent(pred, gold): whether a predicted answer denotes the same mathematical object
 * as the reference. Never throws for any answers and never runs past its time bound: every
 * call returns a verdict with a reason ("equal", "different", "unparseable", "timeout").
 * Only a bad option is refused (a timeoutMs that is not a number from 0 to MAX_TIMER_MS).
 */
import { checkTimerMs } from "../timer-ms.js";
import type { Node } from "./ast.js";
import { Budget, BudgetExceeded } from "./budget.js";
import { answerChoice, goldChoice } from "./choice.js";
import { canonicalText, equalNodes } from "./compare.js";
import { setBuilderCondition } from "./inequality.js";
import { cleanAnswer, compact } from "./normalize.js";
import { parseMath } from "./parser.js";

export type EquivalenceReason = "equal" | "different" | "unparseable" | "timeout";

export interface EquivalenceResult {
  equivalent: boolean;
  reason: EquivalenceReason;
}

export interface EquivalenceOptions {
  /** Relative tolerance for answers with rounded (decimal) values. Default 1e-4. */
  tolerance?: number;
  /** Hard time bound for the call, in milliseconds. Default 50. */
  timeoutMs?: number;
  /**
   * Also accept a plain number that is 100x or 1/100x the other (0.25 for 25), as the
   * Qwen2.5-Math harness does. Default false: only an explicit % sign is scaled.
   */
  percentScale?: boolean;
}

/** Answers longer than this are compared as strings only: no math answer is that long. */
export const MAX_ANSWER_CHARS = 4000;

const EQUAL: EquivalenceResult = { equivalent: true, reason: "equal" };
const DIFFERENT: EquivalenceResult = { equivalent: false, reason: "different" };
const UNPARSEABLE: EquivalenceResult = { equivalent: false, reason: "unparseable" };
const TIMEOUT: EquivalenceResult = { equivalent: false, reason: "timeout" };

const TEXT_WORDS = new Set(["yes", "no", "none", "odd", "even", "all", "true", "false", "not", "neither", "both", "never", "always"]);

export function equivalent(pred: unknown, gold: unknown, options: EquivalenceOptions = {}): EquivalenceResult {
  // A bad bound is refused, not read as "no bound" (NaN) or clamped.
  const budget = new Budget(options.timeoutMs === undefined ? 50 : checkTimerMs("The grading option timeoutMs", options.timeoutMs, { allowZero: true }));
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
  const p = cleanAnswer(predRaw);
  const g = cleanAnswer(goldRaw);
  if (!p || !g) return UNPARSEABLE;
  if (p === g) return EQUAL;
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

  // clock times: 4:30 p.m. = 16:30
  const tp = clockTime(p);
  const tg = clockTime(g);
  if (tp && tg && (tp.meridiem || tg.meridiem)) return sameTime(tp, tg) ? EQUAL : DIFFERENT;

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
  if (treeKey(pp.node, budget) === treeKey(pg.node, budget)) return EQUAL;
  const ctx = { budget, tolerance: options.tolerance ?? 1e-4, percentScale: options.percentScale ?? false };
  return equalNodes(pp.node, pg.node, ctx) ? EQUAL : DIFFERENT;
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
    return parseMath(s, budget);
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

interface ClockTime {
  minutes: number;
  meridiem: "am" | "pm" | null;
}

function clockTime(s: string): ClockTime | null {
  const t = stripCommands(s).replace(/[{}]/g, "").trim();
  const m = /^(\d{1,2}):(\d{2})(?::\d{2})?\s*(?:(a|p)\.?\s*m\.?)?$/i.exec(t);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59) return null;
  const meridiem = m[3] ? (m[3].toLowerCase() === "a" ? "am" : "pm") : null;
  if (meridiem === null && !/^\d{1,2}:\d{2}$/.test(t)) return null;
  return { minutes: (h % 12) * 60 + min + (h >= 12 && meridiem === null ? 12 * 60 : 0), meridiem };
}

function sameTime(a: ClockTime, b: ClockTime): boolean {
  const abs = (t: ClockTime): number[] =>
    t.meridiem === "am" ? [t.minutes % 720] : t.meridiem === "pm" ? [(t.minutes % 720) + 720] : t.minutes >= 720 ? [t.minutes] : [t.minutes, t.minutes + 720];
  const A = abs(a);
  const B = abs(b);
  return A.some((x) => B.includes(x));
}
