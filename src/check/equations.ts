/**
 * Equation-to-equation steps: whether a new equation follows from an earlier one in the same
 * variables. In one variable both are turned into rational functions with exact rational
 * coefficients and their solution sets compared exactly (square-free numerators, divisibility):
 * the same solutions, a consequence (squaring adds roots) or a choice among the roots are all
 * fine. Only a step that keeps neither, and whose intended operation can be recognised (one
 * side kept, a term moved, both sides divided), is an error, explained with what the operation
 * gives. A value x = c is also substituted back. Equations in several variables are accepted when
 * one is a multiple of the other, and otherwise left unchecked.
 */
import { ARITHMETIC_KINDS, someNode, type Node, type NodeKind } from "../answers/ast.js";
import { Budget, BudgetExceeded } from "../answers/budget.js";
import * as C from "../answers/complex.js";
import { equalNodes } from "../answers/compare.js";
import { exact, hasApprox, numeric } from "../answers/evaluate.js";
import * as R from "../answers/rational.js";
import { approxLatex, m, ratFnLatex, ratLatex, varLatex } from "./latex.js";
import { branches, hasPm, type LinkResult } from "./links.js";
import * as P from "./polynomial.js";
import { isScalar, type Side } from "./read.js";

export interface Equation {
  lhs: Side;
  rhs: Side;
  /** The variables of both sides. */
  vars: Set<string>;
  /** x = c (or x = ±c, x = c, d): a value, not an equation to transform. */
  values: Node[] | null;
}

const EQUATION_BUDGET_MS = 40;

/** An equation of two readable sides, or null. */
export function asEquation(lhs: Side, rhs: Side): Equation | null {
  if (!lhs.node || !rhs.node || lhs.applies || rhs.applies) return null;
  const vars = new Set([...lhs.vars, ...rhs.vars]);
  if (vars.size === 0) return null;
  const values = solvedValues(lhs.node, rhs.node);
  if (!values && (!isScalar(lhs.node) || !isScalar(rhs.node))) return null;
  return { lhs, rhs, vars, values };
}

/** The values of x = c, x = \pm c, x = c, d, with numbers on the right. */
function solvedValues(l: Node, r: Node): Node[] | null {
  if (l.k !== "sym") return r.k === "sym" && !hasSymbols(l) ? solvedValues(r, l) : null;
  const items: Node[] | null = hasPm(r) ? branches(r) : r.k === "seq" && r.open === "" ? r.items : [r];
  if (!items) return null;
  for (const it of items) if (!isScalar(it) || hasSymbols(it)) return null;
  return items;
}

/** The kinds hasSymbols looks inside: arithmetic, lists and ±, not relations or matrices. */
const SYMBOLS_SCOPE: ReadonlySet<NodeKind> = new Set<NodeKind>([...ARITHMETIC_KINDS, "seq", "pm"]);

function hasSymbols(n: Node): boolean {
  return someNode(n, (m) => m.k === "sym", SYMBOLS_SCOPE);
}

export function sameVars(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((v) => b.has(v));
}

const eqLatex = (e: Equation) => `${e.lhs.text} = ${e.rhs.text}`;

/**
 * Whether `cur` follows from `prev` (same variables). `mayFlag`: nothing between them suggests a
 * new case or a hypothesis, so a step that breaks the equation may be called an error.
 * `hinted`: the text between says it is a step (so, gives, \implies, a new row or line), so a
 * rewritten side may differ in more than one term, and several terms may move at once.
 */
export function checkEquationStep(prev: Equation, cur: Equation, mayFlag: boolean, adjacent: boolean, hinted = false): LinkResult {
  // rounded values (x = 78.20 for 78.21...) are not exact solutions, and do not claim to be
  const rounded = [prev.lhs, prev.rhs, cur.lhs, cur.rhs].some((s) => hasApprox(s.node!)) || (cur.values ?? []).some(hasApprox);
  const r = stepCheck(prev, cur, mayFlag && !rounded, adjacent, hinted);
  if (rounded && r.verdict === "unchecked" && /does not solve/.test(r.reason)) return { verdict: "unchecked", reason: `${r.reason} exactly (rounded values)` };
  return r;
}

