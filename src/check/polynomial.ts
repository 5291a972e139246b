/**
 * Univariate polynomials with exact rational coefficients, and the rational function of an
 * expression tree in one variable. This is what decides equation steps exactly: two
 * equations in x have the same solutions when the square-free parts of their numerators are
 * proportional, and one follows from the other when its solutions include the other's.
 * Every operation is bounded (degree, coefficient size via the rationals' cap): past a bound
 * the answer is null, and the caller leaves the step unchecked.
 */
import type { Node } from "../answers/ast.js";
import type { Budget } from "../answers/budget.js";
import * as R from "../answers/rational.js";

type Rat = R.Rat;

/** Coefficients from the constant term up, never with a zero leading coefficient ([] is 0). */
export type Poly = Rat[];

const MAX_DEGREE = 24;

function trim(p: Rat[]): Poly {
  let n = p.length;
  while (n > 0 && p[n - 1]!.n === 0n) n--;
  return n === p.length ? p : p.slice(0, n);
}

export const constant = (c: Rat): Poly => trim([c]);
export const degree = (p: Poly): number => p.length - 1;
export const isZero = (p: Poly): boolean => p.length === 0;

export function add(a: Poly, b: Poly): Poly | null {
  const out: Rat[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const s = R.add(a[i] ?? R.ZERO, b[i] ?? R.ZERO);
    if (!s) return null;
    out.push(s);
  }
  return trim(out);
}

export const neg = (a: Poly): Poly => a.map(R.neg);

export function sub(a: Poly, b: Poly): Poly | null {
  return add(a, neg(b));
}

export function mul(a: Poly, b: Poly): Poly | null {
  if (a.length === 0 || b.length === 0) return [];
  if (a.length + b.length - 2 > MAX_DEGREE) return null;
  const out: Rat[] = new Array(a.length + b.length - 1).fill(R.ZERO);
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const t = R.mul(a[i]!, b[j]!);
      const s = t && R.add(out[i + j]!, t);
      if (!s) return null;
      out[i + j] = s;
    }
  }
  return trim(out);
}

export function scale(a: Poly, c: Rat): Poly | null {
  const out: Rat[] = [];
  for (const x of a) {
    const v = R.mul(x, c);
    if (!v) return null;
    out.push(v);
  }
  return trim(out);
}

/** Quotient and remainder of a / b (b not zero). */
export function divmod(a: Poly, b: Poly): { q: Poly; r: Poly } | null {
  if (b.length === 0) return null;
  let r = [...a];
  const q: Rat[] = new Array(Math.max(0, a.length - b.length + 1)).fill(R.ZERO);
  const lead = b[b.length - 1]!;
  while (r.length >= b.length && r.length > 0) {
    const c = R.div(r[r.length - 1]!, lead);
    if (!c) return null;
    const shift = r.length - b.length;
    q[shift] = c;
    for (let i = 0; i < b.length; i++) {
      const t = R.mul(b[i]!, c);
      const s = t && R.sub(r[shift + i]!, t);
      if (!s) return null;
      r[shift + i] = s;
    }
    // the leading term cancels by construction (exact arithmetic)
    r = trim(r.slice(0, r.length - 1));
  }
  return { q: trim(q), r };
}

/** Divides by the leading coefficient (0 stays 0). */
export function monic(a: Poly): Poly | null {
  if (a.length === 0) return a;
  const lead = a[a.length - 1]!;
  return scale(a, R.div(R.ONE, lead)!);
}

export function gcd(a: Poly, b: Poly, budget: Budget): Poly | null {
  let x = a;
  let y = b;
  while (y.length > 0) {
    budget.tick();
    const d = divmod(x, y);
    if (!d) return null;
    x = y;
    y = d.r;
  }
  return monic(x);
}

export function derivative(a: Poly): Poly | null {
  const out: Rat[] = [];
  for (let i = 1; i < a.length; i++) {
    const v = R.mul(a[i]!, R.fromInt(i));
    if (!v) return null;
    out.push(v);
  }
  return trim(out);
}

/** The monic square-free part: the product of the distinct irreducible factors. */
export function squareFree(a: Poly, budget: Budget): Poly | null {
  if (a.length <= 2) return monic(a);
  const d = derivative(a);
  const g = d && gcd(a, d, budget);
  const q = g && divmod(a, g);
  return q ? monic(q.q) : null;
}

export function equal(a: Poly, b: Poly): boolean {
  return a.length === b.length && a.every((x, i) => R.eq(x, b[i]!));
}

