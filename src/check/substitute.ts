/**
 * A chain link that substitutes a value the solution has just found: "$x = 3$, so
 * $2x + 1 = 2(3) + 1 = 7$" (the two sides have the same shape, numbers where the variables were). With the value of each variable (the latest x = c, a single value,
 * a few statements back, no new case since), both sides are evaluated: the same number is ok, a
 * different one is an error that names the value used. A side that is a bare variable is a
 * (re)definition, not a substitution, and is never judged this way.
 */
import type { Node } from "../answers/ast.js";
import { Budget, BudgetExceeded } from "../answers/budget.js";
import * as C from "../answers/complex.js";
import { exact, numeric } from "../answers/evaluate.js";
import * as R from "../answers/rational.js";
import { approxLatex, m, ratLatex, varLatex } from "./latex.js";
import type { LinkResult } from "./links.js";
import { isScalar, type Side } from "./read.js";

export interface KnownValue {
  value: R.Rat;
  /** The statement that gave it. */
  index: number;
  end: number;
}

/** The link a = b checked with the known values of its variables, or null when they do not cover it. */
export function withKnownValues(a: Side, b: Side, known: Map<string, KnownValue>): LinkResult | null {
  if (!a.node || !b.node || a.applies || b.applies || !isScalar(a.node) || !isScalar(b.node)) return null;
  if (a.node.k === "sym" || b.node.k === "sym") return null;
  // a substitution keeps the expression's shape (2x + 1 and 2(3) + 1): 0 = x^2 + 9x + 20 is an equation
  if (shape(a.node) !== shape(b.node)) return null;
  const names = [...new Set([...a.vars, ...b.vars])];
  if (names.length === 0 || !names.every((v) => known.has(v))) return null;
  try {
    const budget = Budget.forTimeoutMs(20);
    const value = (n: Node) => {
      const e = exactWith(n, known, budget);
      if (e) return { exact: e, num: R.toNumber(e) };
      const env = new Map(names.map((v) => [v, C.c(R.toNumber(known.get(v)!.value))]));
      const c = numeric(n, env, budget);
      return C.isFiniteC(c) && C.isReal(c) ? { exact: null, num: c.re } : null;
    };
    const x = value(a.node);
    const y = value(b.node);
    if (!x || !y) return null;
    const given = names.map((v) => `${varLatex(v)} = ${ratLatex(known.get(v)!.value)}`).join(", ");
    const same = x.exact && y.exact ? R.eq(x.exact, y.exact) : Math.abs(x.num - y.num) <= 1e-9 * Math.max(1, Math.abs(x.num), Math.abs(y.num));
    const show = (v: { exact: R.Rat | null; num: number }) => (v.exact ? ratLatex(v.exact) : approxLatex(v.num));
    if (same) return { verdict: "ok", reason: `with ${m(given)}, both sides are ${m(show(x))}` };
    return { verdict: "error", reason: `with ${m(given)}, ${m(a.text)} is ${m(show(x))} but ${m(b.text)} is ${m(show(y))}` };
  } catch (e) {
    if (e instanceof BudgetExceeded || e instanceof RangeError) return null;
    throw e;
  }
}

/** The exact value of a tree with its variables replaced by known rationals. */
function exactWith(n: Node, known: Map<string, KnownValue>, budget: Budget): R.Rat | null {
  return exact(replace(n, known), budget);
}

function replace(n: Node, known: Map<string, KnownValue>): Node {
  switch (n.k) {
    case "sym": {
      const v = known.get(n.name);
      return v ? { k: "num", v: v.value, approx: false } : n;
    }
    case "add":
      return { k: "add", terms: n.terms.map((t) => replace(t, known)) };
    case "mul":
      return { k: "mul", factors: n.factors.map((t) => replace(t, known)) };
    case "div":
      return { k: "div", num: replace(n.num, known), den: replace(n.den, known) };
    case "neg":
    case "pct":
    case "deg":
      return { ...n, arg: replace(n.arg, known) };
    case "pow":
      return { k: "pow", base: replace(n.base, known), exp: replace(n.exp, known) };
    case "fn":
      return { k: "fn", name: n.name, args: n.args.map((t) => replace(t, known)) };
    case "seq":
      return { ...n, items: n.items.map((t) => replace(t, known)) };
    default:
      return n;
  }
}

/** The shape of a tree with every number, variable and constant as one kind of leaf. */
function shape(n: Node): string {
  switch (n.k) {
    case "num":
    case "sym":
    case "const":
      return "L";
    case "add":
      return `+(${n.terms.map(shape).join(",")})`;
    case "mul":
      return `*(${n.factors.map(shape).join(",")})`;
    case "div":
      return `/(${shape(n.num)},${shape(n.den)})`;
    case "neg":
    case "pct":
    case "deg":
      return `${n.k}(${shape(n.arg)})`;
    case "pow":
      return `^(${shape(n.base)},${shape(n.exp)})`;
    case "fn":
      return `${n.name}(${n.args.map(shape).join(",")})`;
    case "seq":
      return n.items.length === 1 ? shape(n.items[0]!) : `(${n.items.map(shape).join(",")})`;
    default:
      return n.k;
  }
}
