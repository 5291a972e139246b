/**
 * One link of a chain, a OP b: decided exactly when both sides are numbers (BigInt rationals;
 * radicals, pi and trig values numerically to 1e-9), with rounding allowed for decimals; and,
 * when the link claims an identity between expressions in the same variables, at random
 * points (and at whole numbers, so that identities that hold only for integers are not called
 * false). Anything else is unchecked.
 */
import { ARITHMETIC_KINDS, someNode, type Node, type NodeKind } from "../answers/ast.js";
import { Budget, BudgetExceeded } from "../answers/budget.js";
import * as C from "../answers/complex.js";
import { exact, hasApprox, numeric, variables } from "../answers/evaluate.js";
import { prng } from "../answers/compare.js";
import * as R from "../answers/rational.js";
import { approxLatex, m, ratFnLatex, ratLatex, varLatex } from "./latex.js";
import { difference, ratFn, reduce, sameFn } from "./polynomial.js";
import { isScalar, type Op, type Side } from "./read.js";

export type Verdict = "ok" | "error" | "unchecked";

export interface LinkResult {
  verdict: Verdict;
  reason: string;
  /** The link holds for every value of its variables (an identity), when it has variables. */
  identity?: boolean;
  /** An error because a rewriting is not an identity: the caller may still find it true under an earlier fact. */
  rewriting?: { a: Side; b: Side; names: string[] };
  /** For a false equality of two exact numbers: left minus right (a congruence may still hold). */
  gap?: R.Rat;
}

const LINK_BUDGET_MS = 30;
const EXACT_TOL = 1e-9;

const unchecked = (reason: string): LinkResult => ({ verdict: "unchecked", reason });

const OP_LATEX: Record<Op, string> = { "=": "=", "<": "<", "<=": "\\le", ">": ">", ">=": "\\ge", "!=": "\\ne", approx: "\\approx", other: "\\sim" };

export function linkLatex(a: Side, op: Op, b: Side): string {
  return `${a.text} ${OP_LATEX[op]} ${b.text}`;
}

/**
 * Checks a OP b. `claimsIdentity`: the link is a rewriting step of a chain (not its first
 * link), so a link in the same variables that is not an identity is an error.
 */
export function checkLink(a: Side, op: Op, b: Side, claimsIdentity: boolean): LinkResult {
  const asLetters = checkReading(a, op, b, claimsIdentity);
  if (!a.constants && !b.constants) return asLetters;
  // a bare e or i: also read as the constants; the link is fine when either reading holds
  const asConstants = checkReading(withConstants(a), op, withConstants(b), claimsIdentity);
  if (asLetters.verdict === "ok" || (asLetters.verdict === asConstants.verdict)) return asLetters;
  if (asConstants.verdict === "ok") return asConstants;
  return unchecked(asLetters.verdict === "error" ? "true or false depending on whether $e$ and $i$ are the constants or letters" : asLetters.reason);
}

function withConstants(s: Side): Side {
  if (!s.constants) return s;
  return { ...s, node: s.constants, vars: variables(s.constants) };
}

function checkReading(a: Side, op: Op, b: Side, claimsIdentity: boolean): LinkResult {
  if (op === "other") return unchecked("a relation the checker does not decide");
  if (!a.node || !b.node) return unchecked(`uses ${(a.node ? b.why : a.why) ?? "something the checker does not read"}`);
  if ((hasPm(a.node) || hasPm(b.node)) && !a.applies && !b.applies) return plusMinusLink(a, op, b);
  if (!isScalar(a.node) || !isScalar(b.node)) return unchecked("not a single value");
  if (a.applies || b.applies) return unchecked("uses the value of a function");
  try {
    if (a.vars.size === 0 && b.vars.size === 0) return numberLink(a, op, b);
    return variableLink(a, op, b, claimsIdentity);
  } catch (e) {
    if (e instanceof BudgetExceeded || e instanceof RangeError) return unchecked("too costly to evaluate");
    throw e;
  }
}

interface Value {
  exact: R.Rat | null;
  num: C.C;
}

function valueOf(n: Node, budget: Budget): Value {
  const e = exact(n, budget);
  return { exact: e, num: e ? C.c(R.toNumber(e)) : numeric(n, new Map(), budget) };
}

