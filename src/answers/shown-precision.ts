/**
 * How closely a rounded (decimal) answer must match: to the precision it shows. A decimal
 * with k places stands for the values that round to it, so it matches a value within half a
 * unit of its last place (3.14 = pi, 0.333 = 1/3, 1.29e-5 = 1.3e-5, 9999.857142857143 !=
 * 10000). The tolerance is relative, taken from the least precise decimal of either side,
 * so a decimal inside an expression (2.83\pi against 2\sqrt2\pi) is judged the same way.
 * A decimal must show enough significant digits to pin a value down:
 * - against an exact value, three (0.333 = 1/3, but 0.33 != 1/3 and 3.1 != pi): "express
 *   as a fraction" answered 0.33 is not the fraction;
 * - against another decimal, two (1.29e-5 = 1.3e-5, 0.4286 = 0.43: the coarser one is
 *   usually the reference, rounded as the question asked; 0.4 != 0.43);
 * a decimal with fewer (0.1, 3., 1e5, 0.0) matches only its exact value. And a double
 * printed in full (0.30000000000000004) is its value: DOUBLE_NOISE.
 */
import type { Node } from "./ast.js";
import { hasApprox } from "./evaluate.js";
import type { Rat } from "./rational.js";

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

/**
 * The relative precision of the least precise decimal literal in a tree that shows at least
 * minDigits significant digits (0 when there is none).
 */
function loosest(n: Node, minDigits: number): number {
  const rec = (x: Node): number => loosest(x, minDigits);
  switch (n.k) {
    case "num": {
      if (!n.approx || n.v.n === 0n) return 0;
      const size = log10Abs(n.v);
      const places = n.places ?? 0;
      // significant digits shown: 2 for 0.10, 1 for 3. and for 1e5
      if (places + Math.floor(size + 1e-12) + 1 < minDigits) return 0;
      // half a unit of the last place shown, relative to the value
      return Math.pow(10, Math.log10(0.5) - places - size);
    }
    case "add":
      return Math.max(0, ...n.terms.map(rec));
    case "mul":
      return Math.max(0, ...n.factors.map(rec));
    case "div":
      return Math.max(rec(n.num), rec(n.den));
    case "neg":
    case "pct":
    case "deg":
      return rec(n.arg);
    case "pow":
      return Math.max(rec(n.base), rec(n.exp));
    case "fn":
      return Math.max(0, ...n.args.map(rec));
    case "seq":
      return Math.max(0, ...n.items.map(rec));
    default:
      return 0;
  }
}

/** The relative tolerance for comparing a and b, at least one of which holds a decimal. */
export function shownTolerance(a: Node, b: Node): number {
  const minDigits = hasApprox(a) && hasApprox(b) ? 2 : 3;
  return Math.max(loosest(a, minDigits), loosest(b, minDigits)) * TIE_SLACK + DOUBLE_NOISE;
}
