/**
 * Values too large or too small for a double (e^{1000}, 3^{100000}, 10^{10^{10}}, e^{-1000})
 * are compared by the logarithm of their size, never by the infinity or zero a double turns
 * them into. magnitude() evaluates ln|x| (with a bound on its rounding error) and the sign of
 * a tree; compareBig() decides "equal", "different" or "undecided" (when the sizes agree to
 * within what the logarithms can tell apart, and the values may still differ: 2^{2^{20}}
 * against 2^{2^{20}} + 1).
 */
import type { Node } from "./ast.js";
import type { Budget } from "./budget.js";
import * as C from "./complex.js";
import { exact, numeric } from "./evaluate.js";
import type { Rat } from "./rational.js";

export interface Magnitude {
  /** -1, 0 or 1. */
  sign: number;
  /** ln |x| (unused when sign is 0). */
  ln: number;
  /** A bound on the error of ln. */
  err: number;
}

/** Relative rounding error allowed per operation on a logarithm. */
const EPS = 4e-16;
const LN10 = Math.LN10;
const ZERO: Magnitude = { sign: 0, ln: -Infinity, err: 0 };

/** Whether a double is outside the range where it carries a value's size (overflow, underflow, NaN). */
export function outOfRange(v: C.C): boolean {
  const m = C.cabs(v);
  return !Number.isFinite(m) || m > 1e300 || (m !== 0 && m < 1e-300) || Number.isNaN(m);
}

function ln10Big(x: bigint): number {
  const s = (x < 0n ? -x : x).toString();
  if (s.length <= 15) return Math.log(Number(s));
  return Math.log(Number(s.slice(0, 15))) + (s.length - 15) * LN10;
}

function ofRat(r: Rat): Magnitude {
  if (r.n === 0n) return ZERO;
  const ln = ln10Big(r.n) - ln10Big(r.d);
  return { sign: r.n < 0n ? -1 : 1, ln, err: EPS * (Math.abs(ln) + 1) };
}

function ofNumber(x: number): Magnitude | null {
  if (!Number.isFinite(x)) return null;
  if (x === 0) return ZERO;
  const ln = Math.log(Math.abs(x));
  return { sign: Math.sign(x), ln, err: EPS * (Math.abs(ln) + 1) };
}

/** A real value of a tree that is an ordinary double (the exponents of big powers), or null. */
function realValue(n: Node, env: Map<string, C.C>, budget: Budget): number | null {
  const v = numeric(n, env, budget);
  return C.isFiniteC(v) && C.isReal(v) ? v.re : null;
}

/** ln|x| and the sign of a real tree, or null when it is not known (complex, undefined, cancelling sums). */
export function magnitude(n: Node, env: Map<string, C.C>, budget: Budget): Magnitude | null {
  budget.tick();
  switch (n.k) {
    case "num":
      return ofRat(n.v);
    case "const":
      return n.name === "pi" ? ofNumber(Math.PI) : n.name === "e" ? { sign: 1, ln: 1, err: 0 } : null;
    case "sym": {
      const v = env.get(n.name);
      return v && v.im === 0 ? ofNumber(v.re) : null;
    }
    case "neg": {
      const a = magnitude(n.arg, env, budget);
      return a && { ...a, sign: -a.sign };
    }
    case "pct": {
      const a = magnitude(n.arg, env, budget);
      return a && { ...a, ln: a.ln - 2 * LN10, err: a.err + EPS * 5 };
    }
    case "mul":
    case "div": {
      const parts = n.k === "mul" ? n.factors.map((f) => [f, 1] as const) : ([[n.num, 1], [n.den, -1]] as const);
      let sign = 1;
      let ln = 0;
      let err = 0;
      for (const [f, power] of parts) {
        const m = magnitude(f, env, budget);
        if (!m) return null;
        if (m.sign === 0) return power === 1 ? ZERO : null; // a zero divisor: undefined
        sign *= m.sign;
        ln += power * m.ln;
        err += m.err + EPS * Math.abs(ln);
      }
      return { sign, ln, err };
    }
    case "add":
      return sum(n.terms, env, budget);
    case "pow":
      return power(n.base, n.exp, env, budget);
    case "fn":
      return fnMagnitude(n.name, n.args, env, budget);
    default:
      return null;
  }
}

function sum(terms: Node[], env: Map<string, C.C>, budget: Budget): Magnitude | null {
  const ms: Magnitude[] = [];
  for (const t of terms) {
    const m = magnitude(t, env, budget);
    if (!m) return null;
    if (m.sign !== 0) ms.push(m);
  }
  if (ms.length === 0) return ZERO;
  const top = Math.max(...ms.map((m) => m.ln));
  let s = 0;
  let total = 0;
  let err = 0;
  for (const m of ms) {
    const w = Math.exp(m.ln - top);
    s += m.sign * w;
    total += w;
    err = Math.max(err, m.err);
  }
  // cancellation: the sum is too small next to its terms to know its size
  if (Math.abs(s) < 1e-6 * total) return null;
  return { sign: Math.sign(s), ln: top + Math.log(Math.abs(s)), err: err + (EPS * 4 * total) / Math.abs(s) + EPS * Math.abs(top) };
}

