/**
 * Labelled answers: "x = 5", "(p, q) = (3, 2)", "|AB| = 5", "A:B = 2:3", "f(x) = 2x + 1",
 * "x + y = 4027". A left side that only names what the right side gives is a label: against a
 * bare value, the right side is the answer. A left side that computes something ("2x = 10",
 * "x^2 = 4") is not a label: that relation is an equation, compared as one.
 */
import type { Node } from "./ast.js";

/** At most this many letters in a name made of letters: AB, ABC, xyz (a segment, an angle, a product asked for). */
const MAX_NAME_LETTERS = 4;

/** Whether a node only names an answer. */
export function isLabel(n: Node): boolean {
  switch (n.k) {
    case "sym":
      return true;
    case "const":
      return n.name === "e" || n.name === "i";
    case "mul":
      return isApplied(n) || (n.factors.length <= MAX_NAME_LETTERS && n.factors.every(isLetter));
    case "add":
      // p + q, a + b + c: a sum asked for by its parts' names (no coefficients)
      return n.terms.length <= MAX_NAME_LETTERS && n.terms.every((t) => isLetterName(t) || (t.k === "neg" && isLetterName(t.arg)));
    case "fn":
      // |AB|, \overline{AB} read as AB
      return n.name === "abs" && n.args.length === 1 && isLetterName(n.args[0]!);
    case "seq":
      // (p, q) = (3, 2); [ABC] = 24 (an area)
      return n.open !== "{" && n.items.length >= 1 && n.items.every(isLabel) && (n.items.length > 1 || n.open === "[");
    case "ratio":
      return n.parts.every(isLetterName);
    default:
      return false;
  }
}

function isLetter(n: Node): boolean {
  return n.k === "sym" || (n.k === "const" && (n.name === "e" || n.name === "i"));
}

/** x, x_1, AB, ABC. */
function isLetterName(n: Node): boolean {
  return isLetter(n) || (n.k === "mul" && n.factors.length <= MAX_NAME_LETTERS && n.factors.every(isLetter));
}

/** f(x), P(A), f(x, y), f(2): a name applied to variables or numbers. */
function isApplied(n: Extract<Node, { k: "mul" }>): boolean {
  if (n.factors.length !== 2) return false;
  const f = n.factors[0]!;
  const a = n.factors[1]!;
  if (!isFunctionName(f)) return false;
  if (a.k === "sym" || a.k === "num") return true;
  return a.k === "seq" && a.open === "(" && a.items.every((x) => x.k === "sym" || x.k === "num");
}

/** f, g', and an inverse f^{-1}. */
function isFunctionName(f: Node): boolean {
  if (f.k === "sym") return f.name.length <= 8;
  return f.k === "pow" && f.base.k === "sym" && f.base.name.length <= 8 && f.exp.k === "neg" && f.exp.arg.k === "num" && f.exp.arg.v.n === 1n && f.exp.arg.v.d === 1n;
}