function stepCheck(prev: Equation, cur: Equation, mayFlag: boolean, adjacent: boolean, hinted: boolean): LinkResult {
  try {
    const budget = Budget.forTimeoutMs(EQUATION_BUDGET_MS);
    if (cur.vars.size === 1) return oneVariable(prev, cur, [...cur.vars][0]!, mayFlag, adjacent, hinted, budget);
    const a: Node = { k: "rel", ops: ["="], parts: [prev.lhs.node!, prev.rhs.node!] };
    const b: Node = { k: "rel", ops: ["="], parts: [cur.lhs.node!, cur.rhs.node!] };
    if (equalNodes(a, b, { budget, tolerance: 1e-9, percentScale: false, undecided: false, openSums: false })) return { verdict: "ok", reason: `the same equation as ${m(eqLatex(prev))}, rearranged` };
    return { verdict: "unchecked", reason: `does not follow from ${m(eqLatex(prev))} alone` };
  } catch (e) {
    if (e instanceof BudgetExceeded || e instanceof RangeError) return { verdict: "unchecked", reason: "too costly to compare" };
    throw e;
  }
}

function oneVariable(prev: Equation, cur: Equation, x: string, mayFlag: boolean, adjacent: boolean, hinted: boolean, budget: Budget): LinkResult {
  const from = m(eqLatex(prev));
  const step = m(eqLatex(cur));
  const fns = [prev.lhs, prev.rhs, cur.lhs, cur.rhs].map((s) => (cur.values && (s === cur.rhs) ? null : P.ratFn(s.node!, x, budget)));
  const [pl, pr, cl, cr] = fns;
  if (pl && pr && (cur.values || (cl && cr))) {
    const fp = P.difference(pl, pr, budget);
    if (fp && fp.num.length > 0) {
      if (cur.values) return valuesAgainst(prev, cur, x, fp.num, mayFlag, adjacent, budget);
      const fc = P.difference(cl!, cr!, budget);
      if (fc && fc.num.length > 0) {
        const forward = P.rootsWithin(fp.num, fc.num, budget);
        const backward = P.rootsWithin(fc.num, fp.num, budget);
        if (forward && backward) return { verdict: "ok", reason: `has the same solutions as ${from}` };
        if (forward) return { verdict: "ok", reason: `follows from ${from}` };
        if (backward) return { verdict: "ok", reason: `its solutions solve ${from}` };
        if (forward === false && backward === false && mayFlag) {
          const why = intendedOperation(prev, cur, pl, pr, cl!, cr!, x, hinted, budget);
          if (why) return { verdict: "error", reason: `from ${from} this step gets ${step}, but ${why}` };
        }
        return { verdict: "unchecked", reason: `does not follow from ${from} alone` };
      }
    }
  }
  // not rational in x: substitute a value back
  if (cur.values) return valuesAgainst(prev, cur, x, null, mayFlag, adjacent, budget);
  return { verdict: "unchecked", reason: `an equation in ${m(varLatex(x))} the checker does not compare with ${from}` };
}

