/**
 * Reading one statement: its relation split at the top-level relation signs into sides (each
 * with its source text and offsets), and each side parsed with the answers parser when it is
 * something the checker can evaluate. A side the checker must not judge (sums, limits,
 * repeating decimals, numbers in other bases, function values, ellipses) gets no tree, with
 * the reason why, so that every comparison with it stays unchecked.
 */
import type { Node } from "../answers/ast.js";
import { Budget, BudgetExceeded } from "../answers/budget.js";
import { parseMath } from "../answers/parser.js";
import { variables } from "../answers/evaluate.js";
import { UNIT } from "./segment.js";

export type Op = "=" | "<" | "<=" | ">" | ">=" | "!=" | "approx" | "other";

export interface Side {
  /** The side's source (units blanked) and its offsets in the solution text. */
  text: string;
  start: number;
  end: number;
  /** The parsed value, or null (then `why` says what the checker cannot read). */
  node: Node | null;
  /**
   * When the side writes a bare e or i, `node` reads them as variables (a length e, an index i)
   * and this is the other reading, as the constants e and i (i² = -1).
   */
  constants: Node | null;
  why: string | null;
  /** Names of the free variables (functions applied to arguments excluded). */
  vars: Set<string>;
  /** The side carries a unit (\text{ cm}): the value is a measure. */
  unit: boolean;
  /** The unit words it carries ("cm", "hour"), lowercased, singular, sorted. */
  units: string[];
  /** The side applies a function (f(2), g(x)): its value is unknown. */
  applies: boolean;
}

export interface Relation {
  sides: Side[];
  ops: Op[];
}

const OPS: [RegExp, Op][] = [
  [/^(<=|\\leqslant|\\leq|\\le|≤|⩽)(?![a-zA-Z])/, "<="],
  [/^(>=|\\geqslant|\\geq|\\ge|≥|⩾)(?![a-zA-Z])/, ">="],
  [/^(\\neq|\\ne|≠)(?![a-zA-Z])/, "!="],
  [/^(\\approx|≈)(?![a-zA-Z])/, "approx"],
  [/^(<|\\lt)(?![a-zA-Z])/, "<"],
  [/^(>|\\gt)(?![a-zA-Z])/, ">"],
  [/^=/, "="],
  [/^\\(equiv|cong|sim|simeq|propto|to|rightarrow|mapsto|in|notin|ni|subset|subseteq|supset|supseteq|mid|nmid|perp|parallel|succ|prec|ll|gg|leftrightarrow|longrightarrow)(?![a-zA-Z])/, "other"],
];

/** Splits a statement's source at top-level relation signs. `base` is the offset of src in the text. */
export function readRelation(src: string, base: number): { texts: { text: string; start: number; end: number }[]; ops: Op[] } {
  const texts: { text: string; start: number; end: number }[] = [];
  const ops: Op[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === "{" || c === "(" || c === "[") depth++;
    else if (c === "}" || c === ")" || c === "]") depth = Math.max(0, depth - 1);
    if (depth > 0) {
      if (c === "\\") i++;
      continue;
    }
    if (c !== "=" && c !== "<" && c !== ">" && c !== "\\" && c !== "≤" && c !== "≥" && c !== "≠" && c !== "≈" && c !== "⩽" && c !== "⩾") continue;
    const rest = src.slice(i, i + 16);
    let matched = false;
    for (const [re, op] of OPS) {
      const m = re.exec(rest);
      if (m) {
        texts.push(trimmed(src, from, i, base));
        ops.push(op);
        from = i + m[0].length;
        i = from - 1;
        matched = true;
        break;
      }
    }
    if (!matched && c === "\\") {
      const m = /^\\[a-zA-Z]+|^\\./.exec(rest);
      if (m) i += m[0].length - 1;
    }
  }
  texts.push(trimmed(src, from, src.length, base));
  return { texts, ops };
}

function trimmed(src: string, a: number, b: number, base: number): { text: string; start: number; end: number } {
  while (a < b && /\s/.test(src[a]!)) a++;
  while (b > a && /[\s.]/.test(src[b - 1]!)) b--;
  return { text: src.slice(a, b), start: base + a, end: base + b };
}

