/**
 * Lists and sets of solutions. "\pm" in an item stands for two items ("-2, 1 \pm \sqrt{3}" lists
 * three roots); a set ignores order and repetition ("\{(1,2),(1,2),(3,4)\}" is "\{(1,2),(3,4)\}"),
 * and so does a bare list of tuples (solution pairs listed with one twice). A bare list of
 * numbers keeps its multiplicity: "5, 5, 8" (the sides of a triangle, a double root) is not "5, 8".
 */
import type { Node } from "./ast.js";

type Seq = Extract<Node, { k: "seq" }>;
type Equal = (a: Node, b: Node) => boolean;
/** Whether the items of two lists pair up one to one (order free, multiplicity kept): compare.ts's, which pairs equal values first. */
type Unordered = (a: Node[], b: Node[]) => boolean;

/** a ± b as the list of its two values; also a ± inside a fraction, product or power ("\\frac{-1 \\pm \\sqrt5}{2}"). */
export function expandPm(n: Node): Node {
  const two = pmValues(n);
  return two ? { k: "seq", open: "", close: "", items: two } : n;
}

/** The two values of the first ± in n, reached through sums, products, quotients, signs and powers; null when there is none. */
export function pmValues(n: Node): [Node, Node] | null {
  switch (n.k) {
    case "pm": {
      const left = n.left;
      const plus: Node = left ? { k: "add", terms: [left, n.right] } : n.right;
      const minus: Node = left ? { k: "add", terms: [left, { k: "neg", arg: n.right }] } : { k: "neg", arg: n.right };
      return [plus, minus];
    }
    case "div": {
      const num = pmValues(n.num);
      if (num) return [{ ...n, num: num[0] }, { ...n, num: num[1] }];
      const den = pmValues(n.den);
      return den && [{ ...n, den: den[0] }, { ...n, den: den[1] }];
    }
    case "neg": {
      const arg = pmValues(n.arg);
      return arg && [{ ...n, arg: arg[0] }, { ...n, arg: arg[1] }];
    }
    case "pow": {
      const base = pmValues(n.base);
      return base && [{ ...n, base: base[0] }, { ...n, base: base[1] }];
    }
    case "add":
    case "mul": {
      const parts = n.k === "add" ? n.terms : n.factors;
      for (let i = 0; i < parts.length; i++) {
        const v = pmValues(parts[i]!);
        if (!v) continue;
        const with_ = (x: Node) => parts.map((y, j) => (j === i ? x : y));
        return n.k === "add" ? [{ k: "add", terms: with_(v[0]) }, { k: "add", terms: with_(v[1]) }] : [{ k: "mul", factors: with_(v[0]) }, { k: "mul", factors: with_(v[1]) }];
      }
      return null;
    }
    default:
      return null;
  }
}

/** The items of a list or set with each "a \\pm b" (also "x = a \\pm b") as two items; nested: look inside items too (the answer spells a ±). */
function expandItems(items: Node[], nested: boolean): Node[] {
  const pmItem = (x: Node) => x.k === "pm" || (nested && pmValues(x) !== null);
  if (!items.some((x) => pmItem(x) || (x.k === "rel" && pmItem(x.parts[x.parts.length - 1]!)))) return items;
  const out: Node[] = [];
  for (const x of items) {
    const two = pmItem(x) ? pmValues(x) : null;
    if (two) out.push(...two);
    else if (x.k === "rel" && x.ops.length === 1 && pmItem(x.parts[1]!)) {
      for (const v of pmValues(x.parts[1]!)!) out.push({ k: "rel", ops: x.ops, parts: [x.parts[0]!, v] });
    } else out.push(x);
  }
  return out;
}

/** Whether each item of a equals some item of b. */
function contained(a: Node[], b: Node[], eq: Equal): boolean {
  return a.every((x) => b.some((y) => eq(x, y)));
}

const isTuple = (n: Node) => n.k === "seq" && n.open === "(" && n.items.length > 1;

/**
 * Two unordered collections (a set, or two bare lists): the same items one to one; for a set
 * or a list of tuples, the same items whatever their repetition.
 */
export function sameCollection(a: Seq, b: Seq, eq: Equal, unordered: Unordered, nestedPm = false): boolean {
  const x = expandItems(a.items, nestedPm);
  const y = expandItems(b.items, nestedPm);
  if (x.length === y.length && unordered(x, y)) return true;
  const asSets = a.open === "{" || b.open === "{" || (x.every(isTuple) && y.every(isTuple));
  return asSets && x.length > 0 && y.length > 0 && contained(x, y, eq) && contained(y, x, eq);
}