/** x = c after an equation: c must solve it. */
function valuesAgainst(prev: Equation, cur: Equation, x: string, num: P.Poly | null, mayFlag: boolean, adjacent: boolean, budget: Budget): LinkResult {
  const from = m(eqLatex(prev));
  const values = cur.values!;
  const failed: { exactV: R.Rat | null; c: C.C }[] = [];
  for (const v of values) {
    const exactV = exact(v, budget);
    if (num && exactV) {
      const at = P.evaluate(num, exactV);
      if (at && at.n === 0n) continue;
      if (at) {
        failed.push({ exactV, c: C.c(R.toNumber(exactV)) });
        continue;
      }
    }
    const c = numeric(v, new Map(), budget);
    if (!C.isFiniteC(c)) return { verdict: "unchecked", reason: `cannot substitute ${m(x)} into ${from}` };
    const env = new Map([[x, c]]);
    const l = numeric(prev.lhs.node!, env, budget);
    const r = numeric(prev.rhs.node!, env, budget);
    if (!C.isFiniteC(l) || !C.isFiniteC(r)) return { verdict: "unchecked", reason: `cannot substitute ${m(x)} into ${from}` };
    const d = Math.hypot(l.re - r.re, l.im - r.im);
    const tol = hasApprox(v) || hasApprox(prev.lhs.node!) || hasApprox(prev.rhs.node!) ? 2e-3 : 1e-9;
    if (d <= tol * Math.max(C.cabs(l), C.cabs(r), 1)) continue;
    failed.push({ exactV, c });
  }
  // several values where only some solve: the others may come from another case
  if (failed.length > 0 && failed.length < values.length) {
    return { verdict: "unchecked", reason: `some of the values solve ${from}, others do not (another case?)` };
  }
  if (failed.length > 0) return failedValue(prev, cur, x, failed[0]!.exactV, failed[0]!.c, mayFlag && adjacent, budget);
  const many = values.length > 1;
  return { verdict: "ok", reason: `${many ? `each value of ${m(varLatex(x))} solves` : `${m(eqLatex(cur))} solves`} ${from}` };
}

function failedValue(prev: Equation, cur: Equation, x: string, exactV: R.Rat | null, c: C.C, flag: boolean, budget: Budget): LinkResult {
  const from = m(eqLatex(prev));
  const name = varLatex(x);
  if (!flag) return { verdict: "unchecked", reason: `${m(`${name} = ${exactV ? ratLatex(exactV) : approxLatex(c.re)}`)} does not solve ${from}` };
  const shown = exactV ? ratLatex(exactV) : approxLatex(c.re);
  const env = new Map([[x, c]]);
  const valueText = (n: Node) => {
    const e = exactSubstitute(n, x, exactV, budget);
    return e ? ratLatex(e) : approxLatex(numeric(n, env, budget).re);
  };
  // the operation that was meant, when there is one to name
  const why = intended(prev, cur, x, budget);
  if (why) return { verdict: "error", reason: `from ${from} this step gets ${m(eqLatex(cur))}, but ${why}` };
  return {
    verdict: "error",
    reason: `${m(`${name} = ${shown}`)} does not solve ${from}: with ${m(`${name} = ${shown}`)} the left side is ${m(valueText(prev.lhs.node!))} and the right side is ${m(valueText(prev.rhs.node!))}`,
  };
}

function intended(prev: Equation, cur: Equation, x: string, budget: Budget): string | null {
  const f = [prev.lhs, prev.rhs, cur.lhs, cur.rhs].map((s) => P.ratFn(s.node!, x, budget));
  if (f.some((v) => !v)) return null;
  return intendedOperation(prev, cur, f[0]!, f[1]!, f[2]!, f[3]!, x, false, budget);
}

function exactSubstitute(n: Node, x: string, v: R.Rat | null, budget: Budget): R.Rat | null {
  if (!v) return null;
  const f = P.ratFn(n, x, budget);
  if (!f) return null;
  const a = P.evaluate(f.num, v);
  const b = P.evaluate(f.den, v);
  return a && b ? R.div(a, b) : null;
}

const polynomialOf = (f: P.RatFn): boolean => f.den.length === 1;
const linearOf = (f: P.RatFn): boolean => f.den.length === 1 && f.num.length <= 2;
const sameDegree = (a: P.RatFn, b: P.RatFn): boolean => polynomialOf(a) && polynomialOf(b) && a.num.length === b.num.length;