/** What the checker does not evaluate, with the words a student reads. */
const UNSUPPORTED: [RegExp, string][] = [
  [/\\(sum|prod)(?![a-zA-Z])/, "a sum or product with an index"],
  [/\\(int|iint|oint|lim|limsup|liminf|partial|nabla)(?![a-zA-Z])/, "calculus"],
  [/\\(dots|ldots|cdots|dotsb|dotsm|dotsc|vdots|ddots)(?![a-zA-Z])|\.\.\./, "an ellipsis"],
  [/\\(overline|underline|dot|ddot|overrightarrow|overleftrightarrow|vec|hat|widehat|bar|tilde|mathbf|boldsymbol|bm|mathbb|mathcal|mathfrak)(?![a-zA-Z])/, "notation the checker does not evaluate"],
  [/\\(angle|measuredangle|triangle|square|odot|bigcirc|arc|overarc|frown)(?![a-zA-Z])/, "geometry notation"],
  [/\\(pmod|bmod|mod|equiv)(?![a-zA-Z])|\bmod\b/, "modular arithmetic"],
  [/\\(cup|cap|setminus|bigcup|bigcap|emptyset|varnothing|subset|subseteq)(?![a-zA-Z])/, "sets"],
  [/\\(det|deg|arg|Re|Im|operatorname|dim|ker|sup|inf)(?![a-zA-Z])/, "a function the checker does not evaluate here"],
  [/\\begin\{/, "a matrix or a case list"],
  [/(\\log|(?<![a-zA-Z\\])log)(?!\s*_)(?![a-zA-Z])/, "a logarithm without a base (natural, or base 10?)"],
  [/[\d)}]\s*_/, "a number in another base or an indexed value"],
  [/!!/, "a double factorial"],
  [/(?<![\\a-zA-Z])[a-zA-Z]\d|\)\d/, "a letter or a bracket written against a number (x2 or (a+b)2 for a square?)"],
  [/:/, "a ratio"],
  [/\\circ(?![a-zA-Z])/, "composition"],
];

