/**
 * How closely a rounded (decimal) answer must match: to the precision it shows. A decimal
 * with k places stands for every value that rounds to it, so it matches a value within half
 * a unit of its last place (3.14 = pi, 0.333 = 1/3, 9999.857142857143 != 10000). The
 * tolerance is relative, taken from the least precise decimal of either side, so a decimal
 * inside an expression (2.83\pi against 2\sqrt2\pi) is judged the same way. Two limits:
 * - at most MAX_RELATIVE (half a percent): a decimal that shows one significant digit
 *   (0.1 for 1/9, 3.1 for pi, 0.0 for 1/30) does not pin a value down;
 * - at least DOUBLE_NOISE: a double printed in full (0.30000000000000004) is its value.
 */
import type { Node } from "./ast.js";
import type { Rat } from "./rational.js";

/** Half a percent: the loosest match a shown precision gives. */
export const MAX_RELATIVE = 5e-3;
/** The rounding noise of a double printed with all its digits. */
const DOUBLE_NOISE = 1e-12;
/** A tie at exactly half a unit of the last place matches either way. */
const TIE_SLACK = 1 + 1e-9;

/** log10 |r| for a non-zero rational of any size. */
function log10Abs(r: Rat): number {
  return log10Big(r.n < 0n ? -r.n : r.n) - log10Big(r.d);
}

function log10Big(x: bigint): number {
  const s = x.toString();
  if (s.length <= 15) return Math.log10(Number(s));
  return Math.log10(Number(s.slice(0, 15))) + (s.length - 15);
}

/** The relative precision of the least precise decimal literal in a tree (0 when it has none). */
function loosest(n: Node): number {
  switch (n.k) {
    case "num": {
      if (!n.approx) return 0;
      if (n.v.n === 0n) return Infinity;
      // half a unit of the last place shown, relative to the value
      return Math.pow(10, Math.log10(0.5) - (n.places ?? 0) - log10Abs(n.v));
    }
    case "add":
      return Math.max(0, ...n.terms.map(loosest));
    case "mul":
      return Math.max(0, ...n.factors.map(loosest));
    case "div":
      return Math.max(loosest(n.num), loosest(n.den));
    case "neg":
    case "pct":
    case "deg":
      return loosest(n.arg);
    case "pow":
      return Math.max(loosest(n.base), loosest(n.exp));
    case "fn":
      return Math.max(0, ...n.args.map(loosest));
    case "seq":
      return Math.max(0, ...n.items.map(loosest));
    default:
      return 0;
  }
}

/** The relative tolerance for comparing a and b, at least one of which holds a decimal. */
export function shownTolerance(a: Node, b: Node): number {
  const rel = Math.min(MAX_RELATIVE, Math.max(loosest(a), loosest(b)));
  return rel * TIE_SLACK + DOUBLE_NOISE;
}
