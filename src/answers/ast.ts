/** The expression tree shared by the parser, the evaluator and the comparison. */
import type { Rat } from "./rational.js";

export type RelOp = "=" | "<" | "<=" | ">" | ">=" | "!=" | "in" | "approx";

export type Node =
  /**
   * A number literal, exact; approx is true for a decimal literal (a rounded value), and
   * places is then the decimal places it shows (2 for 3.14, -400 for 1e400).
   */
  | { k: "num"; v: Rat; approx: boolean; places?: number }
  | { k: "sym"; name: string }
  | { k: "const"; name: "pi" | "e" | "i" | "inf" }
  | { k: "add"; terms: Node[] }
  | { k: "mul"; factors: Node[] }
  | { k: "div"; num: Node; den: Node }
  | { k: "neg"; arg: Node }
  | { k: "pow"; base: Node; exp: Node }
  /** Functions: sqrt, root (args x, n), sin..., log (args x, base?), abs, floor, ceil, fact, binom, ... */
  | { k: "fn"; name: string; args: Node[] }
  /** left ± right (left null for a leading ±); minus is true for ∓. */
  | { k: "pm"; left: Node | null; right: Node; minus: boolean }
  | { k: "pct"; arg: Node }
  | { k: "deg"; arg: Node }
  | { k: "rel"; ops: RelOp[]; parts: Node[] }
  /** A comma list: open/close are the brackets ("" for none), e.g. "(" "]" for a half-open interval. */
  | { k: "seq"; open: string; close: string; items: Node[] }
  | { k: "ratio"; parts: Node[] }
  | { k: "matrix"; rows: Node[][] }
  | { k: "setop"; op: "cup" | "cap" | "setminus"; parts: Node[] }
  | { k: "text"; text: string };

export type NodeKind = Node["k"];

/** The direct children of a node, in order (none for num, sym, const, text). */
export function children(n: Node): Node[] {
  switch (n.k) {
    case "add":
      return n.terms;
    case "mul":
      return n.factors;
    case "div":
      return [n.num, n.den];
    case "neg":
    case "pct":
    case "deg":
      return [n.arg];
    case "pow":
      return [n.base, n.exp];
    case "fn":
      return n.args;
    case "pm":
      return n.left === null ? [n.right] : [n.left, n.right];
    case "rel":
    case "ratio":
    case "setop":
      return n.parts;
    case "seq":
      return n.items;
    case "matrix":
      return n.rows.flat();
    case "num":
    case "sym":
    case "const":
    case "text":
      return [];
  }
}

/**
 * Whether test holds for n or any node below it. With into, only nodes of those kinds are looked
 * inside (a node of another kind is still tested, its children are not).
 */
export function someNode(n: Node, test: (n: Node) => boolean, into?: ReadonlySet<NodeKind>): boolean {
  if (test(n)) return true;
  if (into && !into.has(n.k)) return false;
  return children(n).some((c) => someNode(c, test, into));
}

/** The arithmetic kinds: sums, products, quotients, signs, powers, percent, degrees and function calls. */
export const ARITHMETIC_KINDS: ReadonlySet<NodeKind> = new Set<NodeKind>(["add", "mul", "div", "neg", "pct", "deg", "pow", "fn"]);