function shown(v: Value): string {
  return v.exact ? ratLatex(v.exact) : approxLatex(v.num.re);
}

/** "= 4" for a value that is a whole number up to rounding (log_2 16), "≈ 3.4641" otherwise. */
function isWhole(v: Value): boolean {
  const r = v.num.re;
  return v.exact !== null || (Math.abs(r) < 1e15 && Math.abs(r - Math.round(r)) <= 1e-9 * Math.max(1, Math.abs(r)));
}

/** The largest number of decimal places among the numbers written in a side. */
function decimals(text: string): number {
  let k = 0;
  for (const mm of text.matchAll(/\.(\d+)/g)) k = Math.max(k, mm[1]!.length);
  return k;
}

/** The kinds hasDegrees, hasIntegerFunctions and hasPm look inside: arithmetic and lists, not ±, relations or matrices. */
const SCALAR_LIST_KINDS: ReadonlySet<NodeKind> = new Set<NodeKind>([...ARITHMETIC_KINDS, "seq"]);

function hasDegrees(n: Node): boolean {
  return someNode(n, (m) => m.k === "deg", SCALAR_LIST_KINDS);
}

const hasPercent = (n: Node): boolean => n.k === "pct" || (n.k === "neg" && hasPercent(n.arg));
/** 12.5\% read as 12.5 (a top-level percent sign only). */
const dropPercent = (n: Node): Node => (n.k === "pct" ? n.arg : n.k === "neg" ? { k: "neg", arg: dropPercent(n.arg) } : n);

/** The tree with degree marks read as plain numbers (180° - 50° = 130 with the unit dropped). */
function dropDegrees(n: Node): Node {
  switch (n.k) {
    case "deg":
      return dropDegrees(n.arg);
    case "add":
      return { k: "add", terms: n.terms.map(dropDegrees) };
    case "mul":
      return { k: "mul", factors: n.factors.map(dropDegrees) };
    case "div":
      return { k: "div", num: dropDegrees(n.num), den: dropDegrees(n.den) };
    case "neg":
    case "pct":
      return { ...n, arg: dropDegrees(n.arg) };
    case "pow":
      return { k: "pow", base: dropDegrees(n.base), exp: dropDegrees(n.exp) };
    case "fn":
      return { k: "fn", name: n.name, args: n.args.map(dropDegrees) };
    case "seq":
      return { ...n, items: n.items.map(dropDegrees) };
    default:
      return n;
  }
}

type Comparison = "equal" | "rounded" | "near" | "different" | "unknown";

/** How a side is written: the decimal places it shows, and whether it is a bare number (3.14, -0.5). */
interface Written {
  places: number;
  literal: boolean;
}

function written(side: Side): Written {
  let n = side.node;
  if (n !== null && n.k === "neg") n = n.arg;
  // 19.2\% is a bare number with three places
  if (n !== null && n.k === "pct" && n.arg.k === "num") return { places: decimals(side.text) + 2, literal: true };
  return { places: decimals(side.text), literal: n !== null && n.k === "num" };
}

/** Decimal places a rational needs (Infinity when its expansion does not end: 1/3). */
function placesNeeded(r: R.Rat): number {
  let d = r.d;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    twos++;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives++;
  }
  return d === 1n ? Math.max(twos, fives) : Infinity;
}

/**
 * Whether two values are equal; with decimals written, whether one side is a rounding of the
 * other. Between exact values a rounding needs a bare decimal (0.33) against a value with more
 * places than it shows (1/3): 65 against 66, or 0.15 against 0.16, is not a rounding.
 */
