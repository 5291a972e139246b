/**
 * equivalent(pred, gold): whether a predicted answer denotes the same mathematical object
 * as the reference. Never throws and never runs past its time bound: every call returns
 * a verdict with a reason ("equal", "different", "unparseable", "timeout").
 */
import type { Node } from "./ast.js";
import { Budget, BudgetExceeded } from "./budget.js";
import { answerChoice, goldChoice } from "./choice.js";
import { canonicalText, equalNodes } from "./compare.js";
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
  const budget = new Budget(options.timeoutMs ?? 50);
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

  // multiple choice: the reference is a letter
  const letter = g.length <= 40 ? goldChoice(g) : null;
  if (letter) {
    const mine = answerChoice(p);
    if (mine !== null) return mine === letter ? EQUAL : DIFFERENT;
  }
  const pLetter = p.length <= 40 ? goldChoice(p) : null;
  if (pLetter && !letter) {
    const theirs = answerChoice(g);
    if (theirs !== null && /^\(?[A-E]\)?\s/.test(g)) return theirs === pLetter ? EQUAL : DIFFERENT;
  }

  // clock times: 4:30 p.m. = 16:30
  const tp = clockTime(p);
  const tg = clockTime(g);
  if (tp && tg && (tp.meridiem || tg.meridiem)) return sameTime(tp, tg) ? EQUAL : DIFFERENT;

  budget.tick();
  const pp = tryParse(p, budget);
  const pg = tryParse(g, budget);
  if (!pp || !pg) {
    return canonicalText(stripCommands(p)) === canonicalText(stripCommands(g)) ? EQUAL : UNPARSEABLE;
  }
  const textP = isTextual(pp.node, pp.words);
  const textG = isTextual(pg.node, pg.words);
  if (textP || textG) return canonicalText(stripCommands(p)) === canonicalText(stripCommands(g)) ? EQUAL : DIFFERENT;
  const ctx = { budget, tolerance: options.tolerance ?? 1e-4, percentScale: options.percentScale ?? false };
  return equalNodes(pp.node, pg.node, ctx) ? EQUAL : DIFFERENT;
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
