/**
 * Structural comparison of two parsed answers: lists and sets, tuples and intervals,
 * matrices, relations, degrees and percentages, down to scalar expressions, which are
 * compared exactly (rationals), numerically (constants) or at random points (variables).
 */
import { ARITHMETIC_KINDS, someNode, type Node, type NodeKind } from "./ast.js";
import type { Budget } from "./budget.js";
import { compareBig, outOfRange } from "./big-values.js";
import * as C from "./complex.js";
import { hasOpenSum } from "./finite-sums.js";
import { exact, hasApprox, numeric, variables } from "./evaluate.js";
import { isCondition, orient, pointSet, relationToInterval } from "./inequality.js";
import { isLabel } from "./labels.js";
import * as R from "./rational.js";
import { shownTolerance } from "./shown-precision.js";
import { expandPm, pmValues, sameCollection } from "./solution-set.js";
import { matchUnordered, pairByValue } from "./value-keys.js";

export interface CompareContext {
  budget: Budget;
  /**
   * Relative tolerance when a side carries a rounded (decimal) value; null for the shown
   * precision of its decimals (see shown-precision.ts).
   */
  tolerance: number | null;
  /** Harness compatibility: also accept a plain number that is 100x or 1/100x the other. */
  percentScale: boolean;
  /** Set when a comparison could not be decided (values beyond a double's range that agree in size). */
  undecided: boolean;
  /** Whether a side holds a sum that could not be expanded (scalars with one are undecided). */
  openSums: boolean;
  /** Whether an answer spells a ± (\\pm, \\mp): only then is a ± looked for inside fractions and products. */
  pm?: boolean;
}

/** Relative tolerance between exact forms that are not rational (radicals, pi). */
const EXACT_TOL = 1e-9;
/** Relative tolerance for expressions with variables compared at random points. */
const SYMBOLIC_TOL = 1e-7;

const PI_OVER_180: Node = { k: "div", num: { k: "const", name: "pi" }, den: { k: "num", v: R.fromInt(180), approx: false } };