function compareValues(x: Value, y: Value, wx: Written, wy: Written, approx: boolean): Comparison {
  if (x.exact && y.exact) {
    if (R.eq(x.exact, y.exact)) return "equal";
    if (!approx) return "different";
    const d = Math.abs(R.toNumber(R.sub(x.exact, y.exact)!));
    for (const [w, other] of [
      [wy, x.exact],
      [wx, y.exact],
    ] as [Written, R.Rat][]) {
      if (!w.literal || w.places === 0 || placesNeeded(other) <= w.places) continue;
      if (d < Math.pow(10, -w.places) * (1 - 1e-9)) return "rounded";
      if (d <= 0.05 * Math.abs(R.toNumber(other))) return "near";
    }
    return "different";
  }
  const a = x.num;
  const b = y.num;
  if (!C.isFiniteC(a) || !C.isFiniteC(b)) return "unknown";
  // a real number is not a non-real one (\sqrt{6^2 + (-9)^3} is imaginary)
  if (C.isReal(a) !== C.isReal(b)) return Math.abs(a.im - b.im) > 1e-6 * Math.max(1, C.cabs(a), C.cabs(b)) ? "different" : "unknown";
  if (!C.isReal(a) || !C.isReal(b)) return "unknown";
  const d = Math.abs(a.re - b.re);
  const scale = Math.max(Math.abs(a.re), Math.abs(b.re));
  if (d <= EXACT_TOL * scale || d < 1e-12) return "equal";
  if (!approx) return "different";
  const places = Math.max(wx.places, wy.places);
  if (d < Math.pow(10, -places) * (1 - 1e-9) || d <= 5e-4 * scale) return "rounded";
  if (d <= 0.05 * scale) return "near";
  return "different";
}

function numberLink(a: Side, op: Op, b: Side): LinkResult {
  const budget = Budget.forTimeoutMs(LINK_BUDGET_MS);
  const degrees = hasDegrees(a.node!) || hasDegrees(b.node!);
  const readings: [Node, Node][] = [[a.node!, b.node!]];
  if (degrees) readings.push([dropDegrees(a.node!), dropDegrees(b.node!)]);
  // 1/8 \times 100 = 12.5\%: a percentage written as its number on one side
  const percent = hasPercent(a.node!) !== hasPercent(b.node!);
  if (percent) readings.push([dropPercent(a.node!), dropPercent(b.node!)]);
  const approx = hasApprox(a.node!) || hasApprox(b.node!) || op === "approx";
  const link = m(linkLatex(a, op, b));
  const results: { x: Value; y: Value; c: Comparison }[] = [];
  for (const [na, nb] of readings) {
    const x = valueOf(na, budget);
    const y = valueOf(nb, budget);
    const c = compareValues(x, y, written(a), written(b), approx);
    results.push({ x, y, c });
    if (op === "=" || op === "approx") {
      if (c === "equal") return { verdict: "ok", reason: `${link}: both sides are ${m(shown(x))}` };
      if (c === "rounded") return { verdict: "ok", reason: `${link}: equal up to rounding (${m(shown(x))})` };
    } else if (op !== "other" && c !== "unknown") {
      const holds = orderHolds(x.num.re, op, y.num.re, c === "equal");
      if (holds !== null && (holds || !degrees)) return { verdict: holds ? "ok" : "error", reason: holds ? `${link} holds` : `${link} is false: ${m(`${a.text} = ${shown(x)}`)} and ${m(`${b.text} = ${shown(y)}`)}` };
    }
  }
  // with degrees, say the values in degrees unless a trig function reads them as an angle
  const { x, y, c } = degrees && !percent && !hasTrig(a.node!) && !hasTrig(b.node!) ? results[1]! : results[0]!;
  if (results.some((r) => r.c === "unknown")) return unchecked("a value the checker cannot compare (not a real number)");
  if (op === "approx") return unchecked(`${link}: not within 5%, but only an approximation is claimed`);
  if (op !== "=") return unchecked("cannot decide this comparison");
  if (c === "near") return unchecked(`${link}: ${m(shown(x))} against ${m(shown(y))}, a rounded value?`);
  // a conversion (1 hour = 60 minutes) has other units on each side; the same units must give the same number
  if ((a.unit || b.unit) && !sameUnits(a, b)) return unchecked(`${link}: the values differ, but so do the units (a conversion?)`);
  const value = (side: Side, v: Value) => m(`${side.text} ${isWhole(v) ? "=" : "\\approx"} ${v.exact ? shown(v) : isWhole(v) ? String(Math.round(v.num.re)) : shown(v)}`);
  const literal = (n: Node) => n.k === "num" || (n.k === "neg" && n.arg.k === "num");
  const la = literal(a.node!);
  const lb = literal(b.node!);
  const why = la && lb ? "" : la ? `: ${value(b, y)}` : lb ? `: ${value(a, x)}` : `: ${value(a, x)} and ${value(b, y)}`;
  const gap = x.exact && y.exact ? R.sub(x.exact, y.exact) : null;
  return { verdict: "error", reason: `${link} is false${why}`, ...(gap && { gap }) };
}

