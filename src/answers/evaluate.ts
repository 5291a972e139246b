/**
 * Evaluation of expression trees: exactly, as a BigInt rational, when the tree is
 * arithmetic on numbers; numerically, as a complex double, with values for the free
 * variables, otherwise.
 */
import { ARITHMETIC_KINDS, someNode, type Node, type NodeKind } from "./ast.js";
import type { Budget } from "./budget.js";
import * as C from "./complex.js";
import { ParseError } from "./parser.js";
import * as R from "./rational.js";

type Rat = R.Rat;

/** Exact value of a variable-free arithmetic tree, or null when it is not rational or too large. */
export function exact(node: Node, budget: Budget): Rat | null {
  budget.tick();
  switch (node.k) {
    case "num":
      return node.v;
    case "neg": {
      const a = exact(node.arg, budget);
      return a ? R.neg(a) : null;
    }
    case "add": {
      let acc: Rat | null = R.ZERO;
      for (const t of node.terms) {
        const v = exact(t, budget);
        if (!v || !acc) return null;
        acc = R.add(acc, v);
      }
      return acc;
    }
    case "mul": {
      let acc: Rat | null = R.ONE;
      for (const f of node.factors) {
        const v = exact(f, budget);
        if (!v || !acc) return null;
        acc = R.mul(acc, v);
      }
      return acc;
    }
    case "div": {
      const a = exact(node.num, budget);
      const b = a && exact(node.den, budget);
      return a && b ? R.div(a, b) : null;
    }
    case "pow": {
      const b = exact(node.base, budget);
      const e = b && exact(node.exp, budget);
      if (!b || !e) return null;
      if (R.isInt(e)) return R.powInt(b, e.n);
      // rational exponent: exact when the root is exact (8^{2/3} = 4)
      if (e.d <= 64n) {
        const root = R.rootRat(b, Number(e.d));
        return root ? R.powInt(root, e.n) : null;
      }
      return null;
    }
    case "pct": {
      const a = exact(node.arg, budget);
      return a ? R.div(a, R.fromInt(100)) : null;
    }
    case "fn": {
      const args: Rat[] = [];
      for (const a of node.args) {
        const v = exact(a, budget);
        if (!v) return null;
        args.push(v);
      }
      return exactFn(node.name, args);
    }
    default:
      return null;
  }
}

function exactFn(name: string, a: Rat[]): Rat | null {
  // The parser gives every function at least one argument except gcd, lcm, max and min, whose
  // list may be empty (\gcd()); x is read only by the others.
  const x = a[0]!;
  switch (name) {
    case "sqrt":
      return R.rootRat(x, 2);
    case "root": {
      if (a.length !== 2) return null;
      const n = a[1]!;
      return R.isInt(n) && n.n > 0n && n.n <= 64n ? R.rootRat(x, Number(n.n)) : null;
    }
    case "abs":
      return x.n < 0n ? R.neg(x) : x;
    case "floor":
    case "ceil": {
      let q = x.n / x.d;
      if (x.n < 0n && q * x.d !== x.n) q -= 1n; // floor toward -infinity
      if (name === "ceil" && q * x.d !== x.n) q += 1n;
      return R.fromInt(q);
    }
    case "fact": {
      if (!R.isInt(x) || x.n < 0n || x.n > 300n) return null;
      let r = 1n;
      for (let k = 2n; k <= x.n; k++) r *= k;
      return R.fromInt(r);
    }
    case "binom": {
      const k = a[1];
      if (!k || !R.isInt(x) || !R.isInt(k) || k.n < 0n || x.n < 0n || x.n > 2000n) return null;
      if (k.n > x.n) return R.ZERO;
      let r = 1n;
      for (let j = 0n; j < k.n; j++) r = (r * (x.n - j)) / (j + 1n);
      return R.fromInt(r);
    }
    case "gcd":
    case "lcm": {
      if (!a.every(R.isInt)) return null;
      const first = a[0];
      if (first === undefined) throw new ParseError(`\\${name}() without arguments`);
      let g = first.n;
      for (const v of a.slice(1)) g = name === "gcd" ? R.gcd(g, v.n) : (g * v.n) / (R.gcd(g, v.n) || 1n);
      return R.fromInt(g < 0n ? -g : g);
    }
    case "max":
    case "min": {
      let best = a[0];
      if (best === undefined) return null; // \max()
      for (const v of a.slice(1)) {
        const d = R.sub(v, best);
        if (!d) return null;
        if (name === "max" ? d.n > 0n : d.n < 0n) best = v;
      }
      return best;
    }
    default:
      return null;
  }
}

