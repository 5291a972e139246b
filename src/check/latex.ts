/** LaTeX for the values the checker reports: rationals, decimals, polynomials and rational functions. */
import type { Rat } from "../answers/rational.js";
import type { Poly, RatFn } from "./polynomial.js";

export function ratLatex(r: Rat): string {
  if (r.d === 1n) return r.n.toString();
  const sign = r.n < 0n ? "-" : "";
  const n = r.n < 0n ? -r.n : r.n;
  return `${sign}\\frac{${n}}{${r.d}}`;
}

/** A double with up to 6 significant digits, for values that are not rational. */
export function approxLatex(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const s = Number(v.toPrecision(6)).toString();
  return s.includes("e") ? v.toExponential(4).replace(/e\+?(-?\d+)/, " \\times 10^{$1}") : s;
}

function monomial(c: Rat, k: number, x: string, first: boolean): string {
  const neg = c.n < 0n;
  const abs: Rat = { n: neg ? -c.n : c.n, d: c.d };
  const sign = first ? (neg ? "-" : "") : neg ? " - " : " + ";
  const isOne = abs.n === 1n && abs.d === 1n;
  const coeff = k > 0 && isOne ? "" : ratLatex(abs);
  const power = k === 0 ? "" : k === 1 ? x : `${x}^{${k}}`.replace(/\^\{(\d)\}$/, "^$1");
  return sign + coeff + (coeff && /^\\/.test(power) ? " " : "") + power;
}

export function polyLatex(p: Poly, name: string): string {
  if (p.length === 0) return "0";
  const x = varLatex(name);
  const parts: string[] = [];
  for (let k = p.length - 1; k >= 0; k--) {
    const c = p[k]!;
    if (c.n === 0n) continue;
    parts.push(monomial(c, k, x, parts.length === 0));
  }
  return parts.join("");
}

export function ratFnLatex(f: RatFn, x: string): string {
  if (f.den.length === 1 && f.den[0]!.n === f.den[0]!.d) return polyLatex(f.num, x);
  return `\\frac{${polyLatex(f.num, x)}}{${polyLatex(f.den, x)}}`;
}

/** Math for a reason: wrapped in $...$. */
export const m = (latex: string): string => `$${latex}$`;

/** A variable's name as LaTeX: alpha is \alpha. */
export function varLatex(name: string): string {
  return /^[a-zA-Z]{2,}$/.test(name) ? `\\${name}` : name;
}