/** Looks inside arithmetic only, not lists, ±, relations or matrices. */
function hasTrig(n: Node): boolean {
  return someNode(n, (m) => m.k === "fn" && /^(arc)?(sin|cos|tan|sec|csc|cot)$/.test(m.name), ARITHMETIC_KINDS);
}

function sameUnits(a: Side, b: Side): boolean {
  return a.unit && b.unit && a.units.length > 0 && a.units.length === b.units.length && a.units.every((u, i) => u === b.units[i]);
}

function orderHolds(x: number, op: Op, y: number, equal: boolean): boolean | null {
  switch (op) {
    case "<":
      return !equal && x < y;
    case "<=":
      return equal || x < y;
    case ">":
      return !equal && x > y;
    case ">=":
      return equal || x > y;
    case "!=":
      return !equal;
    default:
      return null;
  }
}

const INTEGER_FUNCTIONS = new Set(["floor", "ceil", "fact", "binom", "sgn", "sign", "gcd", "lcm", "max", "min", "abs"]);

/** Functions whose identities may hold only for whole numbers or only on part of the line: never called false. */
function hasIntegerFunctions(n: Node): boolean {
  return someNode(n, (m) => m.k === "fn" && INTEGER_FUNCTIONS.has(m.name), SCALAR_LIST_KINDS);
}

const POINTS: number[][] = (() => {
  const rand = prng(0x51ed27);
  return Array.from({ length: 6 }, () => Array.from({ length: 32 }, () => 0.37 + 2.3 * rand()));
})();

type Agreement = "always" | "never" | "unknown";

/** Whether a and b agree at the sample points (positive reals, or whole numbers). */
function agreeAt(a: Node, b: Node, names: string[], points: number[][], budget: Budget): { agree: Agreement; at?: { env: Map<string, C.C>; x: C.C; y: C.C } } {
  let agreed = 0;
  for (const values of points) {
    const env = new Map<string, C.C>();
    names.forEach((n, j) => env.set(n, C.c(values[j % values.length]! + (j >= values.length ? 0.5 : 0))));
    const x = numeric(a, env, budget);
    const y = numeric(b, env, budget);
    if (!C.isFiniteC(x) || !C.isFiniteC(y)) continue;
    // a point where a root or a logarithm leaves the real numbers says nothing about the identity
    if (!realInside(a, env, budget) || !realInside(b, env, budget)) continue;
    const d = Math.hypot(x.re - y.re, x.im - y.im);
    if (d <= 1e-7 * Math.max(C.cabs(x), C.cabs(y)) || d < 1e-10) {
      agreed++;
      continue;
    }
    if (C.isReal(x) && C.isReal(y)) return { agree: "never", at: { env, x, y } };
  }
  return { agree: agreed >= 3 ? "always" : "unknown" };
}

/** Whether every root, logarithm and fractional power in the tree has a real value at env. */
function realInside(n: Node, env: Map<string, C.C>, budget: Budget): boolean {
  switch (n.k) {
    case "fn":
    case "pow": {
      const v = numeric(n, env, budget);
      if (!C.isFiniteC(v) || !C.isReal(v)) return false;
      return n.k === "fn" ? n.args.every((x) => realInside(x, env, budget)) : realInside(n.base, env, budget) && realInside(n.exp, env, budget);
    }
    case "add":
      return n.terms.every((x) => realInside(x, env, budget));
    case "mul":
      return n.factors.every((x) => realInside(x, env, budget));
    case "div":
      return realInside(n.num, env, budget) && realInside(n.den, env, budget);
    case "neg":
    case "pct":
    case "deg":
      return realInside(n.arg, env, budget);
    case "seq":
      return n.items.every((x) => realInside(x, env, budget));
    default:
      return true;
  }
}