function power(base: Node, exp: Node, env: Map<string, C.C>, budget: Budget): Magnitude | null {
  const b = magnitude(base, env, budget);
  if (!b) return null;
  // the exponent: a double (10^{10} as an exponent is fine), or its own magnitude when it is huge
  let e = realValue(exp, env, budget);
  let eErr = e === null ? 0 : EPS * Math.abs(e);
  if (e === null || !Number.isFinite(e)) {
    const em = magnitude(exp, env, budget);
    if (!em || em.ln > 700) return null;
    e = em.sign * Math.exp(em.ln);
    eErr = Math.abs(e) * (em.err + EPS);
  }
  if (b.sign === 0) return e > 0 ? ZERO : null;
  let sign = 1;
  if (b.sign < 0) {
    const k = exact(exp, budget);
    if (!k || k.d !== 1n) return null; // a negative base to a non-integer power
    sign = k.n % 2n === 0n ? 1 : -1;
  }
  const ln = e * b.ln;
  return { sign, ln, err: Math.abs(e) * b.err + Math.abs(b.ln) * eErr + EPS * Math.abs(ln) };
}

function fnMagnitude(name: string, args: Node[], env: Map<string, C.C>, budget: Budget): Magnitude | null {
  const x = args[0];
  if (!x) return null;
  switch (name) {
    case "sqrt":
    case "root": {
      const m = magnitude(x, env, budget);
      const k = name === "sqrt" ? 2 : args[1] ? realValue(args[1], env, budget) : null;
      if (!m || k === null || !Number.isInteger(k) || k <= 0) return null;
      if (m.sign < 0 && k % 2 === 0) return null;
      return { sign: m.sign, ln: m.ln / k, err: m.err / k + EPS };
    }
    case "exp": {
      const v = realValue(x, env, budget);
      if (v !== null) return { sign: 1, ln: v, err: EPS * (Math.abs(v) + 1) };
      return null;
    }
    case "ln":
    case "log": {
      // log_b x = ln|x| / ln b: finite even when x is not (\log_{36} 36^{216})
      const m = magnitude(x, env, budget);
      const base = args[1] ? realValue(args[1], env, budget) : Math.E;
      if (!m || m.sign <= 0 || base === null || !(base > 0) || base === 1) return null;
      const v = m.ln / Math.log(base);
      const r = ofNumber(v);
      return r && { ...r, err: r.err + m.err / Math.abs(Math.log(base)) };
    }
    case "abs": {
      const m = magnitude(x, env, budget);
      return m && { ...m, sign: Math.abs(m.sign) };
    }
    case "fact": {
      const v = realValue(x, env, budget);
      if (v === null || !Number.isInteger(v) || v < 0 || v > 1e15) return null;
      return { sign: 1, ln: lnFactorial(v), err: EPS * 16 * (lnFactorial(v) + 1) };
    }
    default:
      return null;
  }
}

/** ln(n!) exactly summed up to 170, by Stirling's series above (error far below a double's). */
function lnFactorial(n: number): number {
  if (n <= 170) {
    let r = 1;
    for (let k = 2; k <= n; k++) r *= k;
    return Math.log(r);
  }
  const m = n + 1;
  return (m - 0.5) * Math.log(m) - m + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * m) - 1 / (360 * m ** 3);
}

/** Whether a tree's value is rational whenever defined: no constants, roots or transcendental functions. */
export function rationalValued(n: Node, budget: Budget): boolean {
  switch (n.k) {
    case "num":
      return true;
    case "neg":
    case "pct":
      return rationalValued(n.arg, budget);
    case "add":
      return n.terms.every((t) => rationalValued(t, budget));
    case "mul":
      return n.factors.every((t) => rationalValued(t, budget));
    case "div":
      return rationalValued(n.num, budget) && rationalValued(n.den, budget);
    case "pow": {
      const e = exact(n.exp, budget);
      return e !== null && e.d === 1n && rationalValued(n.base, budget);
    }
    case "fn":
      return ["fact", "binom", "abs", "floor", "ceil"].includes(n.name) && n.args.every((t) => rationalValued(t, budget));
    default:
      return false;
  }
}

/** "unknown": a size could not be evaluated (an infinity, an undefined or unsupported part). */
export type BigVerdict = "equal" | "different" | "undecided" | "unknown";

/**
 * Compares a and b (real values, at least one out of a double's range) by sign and
 * logarithm: different when the logarithms differ by more than their error and the
 * relative tolerance; equal when they agree that closely and a value may be irrational
 * (the tolerance of exact irrational forms); undecided otherwise.
 */
export function compareBig(a: Node, b: Node, env: Map<string, C.C>, tol: number, budget: Budget): BigVerdict {
  const ma = magnitude(a, env, budget);
  const mb = ma && magnitude(b, env, budget);
  if (!ma || !mb) return "unknown";
  if (ma.sign !== mb.sign) return "different";
  if (ma.sign === 0) return "equal";
  const gap = Math.abs(ma.ln - mb.ln);
  const err = ma.err + mb.err;
  if (gap - err > tol) return "different";
  const exactValues = env.size === 0 && rationalValued(a, budget) && rationalValued(b, budget);
  if (exactValues) return gap > err ? "different" : "undecided";
  return gap + err <= tol ? "equal" : "undecided";
}