const NAN: C.C = { re: NaN, im: NaN };
const DEG = Math.PI / 180;

/** Numeric value of a scalar tree with the given variable values (NaN for non-scalar trees). */
export function numeric(node: Node, env: Map<string, C.C>, budget: Budget): C.C {
  budget.tick();
  switch (node.k) {
    case "num":
      return { re: R.toNumber(node.v), im: 0 };
    case "sym":
      return env.get(node.name) ?? NAN;
    case "const":
      switch (node.name) {
        case "pi":
          return { re: Math.PI, im: 0 };
        case "e":
          return { re: Math.E, im: 0 };
        case "i":
          return { re: 0, im: 1 };
        case "inf":
          return { re: Infinity, im: 0 };
      }
      return NAN;
    case "neg": {
      const a = numeric(node.arg, env, budget);
      return { re: -a.re, im: a.im === 0 ? 0 : -a.im };
    }
    case "add": {
      let acc: C.C = { re: 0, im: 0 };
      for (const t of node.terms) acc = C.cadd(acc, numeric(t, env, budget));
      return acc;
    }
    case "mul": {
      let acc: C.C = { re: 1, im: 0 };
      for (const f of node.factors) acc = C.cmul(acc, numeric(f, env, budget));
      return acc;
    }
    case "div":
      return C.cdiv(numeric(node.num, env, budget), numeric(node.den, env, budget));
    case "pow": {
      const b = numeric(node.base, env, budget);
      const e = numeric(node.exp, env, budget);
      // real odd roots of negatives: (-8)^{1/3} = -2, (-8)^{2/3} = 4 (the sign of (-1)^p for p/q, q odd)
      if (b.im === 0 && e.im === 0 && b.re < 0 && !Number.isInteger(e.re)) {
        const q = exactRational(node.exp, budget);
        if (q !== null && q.d % 2n === 1n) return { re: (q.n % 2n === 0n ? 1 : -1) * Math.pow(-b.re, e.re), im: 0 };
      }
      return C.cpow(b, e);
    }
    case "pct": {
      const a = numeric(node.arg, env, budget);
      return { re: a.re / 100, im: a.im / 100 };
    }
    case "deg": {
      const a = numeric(node.arg, env, budget);
      return { re: a.re * DEG, im: a.im * DEG };
    }
    case "fn":
      return numericFn(node.name, node.args.map((a) => numeric(a, env, budget)));
    case "seq":
      // a parenthesised single value is just that value
      return node.items.length === 1 && node.open !== "{" ? numeric(node.items[0]!, env, budget) : NAN;
    default:
      return NAN;
  }
}

/** The exact value of a variable-free exponent with a small denominator, or null. */
function exactRational(n: Node, budget: Budget): Rat | null {
  if (variables(n).size > 0) return null;
  const v = exact(n, budget);
  return v && v.d < 1000n ? v : null;
}

