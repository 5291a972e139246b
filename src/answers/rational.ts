/**
 * Exact rational numbers on BigInt, always normalised (d > 0, gcd(n, d) = 1). Sizes are
 * capped (MAX_BITS) so that no operation can grow without bound: an operation whose
 * result would exceed the cap returns null and callers fall back to floating point.
 */
export interface Rat {
  readonly n: bigint;
  readonly d: bigint;
}

const MAX_BITS = 4096;
const LIMIT = 1n << BigInt(MAX_BITS);

function abs(a: bigint): bigint {
  return a < 0n ? -a : a;
}

export function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function tooBig(r: Rat): boolean {
  return abs(r.n) > LIMIT || r.d > LIMIT;
}

function rat(n: bigint, d: bigint = 1n): Rat | null {
  if (d === 0n) return null;
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  const r = g > 1n ? { n: n / g, d: d / g } : { n, d };
  return tooBig(r) ? null : r;
}

export const ZERO: Rat = { n: 0n, d: 1n };
export const ONE: Rat = { n: 1n, d: 1n };

export function fromInt(n: number | bigint): Rat {
  return { n: BigInt(n), d: 1n };
}

/** "12", "-3.25", ".5", "1.5e-3" (plain decimal syntax) as an exact rational. */
export function parseDecimal(text: string): Rat | null {
  if (text.length <= 15 && /^\d+$/.test(text)) return { n: BigInt(text), d: 1n };
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const frac = m[3] ?? "";
  let n = BigInt((m[2] || "0") + frac);
  let d = 10n ** BigInt(frac.length);
  const e = m[4] ? Number(m[4]) : 0;
  if (Math.abs(e) > 1000) return null;
  if (e > 0) n *= 10n ** BigInt(e);
  else if (e < 0) d *= 10n ** BigInt(-e);
  if (m[1] === "-") n = -n;
  return rat(n, d);
}

export const add = (a: Rat, b: Rat): Rat | null => rat(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Rat, b: Rat): Rat | null => rat(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Rat, b: Rat): Rat | null => rat(a.n * b.n, a.d * b.d);
export const div = (a: Rat, b: Rat): Rat | null => (b.n === 0n ? null : rat(a.n * b.d, a.d * b.n));
export const neg = (a: Rat): Rat => ({ n: -a.n, d: a.d });
export const eq = (a: Rat, b: Rat): boolean => a.n === b.n && a.d === b.d;
export const isInt = (a: Rat): boolean => a.d === 1n;
/** |a| > |b|. */
export const absGreater = (a: Rat, b: Rat): boolean => abs(a.n) * b.d > abs(b.n) * a.d;

function bitLength(a: bigint): number {
  return abs(a).toString(2).length;
}

/** a^k for an integer k, or null when the result would be too large. */
export function powInt(a: Rat, k: bigint): Rat | null {
  if (k === 0n) return a.n === 0n ? null : ONE;
  if (a.n === 0n) return k > 0n ? ZERO : null;
  if (abs(a.n) === 1n && a.d === 1n) return { n: a.n === -1n && k % 2n !== 0n ? -1n : 1n, d: 1n };
  const kk = abs(k);
  if (kk > BigInt(MAX_BITS)) return null;
  const bits = Math.max(bitLength(a.n), bitLength(a.d));
  if (bits * Number(kk) > MAX_BITS) return null;
  const r = rat(a.n ** kk, a.d ** kk);
  if (!r) return null;
  return k < 0n ? div(ONE, r) : r;
}

/** Exact integer k-th root of a non-negative bigint, or null when it is not a perfect power. */
function exactRoot(x: bigint, k: number): bigint | null {
  if (x < 0n) return null;
  if (x < 2n) return x;
  const guess = Math.round(Math.pow(Number(x), 1 / k));
  // past a double's range (10^{1000}) Newton starts above the root, from a power of two
  const approx = Number.isFinite(guess) ? BigInt(guess) : 1n << BigInt(Math.ceil(bitLength(x) / k));
  for (const c of [approx - 1n, approx, approx + 1n]) if (c >= 0n && c ** BigInt(k) === x) return c;
  if (bitLength(x) < 50) return null;
  // Newton iteration for large values
  let y = approx > 0n ? approx : 1n;
  const K = BigInt(k);
  for (let i = 0; i < 200; i++) {
    const next = ((K - 1n) * y + x / y ** (K - 1n)) / K;
    if (next === y) break;
    y = next;
  }
  for (const c of [y - 1n, y, y + 1n]) if (c >= 0n && c ** K === x) return c;
  return null;
}

/** Exact k-th root of a rational when both parts are perfect powers. */
export function rootRat(a: Rat, k: number): Rat | null {
  if (a.n < 0n) {
    if (k % 2 === 0) return null;
    const r = rootRat(neg(a), k);
    return r ? neg(r) : null;
  }
  const n = exactRoot(a.n, k);
  const d = n === null ? null : exactRoot(a.d, k);
  return n !== null && d !== null ? { n, d } : null;
}

export function toNumber(a: Rat): number {
  const n = Number(a.n);
  const d = Number(a.d);
  if (Number.isFinite(n) && Number.isFinite(d)) return n / d;
  // very large parts: scale down by a common power of two first
  const shift = BigInt(Math.max(0, Math.max(bitLength(a.n), bitLength(a.d)) - 1000));
  return Number(a.n >> shift) / Number(a.d >> shift);
}

export function toString(a: Rat): string {
  return a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`;
}