export function equalNodes(pred: Node, gold: Node, ctx: CompareContext): boolean {
  ctx.budget.tick();
  // degrees: 30° = 30 (the unit dropped) = pi/6 (radians) when one side says degrees
  if (gold.k === "deg" || pred.k === "deg") {
    if (gold.k === "deg" && pred.k === "deg") return equalNodes(pred.arg, gold.arg, ctx);
    const [d, other] = gold.k === "deg" ? [gold, pred] : [pred as Extract<Node, { k: "deg" }>, gold];
    if (other.k === "deg") return false;
    if (gold.k === "deg" ? equalNodes(other, d.arg, ctx) : equalNodes(d.arg, other, ctx)) return true;
    if (!isScalar(other)) return false;
    const radians: Node = { k: "mul", factors: [d.arg, PI_OVER_180] };
    return scalarEqual(other, radians, ctx);
  }
  // percentages: 10% = 0.1, and 10% = 10 (the sign dropped)
  if (gold.k === "pct" || pred.k === "pct") {
    if (gold.k === "pct" && pred.k === "pct") return equalNodes(pred.arg, gold.arg, ctx);
    const [p, other] = gold.k === "pct" ? [gold, pred] : [pred as Extract<Node, { k: "pct" }>, gold];
    if (!isScalar(other)) return false;
    return scalarEqual(other, p.arg, ctx) || scalarEqual(other, p, ctx);
  }
  // conditions and sets of reals: -2 \le x \le 7 = x \in [-2, 7] = [-2, 7]; x < 1 or x > 3 = (-\infty, 1) \cup (3, \infty)
  if (isCondition(pred) || isCondition(gold)) {
    const ps = pointSet(pred, ctx.budget);
    const gs = ps && pointSet(gold, ctx.budget);
    if (ps && gs) return (ps.variable === null || gs.variable === null || ps.variable === gs.variable) && equalNodes(ps.set, gs.set, ctx);
  }
  // x = 5 against 5; x \in [1, 2] against [1, 2]
  if (pred.k === "rel" && gold.k !== "rel" && isSimpleRelation(pred)) return equalNodes(pred.parts[pred.parts.length - 1]!, gold, ctx);
  if (gold.k === "rel" && pred.k !== "rel" && isSimpleRelation(gold)) return equalNodes(pred, gold.parts[gold.parts.length - 1]!, ctx);
  if (pred.k === "rel" && gold.k === "rel") return relationsEqual(pred, gold, ctx);
  if (pred.k === "rel" || gold.k === "rel") {
    // an inequality in one variable against an interval
    const [r, other] = pred.k === "rel" ? [pred, gold] : [gold as Extract<Node, { k: "rel" }>, pred];
    const iv = relationToInterval(r, ctx.budget);
    if (!iv || (other.k !== "seq" && other.k !== "setop")) return false;
    return pred.k === "rel" ? equalNodes(iv, other, ctx) : equalNodes(other, iv, ctx);
  }
  // ± expands to both values
  if (pred.k === "pm" || gold.k === "pm") return equalNodes(expandPm(pred), expandPm(gold), ctx);
  if (ctx.pm && (pmValues(pred) || pmValues(gold))) return equalNodes(expandPm(pred), expandPm(gold), ctx);
  if (pred.k === "seq" || gold.k === "seq") return seqEqual(pred, gold, ctx);
  if (pred.k === "matrix" || gold.k === "matrix") return matrixEqual(pred, gold, ctx);
  if (pred.k === "setop" || gold.k === "setop") {
    if (pred.k !== "setop" || gold.k !== "setop" || pred.op !== gold.op || pred.parts.length !== gold.parts.length) return false;
    return pred.op === "cup" ? unorderedEqual(pred.parts, gold.parts, ctx) : pred.parts.every((p, i) => equalNodes(p, gold.parts[i]!, ctx));
  }
  if (pred.k === "ratio" || gold.k === "ratio") return ratioEqual(pred, gold, ctx);
  if (pred.k === "text" || gold.k === "text") return pred.k === "text" && gold.k === "text" && canonicalText(pred.text) === canonicalText(gold.text);
  return scalarEqual(pred, gold, ctx);
}