/** Letters used only as functions (f(x), g(2), p'(x)): every occurrence is followed by an argument. */
export function appliedLetters(src: string): Set<string> {
  const plain = src.replace(/\\[a-zA-Z]+/g, (m) => (m === "\\left" ? "" : " "));
  const applied = new Set<string>();
  const standalone = new Set<string>();
  const re = /(?<![a-zA-Z])([a-zA-Z])(?![a-zA-Z])('*)(\s*)(\(?)/g;
  for (let m = re.exec(plain); m; m = re.exec(plain)) {
    if (m[4] === "(") applied.add(m[1]!);
    else standalone.add(m[1]!);
  }
  for (const s of standalone) applied.delete(s);
  return applied;
}

/** A fresh parsing budget per side: every side is small, and a pathological one is cut off. */
const SIDE_BUDGET_MS = 20;

/** The unit words of a side's original source: \text{ cm}^2 gives "cm". */
function unitWords(original: string): string[] {
  const out = new Set<string>();
  for (const mm of original.matchAll(/\\(?:text|textrm|mbox|hbox|textnormal|mathrm)\s*\{([^{}]*)\}/g)) {
    for (const w of mm[1]!.toLowerCase().split(/[\s.]+/)) if (w) out.add(w.length > 3 && w.endsWith("s") ? w.slice(0, -1) : w);
  }
  return [...out].sort();
}

/** `source`: the whole text the offsets point into (for the unit words the side carries). */
export function readSide(part: { text: string; start: number; end: number }, applied: Set<string>, source?: string): Side {
  const unit = part.text.includes(UNIT);
  const text = part.text.split(UNIT).join(" ");
  const units = unit && source !== undefined ? unitWords(source.slice(part.start, part.end)) : [];
  // what a reason shows: the source as written (units included), one space between tokens
  const shown = (source === undefined ? text : source.slice(part.start, part.end).replace(/&/g, " ")).replace(/\s+/g, " ").trim();
  const side: Side = { text: shown, start: part.start, end: part.end, node: null, constants: null, why: null, vars: new Set(), unit, units, applies: false };
  if (text.trim() === "") {
    side.why = "nothing to compare";
    return side;
  }
  const bare = text.replace(/\^\s*\{?\s*\\circ\s*\}?/g, "°");
  for (const [re, why] of UNSUPPORTED) {
    if (re.test(bare)) {
      side.why = why;
      return side;
    }
  }
  // 3(\frac{1}{4}) is a product, not the mixed number 3 1/4 the answer parser reads in it
  const cleaned = bare
    // \boxed{x} is x
    .replace(/\\(boxed|fbox)\s*(?=\{)/g, "")
    .replace(/(\d)\{,\}(\d{3})/g, "$1$2")
    .replace(/\\[,;:! ]/g, " ")
    .replace(/(\d)\s*(\\left\s*)?\(/g, "$1\\cdot $2(")
    // 2^10 means 2^{10} (as written in plain text; in LaTeX it would print 2^1 0)
    .replace(/\^\s*(\d{2,})/g, "^{$1}")
    // segment names (AB, MPQ) are single lengths, not products of points
    .replace(/(?<![\\a-zA-Z])([A-Z])((?:\s*[A-Z](?![a-zA-Z]))+)/g, (_, a: string, b: string) => `${a}_{${b.replace(/\s+/g, "")}}`);
  // ab^2 is a·b², not (ab)²: a product of letters is spelled out before the parser reads it as one word
  const spelled = cleaned.replace(/(?<![\\a-zA-Z])[a-z]{2,3}(?![a-zA-Z])/g, (w) => (isLetterProduct(w) ? w.split("").join(" ") : w));
  const grouped = /[()[\]{}]/.test(spelled) ? spelled : spelled.replace(/(?<![\d.])(\d{1,3})((?:,\d{3})+)(?![\d,])/g, (_, a: string, b: string) => a + b.replace(/,/g, ""));
  try {
    const { node, words } = parseMath(grouped, Budget.forTimeoutMs(SIDE_BUDGET_MS));
    if (words.some((w) => w.length >= 2 && /[a-z]{2}/.test(w) && !isLetterProduct(w))) {
      side.why = "words";
      return side;
    }
    const eiAsLetters = /(?<![a-zA-Z])[ei](?![a-zA-Z])/.test(spelled.replace(/\\[a-zA-Z]+/g, " "));
    side.node = eiAsLetters ? lettersForConstants(node) : node;
    if (eiAsLetters) side.constants = node;
    const vars = variables(side.node);
    for (const f of applied) {
      if (vars.has(f)) side.applies = true;
    }
    side.vars = vars;
    if (side.applies) side.why = "the value of a function";
  } catch (e) {
    if (e instanceof RangeError || e instanceof BudgetExceeded) side.why = "too large to read";
    else side.why = "not an expression the checker reads";
  }
  return side;
}

/** English words of up to three letters: text, not a product of variables like ab or xyz. */
const SHORT_WORDS = new Set(
  "a an as at be by do go he if in is it me my no of on or so to up us we and are but can for get got has had her him his how its let may not now one our out per put say see set she the too two use was way who why yes you all any few new old own six ten off lot big end sum add cut".split(" "),
);

/** ab, xy, abc: letters multiplied (a lowercase run of at most three letters that is not a word). */
/** Words the lexer reads as math (functions, constants). */
const MATH_WORDS = new Set(["sin", "cos", "tan", "sec", "csc", "cot", "log", "ln", "lg", "exp", "pi", "inf", "oo", "or", "and", "mod", "gcd", "lcm", "max", "min", "deg", "arg", "det"]);

function isLetterProduct(w: string): boolean {
  return w.length <= 3 && /^[a-z]+$/.test(w) && !SHORT_WORDS.has(w) && !MATH_WORDS.has(w);
}

/** The tree with the constants e and i read as variables (a solution that names a length e or an index i). */
function lettersForConstants(n: Node): Node {
  switch (n.k) {
    case "const":
      return n.name === "e" || n.name === "i" ? { k: "sym", name: n.name } : n;
    case "add":
      return { k: "add", terms: n.terms.map(lettersForConstants) };
    case "mul":
      return { k: "mul", factors: n.factors.map(lettersForConstants) };
    case "div":
      return { k: "div", num: lettersForConstants(n.num), den: lettersForConstants(n.den) };
    case "neg":
    case "pct":
    case "deg":
      return { ...n, arg: lettersForConstants(n.arg) };
    case "pow":
      return { k: "pow", base: lettersForConstants(n.base), exp: lettersForConstants(n.exp) };
    case "fn":
      return { k: "fn", name: n.name, args: n.args.map(lettersForConstants) };
    case "seq":
      return { ...n, items: n.items.map(lettersForConstants) };
    case "pm":
      return { ...n, left: n.left && lettersForConstants(n.left), right: lettersForConstants(n.right) };
    default:
      return n;
  }
}

/** Scalar trees only: a value the checker can compare (no lists, relations, matrices, text). */
export function isScalar(n: Node): boolean {
  switch (n.k) {
    case "num":
    case "sym":
    case "const":
      return true;
    case "add":
      return n.terms.every(isScalar);
    case "mul":
      return n.factors.every(isScalar);
    case "div":
      return isScalar(n.num) && isScalar(n.den);
    case "neg":
    case "pct":
    case "deg":
      return isScalar(n.arg);
    case "pow":
      return isScalar(n.base) && isScalar(n.exp);
    case "fn":
      return n.args.every(isScalar);
    case "seq":
      return n.open === "(" && n.items.length === 1 && isScalar(n.items[0]!);
    default:
      return false;
  }
}
