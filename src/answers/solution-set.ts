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

/** a ± b as the list of its two values. */
export function expandPm(n: Node): Node {
  if (n.k !== "pm") return n;
  const left = n.left;
  const plus: Node = left ? { k: "add", terms: [left, n.right] } : n.right;
  const minus: Node = left ? { k: "add", terms: [left, { k: "neg", arg: n.right }] } : { k: "neg", arg: n.right };
  return { k: "seq", open: "", close: "", items: [plus, minus] };
}

/** The items of a list or set with each "a \pm b" (also "x = a \pm b") as two items. */
function expandItems(items: Node[]): Node[] {
  if (!items.some((x) => x.k === "pm" || (x.k === "rel" && x.parts[x.parts.length - 1]!.k === "pm"))) return items;
  const out: Node[] = [];
  for (const x of items) {
    if (x.k === "pm") out.push(...(expandPm(x) as Seq).items);
    else if (x.k === "rel" && x.ops.length === 1 && x.parts[1]!.k === "pm") {
      for (const v of (expandPm(x.parts[1]!) as Seq).items) out.push({ k: "rel", ops: x.ops, parts: [x.parts[0]!, v] });
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
export function sameCollection(a: Seq, b: Seq, eq: Equal, unordered: Unordered): boolean {
  const x = expandItems(a.items);
  const y = expandItems(b.items);
  if (x.length === y.length && unordered(x, y)) return true;
  const asSets = a.open === "{" || b.open === "{" || (x.every(isTuple) && y.every(isTuple));
  return asSets && x.length > 0 && y.length > 0 && contained(x, y, eq) && contained(y, x, eq);
}