function numericFn(name: string, a: C.C[]): C.C {
  const x = a[0] ?? NAN;
  switch (name) {
    case "sqrt":
      return C.csqrt(x);
    case "root":
      return a[1] && a[1].im === 0 ? C.croot(x, a[1].re) : NAN;
    case "sin":
      return C.csin(x);
    case "cos":
      return C.ccos(x);
    case "tan":
      return C.ctan(x);
    case "sec":
      return C.cdiv(C.c(1), C.ccos(x));
    case "csc":
      return C.cdiv(C.c(1), C.csin(x));
    case "cot":
      return C.cdiv(C.ccos(x), C.csin(x));
    case "arcsin":
      return C.realOnly(x, Math.asin);
    case "arccos":
      return C.realOnly(x, Math.acos);
    case "arctan":
      return C.realOnly(x, Math.atan);
    case "arccot":
      return C.realOnly(x, (v) => Math.atan(1 / v));
    case "arcsec":
      return C.realOnly(x, (v) => Math.acos(1 / v));
    case "arccsc":
      return C.realOnly(x, (v) => Math.asin(1 / v));
    case "sinh":
      return C.realOnly(x, Math.sinh);
    case "cosh":
      return C.realOnly(x, Math.cosh);
    case "tanh":
      return C.realOnly(x, Math.tanh);
    case "ln":
      return C.clog(x);
    case "log":
      return a.length > 1 ? C.cdiv(C.clog(x), C.clog(a[1]!)) : C.clog(x);
    case "exp":
      return C.cexp(x);
    case "abs":
      return { re: C.cabs(x), im: 0 };
    case "floor":
      return C.realOnly(x, Math.floor);
    case "ceil":
      return C.realOnly(x, Math.ceil);
    case "sgn":
    case "sign":
      return C.realOnly(x, Math.sign);
    case "fact":
      // past 170! a double overflows: Infinity, compared by size (big-values.ts)
      return C.realOnly(x, (v) => (Number.isInteger(v) && v >= 0 ? (v <= 170 ? factorial(v) : Infinity) : NaN));
    case "binom": {
      const k = a[1] ?? NAN;
      if (!C.isReal(x) || !C.isReal(k) || !Number.isInteger(k.re) || k.re < 0 || k.re > 1000) return NAN;
      let r = 1;
      for (let j = 0; j < k.re; j++) r = (r * (x.re - j)) / (j + 1);
      return { re: r, im: 0 };
    }
    case "max":
    case "min":
      if (!a.every((v) => C.isReal(v))) return NAN;
      return { re: name === "max" ? Math.max(...a.map((v) => v.re)) : Math.min(...a.map((v) => v.re)), im: 0 };
    default:
      return NAN;
  }
}

function factorial(n: number): number {
  let r = 1;
  for (let k = 2; k <= n; k++) r *= k;
  return r;
}

/** Names of the free variables of a tree. */
export function variables(node: Node, out: Set<string> = new Set()): Set<string> {
  switch (node.k) {
    case "sym":
      out.add(node.name);
      break;
    case "add":
      node.terms.forEach((t) => variables(t, out));
      break;
    case "mul":
      node.factors.forEach((t) => variables(t, out));
      break;
    case "div":
      variables(node.num, out);
      variables(node.den, out);
      break;
    case "neg":
    case "pct":
    case "deg":
      variables(node.arg, out);
      break;
    case "pow":
      variables(node.base, out);
      variables(node.exp, out);
      break;
    case "fn":
      node.args.forEach((t) => variables(t, out));
      break;
    case "pm":
      if (node.left) variables(node.left, out);
      variables(node.right, out);
      break;
    case "rel":
    case "ratio":
    case "setop":
      node.parts.forEach((t) => variables(t, out));
      break;
    case "seq":
      node.items.forEach((t) => variables(t, out));
      break;
    case "matrix":
      node.rows.forEach((r) => r.forEach((t) => variables(t, out)));
      break;
    default:
      break;
  }
  return out;
}

/** The kinds hasApprox looks inside: arithmetic and lists, not ±, relations or matrices. */
const APPROX_SCOPE: ReadonlySet<NodeKind> = new Set<NodeKind>([...ARITHMETIC_KINDS, "seq"]);

/** Whether the tree contains a decimal literal (a rounded value, compared with tolerance). */
export function hasApprox(node: Node): boolean {
  return someNode(node, (m) => m.k === "num" && m.approx, APPROX_SCOPE);
}