/** The value of a tree that does not depend on its variables (the same, and real, at every sample point), else null. */
function constantOver(n: Node, names: string[], budget: Budget): number | null {
  let value: number | null = null;
  for (const values of [...POINTS, ...WHOLE]) {
    const env = new Map<string, C.C>();
    names.forEach((name, j) => env.set(name, C.c(values[j % values.length]!)));
    const v = numeric(n, env, budget);
    if (!C.isFiniteC(v) || !C.isReal(v) || !realInside(n, env, budget)) return null;
    if (value === null) value = v.re;
    else if (Math.abs(v.re - value) > 1e-9 * Math.max(1, Math.abs(value))) return null;
  }
  return value;
}

const NEGATIVE: number[][] = POINTS.map((p) => p.map((v) => -v));

/** Whether a ± or ∓ occurs in the tree. */
export function hasPm(n: Node): boolean {
  return someNode(n, (m) => m.k === "pm", SCALAR_LIST_KINDS);
}

const MAX_BRANCHES = 4;

/** The values a tree with ± stands for: every choice of signs (at most MAX_BRANCHES), or null. */
export function branches(n: Node): Node[] | null {
  const many = (parts: Node[], make: (xs: Node[]) => Node): Node[] | null => {
    let acc: Node[][] = [[]];
    for (const p of parts) {
      const bs = branches(p);
      if (!bs) return null;
      acc = acc.flatMap((xs) => bs.map((b) => [...xs, b]));
      if (acc.length > MAX_BRANCHES) return null;
    }
    return acc.map(make);
  };
  switch (n.k) {
    case "pm": {
      const right = branches(n.right);
      const left = n.left ? branches(n.left) : [null];
      if (!right || !left) return null;
      const out: Node[] = [];
      for (const l of left) {
        for (const r of right) {
          const plus: Node = l ? { k: "add", terms: [l, r] } : r;
          const minus: Node = l ? { k: "add", terms: [l, { k: "neg", arg: r }] } : { k: "neg", arg: r };
          out.push(plus, minus);
        }
      }
      return out.length > MAX_BRANCHES ? null : out;
    }
    case "add":
      return many(n.terms, (terms) => ({ k: "add", terms }));
    case "mul":
      return many(n.factors, (factors) => ({ k: "mul", factors }));
    case "div":
      return many([n.num, n.den], ([num, den]) => ({ k: "div", num: num!, den: den! }));
    case "neg":
      return many([n.arg], ([arg]) => ({ k: "neg", arg: arg! }));
    case "pow":
      return many([n.base, n.exp], ([base, exp]) => ({ k: "pow", base: base!, exp: exp! }));
    case "fn":
      return many(n.args, (args) => ({ k: "fn", name: n.name, args }));
    case "seq":
      return n.open === "(" && n.items.length === 1 ? branches(n.items[0]!) : null;
    default:
      return isScalar(n) ? [n] : null;
  }
}

/** a = b where a side has ±: the two sides must stand for the same values (numbers only). */
function plusMinusLink(a: Side, op: Op, b: Side): LinkResult {
  if (op !== "=" || a.vars.size > 0 || b.vars.size > 0) return unchecked("a ± with variables");
  const xs = branches(a.node!);
  const ys = branches(b.node!);
  if (!xs || !ys) return unchecked("too many ± signs");
  const budget = Budget.forTimeoutMs(LINK_BUDGET_MS);
  const vx = xs.map((n) => valueOf(n, budget));
  const vy = ys.map((n) => valueOf(n, budget));
  const approx = hasApprox(a.node!) || hasApprox(b.node!);
  const same = (p: Value, q: Value) => {
    const c = compareValues(p, q, written(a), written(b), approx);
    return c === "equal" || c === "rounded";
  };
  const unknown = [...vx, ...vy].some((v) => !C.isFiniteC(v.num) || !C.isReal(v.num));
  if (unknown) return unchecked("a value the checker cannot compare (not a real number)");
  const covered = (from: Value[], to: Value[]) => from.every((p) => to.some((q) => same(p, q)));
  const link = m(linkLatex(a, op, b));
  const list = (vs: Value[]) => [...new Set(vs.map(shown))].join(", ");
  if (covered(vx, vy) && covered(vy, vx)) return { verdict: "ok", reason: `${link}: both sides are ${m(list(vx))}` };
  if (vx.length !== vy.length || approx || a.unit || b.unit) return unchecked(`${link}: the sides stand for different numbers of values`);
  return { verdict: "error", reason: `${link} is false: the left side is ${m(list(vx))} and the right side is ${m(list(vy))}` };
}

