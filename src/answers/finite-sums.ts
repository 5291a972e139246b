/**
 * Finite sums and products with numeric limits, \sum_{k=1}^{10} k and \prod_{k=1}^{5} k,
 * expanded into the terms they stand for (the parser reads them as fn "sum"/"prod" with args
 * [body, index, lower, upper]). A sum whose limits are not integers known exactly, or with
 * more than MAX_TERMS terms, is left as it is (and compares as an unknown function).
 */
import { someNode, type Node } from "./ast.js";
import type { Budget } from "./budget.js";
import { exact } from "./evaluate.js";
import * as R from "./rational.js";

export const MAX_TERMS = 100_000;

/** The tree with every expandable sum and product expanded (the same object when there is none). */
export function expandSums(n: Node, budget: Budget): Node {
  budget.tick();
  switch (n.k) {
    case "fn": {
      const args = mapAll(n.args, budget);
      if ((n.name === "sum" || n.name === "prod") && args.length === 4) {
        const expanded = expand(n.name, args, budget);
        // inner sums whose limits were the index (\sum_{k=1}^{2}\sum_{j=1}^{k}) now have numbers
        if (expanded) return expandSums(expanded, budget);
      }
      return args === n.args ? n : { ...n, args };
    }
    case "add": {
      const terms = mapAll(n.terms, budget);
      return terms === n.terms ? n : { ...n, terms };
    }
    case "mul": {
      const factors = mapAll(n.factors, budget);
      return factors === n.factors ? n : { ...n, factors };
    }
    case "div": {
      const num = expandSums(n.num, budget);
      const den = expandSums(n.den, budget);
      return num === n.num && den === n.den ? n : { ...n, num, den };
    }
    case "pow": {
      const base = expandSums(n.base, budget);
      const exp = expandSums(n.exp, budget);
      return base === n.base && exp === n.exp ? n : { ...n, base, exp };
    }
    case "neg":
    case "pct":
    case "deg": {
      const arg = expandSums(n.arg, budget);
      return arg === n.arg ? n : { ...n, arg };
    }
    case "rel":
    case "ratio":
    case "setop": {
      const parts = mapAll(n.parts, budget);
      return parts === n.parts ? n : { ...n, parts };
    }
    case "seq": {
      const items = mapAll(n.items, budget);
      return items === n.items ? n : { ...n, items };
    }
    default:
      return n;
  }
}

function mapAll(nodes: Node[], budget: Budget): Node[] {
  let out: Node[] | null = null;
  nodes.forEach((x, i) => {
    const y = expandSums(x, budget);
    if (y !== x) (out ??= nodes.slice())[i] = y;
  });
  return out ?? nodes;
}

function expand(name: string, [body, index, lower, upper]: Node[], budget: Budget): Node | null {
  if (index!.k !== "sym") return null;
  const lo = exact(lower!, budget);
  const hi = exact(upper!, budget);
  if (!lo || !hi || !R.isInt(lo) || !R.isInt(hi)) return null;
  const count = hi.n - lo.n + 1n;
  if (count > BigInt(MAX_TERMS)) return null;
  // an empty sum is 0, an empty product 1
  if (count <= 0n) return { k: "num", v: name === "sum" ? R.ZERO : R.ONE, approx: false };
  const items: Node[] = [];
  for (let k = lo.n; k <= hi.n; k++) items.push(substitute(body!, index!.name, { k: "num", v: R.fromInt(k), approx: false }, budget));
  return name === "sum" ? { k: "add", terms: items } : { k: "mul", factors: items };
}

/** The tree with the variable `name` replaced by `value` (an inner sum over the same index keeps its own). */
function substitute(n: Node, name: string, value: Node, budget: Budget): Node {
  budget.tick();
  const sub = (x: Node): Node => substitute(x, name, value, budget);
  switch (n.k) {
    case "sym":
      return n.name === name ? value : n;
    case "const":
      // an index named i or e: the letter in the body was read as the constant
      return n.name === name ? value : n;
    case "fn":
      if ((n.name === "sum" || n.name === "prod") && n.args[1]?.k === "sym" && n.args[1].name === name) return { ...n, args: [n.args[0]!, n.args[1], sub(n.args[2]!), sub(n.args[3]!)] };
      return { ...n, args: n.args.map(sub) };
    case "add":
      return { ...n, terms: n.terms.map(sub) };
    case "mul":
      return { ...n, factors: n.factors.map(sub) };
    case "div":
      return { ...n, num: sub(n.num), den: sub(n.den) };
    case "pow":
      return { ...n, base: sub(n.base), exp: sub(n.exp) };
    case "neg":
    case "pct":
    case "deg":
      return { ...n, arg: sub(n.arg) };
    case "pm":
      return { ...n, left: n.left && sub(n.left), right: sub(n.right) };
    case "rel":
    case "ratio":
    case "setop":
      return { ...n, parts: n.parts.map(sub) };
    case "seq":
      return { ...n, items: n.items.map(sub) };
    case "matrix":
      return { ...n, rows: n.rows.map((r) => r.map(sub)) };
    default:
      return n;
  }
}

/** Whether a sum or product is left that could not be expanded (symbolic or too many terms). */
export function hasOpenSum(n: Node): boolean {
  return someNode(n, (m) => m.k === "fn" && (m.name === "sum" || m.name === "prod"));
}