/** A single term c·x^k (or a constant): what a step moves from one side to the other. */
function monomialOf(f: P.RatFn): boolean {
  if (f.den.length !== 1) return false;
  return f.num.filter((c) => c.n !== 0n).length === 1;
}

/**
 * The operation a wrong step most likely meant, and what it gives: one side kept (so the other
 * must keep its value), a term moved to the other side, or both sides divided by a number.
 */
function intendedOperation(prev: Equation, cur: Equation, pl: P.RatFn, pr: P.RatFn, cl: P.RatFn, cr: P.RatFn, x: string, hinted: boolean, budget: Budget, rel = "="): string | null {
  const red = (f: P.RatFn) => P.reduce(f, budget);
  const [PL, PR, CL, CR] = [red(pl), red(pr), red(cl), red(cr)];
  if (!PL || !PR || !CL || !CR) return null;
  // the new equation's sides in both orders: (kept-looking side, other side)
  const sides: [P.RatFn, P.RatFn, Side, Side][] = [
    [CL, CR, cur.lhs, cur.rhs],
    [CR, CL, cur.rhs, cur.lhs],
  ];
  const pairs: [P.RatFn, P.RatFn, Side][] = [
    [PL, PR, prev.rhs],
    [PR, PL, prev.lhs],
  ];
  // both sides divided by k: kl = pa / k, so kr must be pb / k (a number on the kept side says nothing)
  for (const [kl, kr, keptSide] of sides) {
    if (P.constantValue(kl)) continue;
    for (const [pa, pb] of pairs) {
      const q = P.reduce({ num: P.mul(pa.num, kl.den) ?? [], den: P.mul(pa.den, kl.num) ?? [] }, budget);
      const k = q && q.den.length > 0 ? P.constantValue(q) : null;
      if (!k || k.n === 0n || k.n === k.d) continue;
      const inv = R.div(R.ONE, k)!;
      const num = P.scale(pb.num, inv);
      const want = num && P.reduce({ num, den: pb.den }, budget);
      if (want && !P.sameFn(want, kr)) {
        const op = k.d === 1n || k.n === -1n ? `dividing both sides by ${m(ratLatex(k))}` : `multiplying both sides by ${m(ratLatex(inv))}`;
        return `${op} gives ${m(`${keptSide.text} ${rel} ${ratFnLatex(want, x)}`)}`;
      }
    }
  }
  // one side kept: the other side was rewritten and must keep its value
  for (const [kl, kr, , otherSide] of sides) {
    for (const [same, was, wasSide] of pairs) {
      if (!P.sameFn(same, kl) || P.sameFn(was, kr)) continue;
      const d = P.difference(was, kr, budget);
      if (d && (monomialOf(d) || (hinted && polynomialOf(d) && sameDegree(was, kr)))) {
        const wasForm = ratFnLatex(was, x);
        // when the earlier side is already in expanded form, expand the new one instead
        if (compactTex(wasForm) === compactTex(wasSide.text)) return `${m(otherSide.text)} is ${m(ratFnLatex(kr, x))}, not ${m(wasSide.text)}`;
        return `${m(wasSide.text)} is ${m(wasForm)}, not ${m(otherSide.text)}`;
      }
    }
  }
  // a term t moved: kl = pa - t, so kr must be pb - t
  for (const [kl, kr, keptSide] of sides) {
    if (P.constantValue(kl)) continue;
    for (const [pa, pb] of pairs) {
      // (pa must hold the kept side and the moved term: 2x + 3 loses its 3; a number holds no 2x)
      if (P.constantValue(pa)) continue;
      const t = P.difference(pa, kl, budget);
      if (!t || t.num.length === 0 || !(monomialOf(t) || (hinted && linearOf(t) && linearOf(pa) && linearOf(pb)))) continue;
      const want = P.difference(pb, t, budget);
      if (want && !P.sameFn(want, kr)) {
        const c = P.constantValue(t);
        const negative = c ? c.n < 0n : t.num[t.num.length - 1]!.n < 0n;
        const tl = ratFnLatex(negative ? { num: P.neg(t.num), den: t.den } : t, x);
        return `${negative ? "adding" : "subtracting"} ${m(tl)} ${negative ? "to" : "from"} both sides gives ${m(`${keptSide.text} ${rel} ${ratFnLatex(want, x)}`)}`;
      }
    }
  }
  return null;
}