/** Whether every root of a is a root of b (a not zero): the square-free part of a divides b. */
export function rootsWithin(a: Poly, b: Poly, budget: Budget): boolean | null {
  if (b.length === 0) return true; // 0 = 0 holds everywhere
  const s = squareFree(a, budget);
  const d = s && divmod(b, s);
  return d ? d.r.length === 0 : null;
}

export function evaluate(a: Poly, x: Rat): Rat | null {
  let acc: Rat | null = R.ZERO;
  for (let i = a.length - 1; i >= 0 && acc; i--) {
    const m = R.mul(acc, x);
    acc = m && R.add(m, a[i]!);
  }
  return acc;
}

/** A rational function num / den in one variable. */
export interface RatFn {
  num: Poly;
  den: Poly;
}

const ONE_POLY: Poly = [R.ONE];

/**
 * The rational function of a tree in the variable `x` with rational coefficients, or null when
 * the tree is something else (radicals, other symbols, functions, too high a degree).
 */
export function ratFn(node: Node, x: string, budget: Budget): RatFn | null {
  budget.tick();
  switch (node.k) {
    case "num":
      return { num: constant(node.v), den: ONE_POLY };
    case "sym":
      return node.name === x ? { num: [R.ZERO, R.ONE], den: ONE_POLY } : null;
    case "neg": {
      const a = ratFn(node.arg, x, budget);
      return a && { num: neg(a.num), den: a.den };
    }
    case "add": {
      let acc: RatFn | null = { num: [], den: ONE_POLY };
      for (const t of node.terms) {
        const v = ratFn(t, x, budget);
        if (!v || !acc) return null;
        acc = addFn(acc, v);
      }
      return acc;
    }
    case "mul": {
      let acc: RatFn | null = { num: ONE_POLY, den: ONE_POLY };
      for (const f of node.factors) {
        const v = ratFn(f, x, budget);
        if (!v || !acc) return null;
        acc = mulFn(acc, v);
      }
      return acc;
    }
    case "div": {
      const a = ratFn(node.num, x, budget);
      const b = a && ratFn(node.den, x, budget);
      if (!a || !b || b.num.length === 0) return null;
      return mulFn(a, { num: b.den, den: b.num });
    }
    case "pow": {
      const b = ratFn(node.base, x, budget);
      if (!b || node.exp.k !== "num" || node.exp.v.d !== 1n) return null;
      const k = node.exp.v.n;
      if (k < 0n || k > BigInt(MAX_DEGREE)) return null;
      let acc: RatFn | null = { num: ONE_POLY, den: ONE_POLY };
      for (let i = 0n; i < k && acc; i++) acc = mulFn(acc, b);
      return acc;
    }
    case "seq":
      return node.items.length === 1 && node.open === "(" ? ratFn(node.items[0]!, x, budget) : null;
    default:
      return null;
  }
}

function addFn(a: RatFn, b: RatFn): RatFn | null {
  if (equal(a.den, b.den)) {
    const n = add(a.num, b.num);
    return n && { num: n, den: a.den };
  }
  const l = mul(a.num, b.den);
  const r = mul(b.num, a.den);
  const n = l && r && add(l, r);
  const d = mul(a.den, b.den);
  return n && d ? { num: n, den: d } : null;
}

function mulFn(a: RatFn, b: RatFn): RatFn | null {
  const n = mul(a.num, b.num);
  const d = mul(a.den, b.den);
  return n && d ? { num: n, den: d } : null;
}

/** a - b as one rational function with the common factors of numerator and denominator cancelled. */
export function difference(a: RatFn, b: RatFn, budget: Budget): RatFn | null {
  const d = addFn(a, { num: neg(b.num), den: b.den });
  return d && reduce(d, budget);
}

export function reduce(f: RatFn, budget: Budget): RatFn | null {
  if (f.num.length === 0) return { num: [], den: ONE_POLY };
  const g = gcd(f.num, f.den, budget);
  if (!g) return null;
  const n = divmod(f.num, g);
  const d = divmod(f.den, g);
  if (!n || !d) return null;
  // a monic denominator: one spelling of each function
  const lead = d.q[d.q.length - 1]!;
  const inv = R.div(R.ONE, lead)!;
  const nn = scale(n.q, inv);
  const dd = scale(d.q, inv);
  return nn && dd ? { num: nn, den: dd } : null;
}

/** Whether the function is a constant (its value), else null. */
export function constantValue(f: RatFn): Rat | null {
  if (f.den.length !== 1 || f.num.length > 1) return null;
  return R.div(f.num[0] ?? R.ZERO, f.den[0]!);
}

export function sameFn(a: RatFn, b: RatFn): boolean | null {
  const l = mul(a.num, b.den);
  const r = mul(b.num, a.den);
  return l && r ? equal(l, r) : null;
}