const WHOLE: number[][] = [1, 2, 3, 4, 5, 7].map((k) => Array.from({ length: 32 }, (_, j) => k + j));

function variableLink(a: Side, op: Op, b: Side, claimsIdentity: boolean): LinkResult {
  const budget = Budget.forTimeoutMs(LINK_BUDGET_MS);
  const names = [...new Set([...a.vars, ...b.vars])].sort();
  const link = m(linkLatex(a, op, b));
  if (op !== "=") return unchecked("an inequality with variables");
  const real = agreeAt(a.node!, b.node!, names, POINTS, budget);
  if (real.agree === "always") return { verdict: "ok", reason: `${link} holds for every value of ${names.map((v) => m(varLatex(v))).join(", ")}`, identity: true };
  const sameVars = a.vars.size === b.vars.size && [...a.vars].every((v) => b.vars.has(v));
  // a side whose variables cancel (6r + 24 - 6r) is a number: a chain may not change it
  if (claimsIdentity && (a.vars.size === 0 || b.vars.size === 0) && !hasApprox(a.node!) && !hasApprox(b.node!) && !hasIntegerFunctions(a.node!) && !hasIntegerFunctions(b.node!)) {
    const [withVars, plain] = a.vars.size > 0 ? [a, b] : [b, a];
    const v = constantOver(withVars.node!, names, budget);
    const p = numeric(plain.node!, new Map(), budget);
    if (v !== null && C.isFiniteC(p) && C.isReal(p) && Math.abs(v - p.re) > 1e-9 * Math.max(1, Math.abs(v), Math.abs(p.re))) {
      return { verdict: "error", reason: `${link} is false: the variables of ${m(withVars.text)} cancel, and it is ${m(approxLatex(v))}` };
    }
  }
  // rounded values (1.4903 \times 10^6 m^{-1}) are not exact identities, and not claimed to be
  const rounded = hasApprox(a.node!) || hasApprox(b.node!);
  if (!claimsIdentity || !sameVars || rounded || real.agree === "unknown" || hasIntegerFunctions(a.node!) || hasIntegerFunctions(b.node!)) {
    return unchecked("an equation in " + names.map((v) => m(varLatex(v))).join(", "));
  }
  const whole = agreeAt(a.node!, b.node!, names, WHOLE, budget);
  if (whole.agree !== "never") return unchecked(`${link} holds at whole numbers, not at every real value`);
  // an identity that holds for negative values (\sqrt{x^2} = -x when x < 0) depends on a sign the solution knows
  const negative = agreeAt(a.node!, b.node!, names, NEGATIVE, budget);
  if (negative.agree === "always") return unchecked(`${link} holds for negative values only`);
  return { verdict: "error", reason: `${link} is not true for every ${names.map((v) => m(varLatex(v))).join(", ")}: ${explainIdentity(a, b, names, whole.at!, budget)}`, rewriting: { a, b, names } };
}

/** Why a rewriting is wrong: the expanded form of the left side in one variable, or values at a point. */
function explainIdentity(a: Side, b: Side, names: string[], at: { env: Map<string, C.C>; x: C.C; y: C.C }, budget: Budget): string {
  if (names.length === 1) {
    const x = names[0]!;
    const fa = ratFn(a.node!, x, budget);
    const fb = fa && ratFn(b.node!, x, budget);
    const ra = fa && reduce(fa, budget);
    const d = fa && fb && difference(fa, fb, budget);
    if (ra && d && d.num.length > 0 && sameFn(ra, fa) !== null) {
      const expanded = ratFnLatex(ra, x);
      if (expanded.replace(/\s/g, "") !== a.text.replace(/\s/g, "")) return `${m(a.text)} is ${m(expanded)}`;
    }
  }
  const point = names.map((v) => `${varLatex(v)} = ${approxLatex(at.env.get(v)!.re)}`).join(", ");
  return `at ${m(point)} the left side is ${m(approxLatex(at.x.re))} and the right side is ${m(approxLatex(at.y.re))}`;
}
