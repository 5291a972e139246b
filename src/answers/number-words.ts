/**
 * Spellings of numbers that the parser does not read: percent as a word ("5 percent",
 * "5 pct", "5\text{ percent}" are 5\%), digit groups separated by Unicode spaces
 * ("1 000 000" with thin or no-break spaces), repeating decimals (0.\overline{3} = 1/3), and a
 * decimal comma ("3,5" for 3.5) where it cannot be a list: see decimalCommaPair.
 */

const PERCENT_WORD = /(\d|\})\s*(?:\\[,;: ]|~)*\s*(?:\\(?:text|mathrm|textrm|mbox|textnormal)\s*\{\s*(?:percent|per\s*cent|pct\.?)\s*\}|percent|per\s*cent|pct\.?)$/i;
const UNICODE_GROUP_SPACE = /(\d)[\u00a0\u2009\u202f](?=\d{3}(?!\d))/g;

const REPEATING = /(\d*)\.(\d*)\\(?:overline|bar)\s*\{(\d{1,12})\}/g;

/** 0.\overline{3} as \frac{3}{9}, 0.1\overline{6} as \frac{15}{90}: a repeating decimal is exact. */
function repeatingDecimal(_: string, whole: string, fixed: string, repeat: string): string {
  const digits = BigInt((whole || "0") + fixed + repeat);
  const head = BigInt((whole || "0") + fixed);
  const den = 10n ** BigInt(fixed.length) * (10n ** BigInt(repeat.length) - 1n);
  return `{\\frac{${digits - head}}{${den}}}`;
}

/**
 * "5 percent" as "5\%"; Unicode-space digit groups joined; a repeating decimal as a fraction.
 * Cheap when there is nothing to do.
 */
export function spellNumbers(s: string): string {
  if (s.includes("\\overline") || s.includes("\\bar")) s = s.replace(REPEATING, repeatingDecimal);
  if ((s.includes("pct") || s.includes("cent")) && s.length < 200) s = s.replace(PERCENT_WORD, "$1\\%");
  if (s.includes("\u00a0") || s.includes("\u2009") || s.includes("\u202f")) s = s.replace(UNICODE_GROUP_SPACE, "$1");
  return s;
}

const POINT_DECIMAL = /^[+-]?\d+\.\d+$/;
const COMMA_DECIMAL = /^([+-]?)(\d+),(\d+)$/;

/**
 * A decimal comma, read only against a decimal point: when one answer is a decimal like 3.5
 * and the other is digits, comma, digits that cannot be a thousands group (not exactly three
 * digits after the comma, or a leading 0: "3,5", "0,125", "12,25"), the comma is the decimal
 * point. "3,500" stays three thousand five hundred, and "3,5" against anything else stays the
 * list 3, 5.
 */
export function decimalCommaPair(p: string, g: string): [string, string] {
  if (!p.includes(",") && !g.includes(",")) return [p, g];
  if (POINT_DECIMAL.test(p)) return [p, commaAsPoint(g)];
  if (POINT_DECIMAL.test(g)) return [commaAsPoint(p), g];
  return [p, g];
}

function commaAsPoint(s: string): string {
  const m = COMMA_DECIMAL.exec(s);
  if (!m) return s;
  const [, sign, whole, frac] = m;
  if (frac!.length === 3 && whole !== "0" && !(whole!.length > 3)) return s;
  return `${sign}${whole}.${frac}`;
}
