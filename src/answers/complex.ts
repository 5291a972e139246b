/** Double-precision complex arithmetic for numeric evaluation of expressions. */
export interface C {
  re: number;
  im: number;
}

export const c = (re: number, im = 0): C => ({ re, im });
export const cadd = (a: C, b: C): C => ({ re: a.re + b.re, im: a.im + b.im });
export const cmul = (a: C, b: C): C =>
  a.im === 0 && b.im === 0 ? { re: a.re * b.re, im: 0 } : { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re };
export function cdiv(a: C, b: C): C {
  if (a.im === 0 && b.im === 0) return { re: a.re / b.re, im: 0 };
  const den = b.re * b.re + b.im * b.im;
  return { re: (a.re * b.re + a.im * b.im) / den, im: (a.im * b.re - a.re * b.im) / den };
}
export const cabs = (a: C): number => Math.hypot(a.re, a.im);
export const isReal = (a: C, tol = 1e-12): boolean => Math.abs(a.im) <= tol * Math.max(1, Math.abs(a.re));
export const isFiniteC = (a: C): boolean => Number.isFinite(a.re) && Number.isFinite(a.im);

export function cexp(a: C): C {
  const m = Math.exp(a.re);
  return a.im === 0 ? { re: m, im: 0 } : { re: m * Math.cos(a.im), im: m * Math.sin(a.im) };
}
export function clog(a: C): C {
  if (a.im === 0 && a.re > 0) return { re: Math.log(a.re), im: 0 };
  return { re: Math.log(cabs(a)), im: Math.atan2(a.im, a.re) };
}
export function cpow(a: C, b: C): C {
  if (b.im === 0 && Number.isInteger(b.re) && Math.abs(b.re) <= 64) {
    let r: C = { re: 1, im: 0 };
    let base = b.re < 0 ? cdiv({ re: 1, im: 0 }, a) : a;
    let k = Math.abs(b.re);
    while (k > 0) {
      if (k & 1) r = cmul(r, base);
      base = cmul(base, base);
      k >>= 1;
    }
    return r;
  }
  if (a.im === 0 && b.im === 0 && a.re >= 0) return { re: Math.pow(a.re, b.re), im: 0 };
  if (a.re === 0 && a.im === 0) return b.re > 0 ? { re: 0, im: 0 } : { re: NaN, im: NaN };
  return cexp(cmul(b, clog(a)));
}
export function csqrt(a: C): C {
  if (a.im === 0) return a.re >= 0 ? { re: Math.sqrt(a.re), im: 0 } : { re: 0, im: Math.sqrt(-a.re) };
  const m = cabs(a);
  const re = Math.sqrt((m + a.re) / 2);
  const im = Math.sign(a.im) * Math.sqrt((m - a.re) / 2);
  return { re, im };
}
/** Real k-th root for real input (odd roots of negatives stay real), principal root otherwise. */
export function croot(a: C, k: number): C {
  if (a.im === 0 && a.re < 0 && Number.isInteger(k) && k % 2 === 1) return { re: -Math.pow(-a.re, 1 / k), im: 0 };
  if (a.im === 0 && a.re >= 0) return { re: Math.pow(a.re, 1 / k), im: 0 };
  return cpow(a, { re: 1 / k, im: 0 });
}
export function csin(a: C): C {
  if (a.im === 0) return { re: Math.sin(a.re), im: 0 };
  return { re: Math.sin(a.re) * Math.cosh(a.im), im: Math.cos(a.re) * Math.sinh(a.im) };
}
export function ccos(a: C): C {
  if (a.im === 0) return { re: Math.cos(a.re), im: 0 };
  return { re: Math.cos(a.re) * Math.cosh(a.im), im: -Math.sin(a.re) * Math.sinh(a.im) };
}
export const ctan = (a: C): C => cdiv(csin(a), ccos(a));
/** Real-only helper: applies f to a real argument, NaN for a complex one. */
export function realOnly(a: C, f: (x: number) => number): C {
  return isReal(a) ? { re: f(a.re), im: 0 } : { re: NaN, im: NaN };
}