export function canonicalText(s: string): string {
  return s.toLowerCase().replace(/[\s.,;:!?'"`~\\{}()]/g, "");
}

function isScalar(n: Node): boolean {
  return !["seq", "matrix", "rel", "setop", "ratio", "text", "pm"].includes(n.k);
}

/** x = ..., f(x) = ..., (p, q) = ..., x \in ...: the left side only names the answer (labels.ts). */
function isSimpleRelation(r: Extract<Node, { k: "rel" }>): boolean {
  if (!r.ops.every((op) => op === "=") && !(r.ops.length === 1 && (r.ops[0] === "in" || r.ops[0] === "approx"))) return false;
  return r.parts.slice(0, -1).every(isLabel) || (r.ops.every((op) => op === "=" || op === "approx") && isLabel(r.parts[0]!));
}

// ---------------------------------------------------------------- lists, sets, tuples

function seqEqual(a: Node, b: Node, ctx: CompareContext): boolean {
  if (a.k !== "seq" || b.k !== "seq") {
    // {5} or a one-item list against 5
    const [s, other] = a.k === "seq" ? [a, b] : [b as Extract<Node, { k: "seq" }>, a];
    // alternative forms of one value: "15\frac{39}{40}, or \frac{639}{40}"
    if (s.open === "" && s.items.length > 1 && isScalar(other) && s.items.every((x) => isScalar(x) && equalNodes(x, s.items[0]!, ctx))) {
      return a.k === "seq" ? equalNodes(s.items[0]!, other, ctx) : equalNodes(other, s.items[0]!, ctx);
    }
    if (s.items.length === 1 && (s.open === "" || s.open === "{")) return a.k === "seq" ? equalNodes(s.items[0]!, other, ctx) : equalNodes(other, s.items[0]!, ctx);
    // a vector as a one-column matrix
    if (other.k === "matrix") return matrixEqual(a, b, ctx);
    // an interval with infinite ends against an inequality handled elsewhere
    return false;
  }
  const ka = kind(a);
  const kb = kind(b);
  if (ka === "set" || kb === "set" || (ka === "bare" && kb === "bare")) {
    if (ka === "ordered" || kb === "ordered") return false; // {1, 2} is not the point (1, 2)
    return sameCollection(a, b, (x, y) => equalNodes(x, y, ctx), (x, y) => unorderedEqual(x, y, ctx), ctx.pm === true);
  }
  if (a.items.length !== b.items.length) return false;
  if (ka === "ordered" && kb === "ordered") {
    // brackets must agree, except next to an infinite end: [1, \infty] and [1, \infty)
    // (Two empty tuples, () against [], have no first or last item: isInfinite throws on the
    // undefined and equivalent() answers "unparseable", as it always has.)
    if (a.open !== b.open && !(isInfinite(a.items[0]!) && isInfinite(b.items[0]!))) return false;
    const la = a.items[a.items.length - 1]!;
    const lb = b.items[b.items.length - 1]!;
    if (a.close !== b.close && !(isInfinite(la) && isInfinite(lb))) return false;
  }
  // a bare list against a tuple: "3, -1" answers "(3, -1)" in order
  return a.items.every((x, i) => equalNodes(x, b.items[i]!, ctx));
}

function kind(s: Extract<Node, { k: "seq" }>): "bare" | "set" | "ordered" {
  return s.open === "" ? "bare" : s.open === "{" ? "set" : "ordered";
}

function isInfinite(n: Node): boolean {
  return (n.k === "const" && n.name === "inf") || (n.k === "neg" && isInfinite(n.arg)) || (n.k === "pm" && isInfinite(n.right));
}

/** Sets up to this size are searched in order; larger ones nearest each item's value first. */
const SMALL_SET = 8;

/** Whether the items of a and b pair up one to one (order free, multiplicity kept). */
function unorderedEqual(allA: Node[], allB: Node[], ctx: CompareContext): boolean {
  if (allA.length !== allB.length) return false;
  // items with the same exact value pair at once; the rest are compared pair by pair
  const [a, b] = pairByValue(allA, allB, ctx.budget);
  if (a.length > SMALL_SET) return matchUnordered(a, b, (x, y) => equalNodes(x, y, ctx), valueAtFirstPoint([...a, ...b], ctx), ctx.budget);
  const used = new Array<boolean>(b.length).fill(false);
  outer: for (const x of a) {
    for (let j = 0; j < b.length; j++) {
      if (!used[j] && equalNodes(x, b[j]!, ctx)) {
        used[j] = true;
        continue outer;
      }
    }
    return false;
  }
  return true;
}

/** A scalar item's real value at the first test point of all the items' variables (null for others): the search order of large sets. */
function valueAtFirstPoint(items: Node[], ctx: CompareContext): (n: Node) => number | null {
  const names = new Set<string>();
  for (const x of items) variables(x, names);
  const env = names.size > 0 ? testPoints([...names], ctx.budget)[0]! : new Map<string, C.C>();
  return (n) => {
    if (!isScalar(n)) return null;
    const v = numeric(n, env, ctx.budget);
    return Number.isFinite(v.re) && v.im === 0 ? v.re : null;
  };
}

function matrixEqual(a: Node, b: Node, ctx: CompareContext): boolean {
  const ra = matrixRows(a);
  const rb = matrixRows(b);
  if (!ra || !rb || ra.length !== rb.length) return false;
  for (let i = 0; i < ra.length; i++) {
    const rowA = ra[i]!;
    const rowB = rb[i]!;
    if (rowA.length !== rowB.length) return false;
    for (let j = 0; j < rowA.length; j++) if (!equalNodes(rowA[j]!, rowB[j]!, ctx)) return false;
  }
  return true;
}

/** Rows of a matrix; a tuple counts as a column vector (and a one-row matrix as its transpose). */
function matrixRows(n: Node): Node[][] | null {
  if (n.k === "matrix") {
    if (n.rows.length === 1 && n.rows[0]!.length > 1) return n.rows[0]!.map((x) => [x]);
    return n.rows;
  }
  if (n.k === "seq" && n.open !== "{" && n.items.length > 1) return n.items.map((x) => [x]);
  return null;
}

// ---------------------------------------------------------------- ratios

function ratioEqual(a: Node, b: Node, ctx: CompareContext): boolean {
  if (a.k === "ratio" && b.k === "ratio") {
    if (a.parts.length !== b.parts.length) return false;
    // with a zero part it is a score or a time (3:0), not a proportion: part by part
    if (a.parts.some((x) => isZero(x, ctx)) || b.parts.some((x) => isZero(x, ctx))) return a.parts.every((x, i) => scalarEqual(x, b.parts[i]!, ctx));
    // a_i * b_0 = a_0 * b_i: 1:2 = 2:4
    return a.parts.every((x, i) => scalarEqual({ k: "mul", factors: [x, b.parts[0]!] }, { k: "mul", factors: [a.parts[0]!, b.parts[i]!] }, ctx));
  }
  const [r, other] = a.k === "ratio" ? [a, b] : [b as Extract<Node, { k: "ratio" }>, a];
  if (r.parts.length !== 2 || !isScalar(other)) return false;
  const q: Node = { k: "div", num: r.parts[0]!, den: r.parts[1]! };
  return a.k === "ratio" ? scalarEqual(q, other, ctx) : scalarEqual(other, q, ctx);
}

function isZero(n: Node, ctx: CompareContext): boolean {
  const v = exact(n, ctx.budget);
  return v !== null && v.n === 0n;
}

// ---------------------------------------------------------------- relations

type Rel = Extract<Node, { k: "rel" }>;

function relationsEqual(p: Rel, g: Rel, ctx: CompareContext): boolean {
  const a = orient(p);
  const b = orient(g);
  if (a.parts.length !== b.parts.length) return false;
  if (a.ops.some((op, i) => op !== b.ops[i])) {
    // x = 2 against x \approx 2
    if (!a.ops.every((op, i) => (op === "=" || op === "approx") && (b.ops[i] === "=" || b.ops[i] === "approx"))) return false;
  }
  if (a.parts.every((x, i) => equalNodes(x, b.parts[i]!, ctx))) return true;
  if (a.parts.length !== 2) return false;
  const a0 = a.parts[0]!;
  const a1 = a.parts[1]!;
  const b0 = b.parts[0]!;
  const b1 = b.parts[1]!;
  const op = a.ops[0];
  if (op === "in") return false;
  if ((op === "=" || op === "!=" || op === "approx") && equalNodes(a0, b1, ctx) && equalNodes(a1, b0, ctx)) return true;
  // the same equation rearranged or scaled: (lhs - rhs) proportional to (lhs' - rhs')
  const fa: Node = { k: "add", terms: [a0, { k: "neg", arg: a1 }] };
  const fb: Node = { k: "add", terms: [b0, { k: "neg", arg: b1 }] };
  if (!isScalar(a0) || !isScalar(a1) || !isScalar(b0) || !isScalar(b1)) return false;
  return proportional(fa, fb, op === "<" || op === "<=" ? "positive" : "nonzero", ctx);
}

// ---------------------------------------------------------------- scalars

/** Deterministic PRNG (mulberry32) so that a verdict never depends on the run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function close(a: C.C, b: C.C, tol: number): boolean {
  if (!C.isFiniteC(a) || !C.isFiniteC(b)) {
    // +infinity = +infinity
    return a.im === 0 && b.im === 0 && a.re === b.re && !Number.isNaN(a.re);
  }
  const d = Math.hypot(a.re - b.re, a.im - b.im);
  const m = Math.max(C.cabs(a), C.cabs(b));
  return d <= tol * m || d < 1e-300;
}

/** The tolerance for two trees of which at least one holds a decimal. */
function approxTolerance(a: Node, b: Node, ctx: CompareContext): number {
  return ctx.tolerance ?? shownTolerance(a, b);
}

/** |a - b| <= tol * max(|a|, |b|), in exact arithmetic for values of any size. */
function closeRat(a: R.Rat, b: R.Rat, tol: number): boolean {
  const larger = R.absGreater(a, b) ? a : b;
  if (larger.n === 0n) return true;
  const d = R.sub(a, b);
  const q = d && R.div(d, larger);
  if (q) return Math.abs(R.toNumber(q)) <= tol;
  const x = R.toNumber(a);
  const y = R.toNumber(b);
  return Number.isFinite(x) && Number.isFinite(y) && close(C.c(x), C.c(y), tol);
}

function scalarEqual(a: Node, b: Node, ctx: CompareContext): boolean {
  if (ctx.openSums && (hasOpenSum(a) || hasOpenSum(b))) {
    ctx.undecided = true;
    return false;
  }
  const approx = hasApprox(a) || hasApprox(b);
  const tol = approx ? approxTolerance(a, b, ctx) : EXACT_TOL;
  const ea = exact(a, ctx.budget);
  const eb = ea && exact(b, ctx.budget);
  if (ea && eb) {
    if (R.eq(ea, eb)) return true;
    if (ctx.percentScale) {
      const h = R.fromInt(100);
      const up = R.mul(eb, h);
      const down = R.div(eb, h);
      if ((up && R.eq(ea, up)) || (down && R.eq(ea, down))) return true;
      if (approx && ((up && closeRat(ea, up, tol)) || (down && closeRat(ea, down, tol)))) return true;
    }
    return approx && closeRat(ea, eb, tol);
  }
  const vars = variables(a);
  variables(b, vars);
  if (vars.size === 0) {
    const va = numeric(a, new Map(), ctx.budget);
    const vb = numeric(b, new Map(), ctx.budget);
    // a value infinite by overflow or division by zero is not \infty
    if (!(C.isFiniteC(va) && C.isFiniteC(vb)) && hasInfinity(a) !== hasInfinity(b)) return false;
    // beyond a double's range (e^{1000}, e^{-1000}) by size, not by the infinity or 0 a double gives
    if ((outOfRange(va) || outOfRange(vb) || (isZeroC(va) && isZeroC(vb))) && !isNaNC(va) && !isNaNC(vb) && !hasInfinity(a) && !hasInfinity(b)) {
      const verdict = compareBig(a, b, new Map(), tol, ctx.budget);
      if (verdict === "equal" || verdict === "different") return verdict === "equal";
      if (isZeroC(va) && isZeroC(vb)) return true; // two zeros whose sizes are not known (sin 0 and 0)
      // an overflow on one side only: the other is an ordinary number, so they differ
      if (verdict === "unknown" && (C.isFiniteC(va) !== C.isFiniteC(vb))) return false;
      ctx.undecided = true;
      return false;
    }
    if (close(va, vb, tol)) return true;
    if (ctx.percentScale && C.isFiniteC(vb) && (close(va, C.cmul(vb, C.c(100)), tol) || close(va, C.cdiv(vb, C.c(100)), tol))) return true;
    return false;
  }
  return sameFunction(a, b, [...vars], approx ? Math.max(tol, SYMBOLIC_TOL) : SYMBOLIC_TOL, ctx);
}

const POINTS = 8;
const MAX_VARS = 32;

/** Variable values per test point, drawn once: positive points first, then negative ones. */
const POINT_VALUES: number[][] = (() => {
  const rand = prng(0x9e3779b9);
  return Array.from({ length: POINTS }, (_, k) => Array.from({ length: MAX_VARS }, () => (k < 5 ? 1 : -1) * (0.31 + 2.1 * rand())));
})();

/** Values of the named variables at each test point. */
function testPoints(names: string[], budget: Budget): Map<string, C.C>[] {
  // building the points is work too: one step per variable and point
  budget.tick(POINTS * (names.length + 1));
  const sorted = [...names].sort();
  return POINT_VALUES.map((values) => {
    const env = new Map<string, C.C>();
    sorted.forEach((n, j) => env.set(n, { re: values[j % MAX_VARS]! * (j >= MAX_VARS ? 1.37 : 1), im: 0 }));
    return env;
  });
}

/**
 * Whether a and b agree at random points. A disagreement where both values are real
 * decides; at negative points, where one side leaves its real domain (log x^2 against
 * 2 log x), the point is skipped. At least three points must be comparable.
 */
function sameFunction(a: Node, b: Node, names: string[], tol: number, ctx: CompareContext): boolean {
  let agreed = 0;
  let undecided = false;
  const points = testPoints(names, ctx.budget);
  for (let k = 0; k < points.length; k++) {
    const env = points[k]!;
    const va = numeric(a, env, ctx.budget);
    const vb = numeric(b, env, ctx.budget);
    if (!isNaNC(va) && !isNaNC(vb) && (outOfRange(va) || outOfRange(vb)) && !hasInfinity(a) && !hasInfinity(b)) {
      // x^{10^9} at x = 0.5 or 2: compare sizes; a point where they cannot be told apart is skipped
      const verdict = compareBig(a, b, env, tol, ctx.budget);
      if (verdict === "different") return false;
      if (verdict === "equal") agreed++;
      else if (verdict === "undecided") undecided = true;
      continue;
    }
    if (!C.isFiniteC(va) || !C.isFiniteC(vb)) continue;
    if (close(va, vb, tol)) {
      agreed++;
      continue;
    }
    const bothReal = C.isReal(va) && C.isReal(vb);
    if (k < 5 || bothReal) return false;
  }
  if (agreed < 3 && undecided) ctx.undecided = true;
  return agreed >= 3;
}

/** The kinds hasInfinity looks inside: arithmetic and ±, not lists, relations or matrices. */
const INFINITY_SCOPE: ReadonlySet<NodeKind> = new Set<NodeKind>([...ARITHMETIC_KINDS, "pm"]);

/** Whether a tree mentions \infty (its double infinity is meant, not an overflow). */
function hasInfinity(n: Node): boolean {
  return someNode(n, (m) => m.k === "const" && m.name === "inf", INFINITY_SCOPE);
}

const isNaNC = (v: C.C): boolean => Number.isNaN(v.re) || Number.isNaN(v.im);
const isZeroC = (v: C.C): boolean => v.re === 0 && v.im === 0;

/** Whether fa = c * fb for one constant c (c > 0 when mode is "positive"). */
function proportional(fa: Node, fb: Node, mode: "positive" | "nonzero", ctx: CompareContext): boolean {
  const names = [...variables(fa, variables(fb))];
  const approx = hasApprox(fa) || hasApprox(fb);
  const tol = approx ? Math.max(approxTolerance(fa, fb, ctx), SYMBOLIC_TOL) : SYMBOLIC_TOL;
  if (names.length === 0) return false; // two different numeric facts (3 = 3 vs 2 = 2) are not compared
  let ratio: C.C | null = null;
  let agreed = 0;
  for (const env of testPoints(names, ctx.budget)) {
    const va = numeric(fa, env, ctx.budget);
    const vb = numeric(fb, env, ctx.budget);
    if (!C.isFiniteC(va) || !C.isFiniteC(vb)) continue;
    if (C.cabs(vb) < 1e-12 || C.cabs(va) < 1e-12) {
      if (C.cabs(vb) < 1e-12 && C.cabs(va) < 1e-12) continue;
      return false;
    }
    const r = C.cdiv(va, vb);
    if (ratio === null) {
      if (mode === "positive" && !(C.isReal(r) && r.re > 0)) return false;
      ratio = r;
    } else if (!close(r, ratio, tol * 10)) return false;
    agreed++;
  }
  return agreed >= 3;
}