/**
 * A rewriting a = b that is not an identity may still hold under an earlier fact (x^2 = x + 1
 * turns x^3 into 2x + 1). In one variable, with polynomial facts: it holds when a - b vanishes
 * at every root of a fact; it is still an error when it vanishes at no root of any fact. Facts
 * the checker cannot read leave it unchecked.
 */
export function rewritingUnderFacts(a: Side, b: Side, names: string[], facts: Equation[], error: LinkResult): LinkResult {
  const relevant = facts.filter((f) => names.some((v) => f.vars.has(v)));
  if (relevant.length === 0) return error;
  const cannot: LinkResult = { verdict: "unchecked", reason: `true only under an earlier fact (${m(eqLatex(relevant[relevant.length - 1]!))}?)` };
  if (names.length !== 1 || relevant.some((f) => f.vars.size !== 1)) return cannot;
  const x = names[0]!;
  try {
    const budget = Budget.forTimeoutMs(EQUATION_BUDGET_MS);
    const fa = P.ratFn(a.node!, x, budget);
    const fb = fa && P.ratFn(b.node!, x, budget);
    const d = fa && fb && P.difference(fa, fb, budget);
    if (!d) return cannot;
    let disjointFromAll = true;
    for (const f of relevant) {
      const fl = P.ratFn(f.lhs.node!, x, budget);
      const fr = f.values ? null : fl && P.ratFn(f.rhs.node!, x, budget);
      let num: P.Poly | null = null;
      if (f.values) {
        // x = c, d: the polynomial with those roots
        num = [R.ONE];
        for (const v of f.values) {
          const c = exact(v, budget);
          num = c && num && P.mul(num, [R.neg(c), R.ONE]);
        }
      } else if (fl && fr) num = P.difference(fl, fr, budget)?.num ?? null;
      if (!num || num.length === 0) return cannot;
      if (P.rootsWithin(num, d.num, budget)) return { verdict: "ok", reason: `holds since ${m(eqLatex(f))}` };
      const g = P.gcd(num, d.num, budget);
      if (!g) return cannot;
      if (g.length > 1) disjointFromAll = false;
    }
    return disjointFromAll ? error : cannot;
  } catch (e) {
    if (e instanceof BudgetExceeded || e instanceof RangeError) return cannot;
    throw e;
  }
}

const compactTex = (t: string) => t.replace(/\s+|\\[,;!]|\{|\}/g, "");

/**
 * The operation a wrong step between two relations in x most likely meant (one side kept, a
 * single term moved, both sides divided by a positive number), for inequalities: `rel` is the
 * new relation's sign as LaTeX. Null when none is recognised.
 */
export function explainRelationStep(prev: [Side, Side], cur: [Side, Side], x: string, rel: string): string | null {
  try {
    const budget = Budget.forTimeoutMs(EQUATION_BUDGET_MS);
    const f = [prev[0], prev[1], cur[0], cur[1]].map((s) => (s.node ? P.ratFn(s.node, x, budget) : null));
    if (f.some((v) => !v)) return null;
    const vars = new Set([x]);
    const asEq = (l: Side, r: Side): Equation => ({ lhs: l, rhs: r, vars, values: null });
    return intendedOperation(asEq(prev[0], prev[1]), asEq(cur[0], cur[1]), f[0]!, f[1]!, f[2]!, f[3]!, x, false, budget, rel);
  } catch (e) {
    if (e instanceof BudgetExceeded || e instanceof RangeError) return null;
    throw e;
  }
}
