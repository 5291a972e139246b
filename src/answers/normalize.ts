/**
 * String-level clean-up of an answer before it is parsed or shown: math delimiters,
 * dollar signs, thousands separators, degree marks, trailing punctuation and trailing
 * unit text, numbers spelled with words or spaces (number-words.ts); a \boxed{} left around the answer. Every step
 * is linear in the input (no backtracking regular expressions on
 * unbounded runs), so it is safe on any input.
 */
import { spellNumbers } from "./number-words.js";
import { unwrapBoxes } from "./unwrap.js";

/** Removes one pair of surrounding math delimiters: $...$, $$...$$, \(...\), \[...\]. */
function stripDelimiters(s: string): string {
  for (let k = 0; k < 3; k++) {
    const t = s.trim();
    if (t.length >= 2 && t.startsWith("$") && t.endsWith("$") && !t.slice(1, -1).includes("$")) s = t.slice(1, -1);
    else if (t.length >= 4 && t.startsWith("$$") && t.endsWith("$$")) s = t.slice(2, -2);
    else if (t.length >= 4 && ((t.startsWith("\\(") && t.endsWith("\\)")) || (t.startsWith("\\[") && t.endsWith("\\]")))) s = t.slice(2, -2);
    else return t;
  }
  return s.trim();
}

const TRAILING_PUNCT = new Set([" ", "\n", "\t", "\r", ".", "。", "，", ",", ";", "；", "!", "~"]);

/** Trailing spaces and sentence punctuation, without a regular expression. */
function trimTrailing(s: string): string {
  let end = s.length;
  while (end > 0 && TRAILING_PUNCT.has(s[end - 1]!)) {
    // a factorial, not an exclamation: 5!, (2n)!, \binom{4}{2}!
    if (s[end - 1] === "!" && end >= 2 && /[\d)}]/.test(s[end - 2]!)) break;
    // keep "\," "\;" "\!" spacing commands and a "\\" line break intact (the backslash is dropped below)
    if (end >= 2 && s[end - 2] === "\\") {
      end -= 2;
      continue;
    }
    end--;
  }
  // a trailing line break or spacing command "\\", "\quad"
  let t = s.slice(0, end);
  while (t.endsWith("\\\\") || t.endsWith("\\quad") || t.endsWith("\\qquad")) t = t.slice(0, t.lastIndexOf("\\")).replace(/\\$/, "").trimEnd();
  return t;
}

const UNIT_TEXT = /\\(?:text|textrm|textnormal|mbox|mathrm|rm|textup|operatorname|textbf|textit|textsf|emph)\s*\{([^{}]*)\}(?:\s*\^\s*(?:\{\s*[-\d]+\s*\}|\d))?$/;

/** Trailing spaces and spacing commands (\, \; \: \  ~), without a regular expression. */
function trimSpacing(s: string): string {
  let t = s.trimEnd();
  for (;;) {
    if (t.endsWith("~")) t = t.slice(0, -1).trimEnd();
    // "\ " whose space trimEnd took
    else if (t.endsWith("\\") && !t.endsWith("\\\\")) t = t.slice(0, -1).trimEnd();
    else if (t.length >= 2 && t[t.length - 2] === "\\" && ",;: ".includes(t[t.length - 1]!) && t[t.length - 3] !== "\\") t = t.slice(0, -2).trimEnd();
    else return t;
  }
}

const MERIDIEM = /^\s*(?:[ap]\.?\s*m\.?|noon|midnight)\s*$/i;

/** A whole answer in text clothing that is a number and its unit: \text{5 meters} (not \text{2 or 3}). */
const NUMBER_IN_UNIT_TEXT = /^\\(?:text|textrm|textnormal|mbox|mathrm|textbf|textit)\s*\{\s*([-+]?\d[\d,]*(?:\.\d+)?)\s+([a-zA-Z][a-zA-Z./ ]{0,40})\}$/;

/** \text{5 meters} as 5\text{ meters}, so the unit is dropped like any other. */
function splitNumberFromUnitText(s: string): string {
  const m = NUMBER_IN_UNIT_TEXT.exec(s);
  if (!m || /\b(?:or|and)\b/i.test(m[2]!)) return s;
  return `${m[1]}\\text{ ${m[2]!.trim()}}`;
}

/** Removes trailing \text{...} groups (units: "\text{ cm}^2") when something remains before them. */
function stripTrailingUnits(s: string): string {
  for (let k = 0; k < 4; k++) {
    const tail = s.slice(Math.max(0, s.length - 200));
    const m = UNIT_TEXT.exec(tail);
    if (!m) break;
    // spacing before the unit goes with it: 7 \, \text{m}, 7~\mathrm{cm}
    const rest = trimSpacing(s.slice(0, s.length - m[0].length));
    if (!rest || !/[\d}a-zA-Z)]$/.test(rest)) break;
    // keep \text{or}-joined lists and text-only answers
    if (/^\s*(or|and)\s*$/i.test(m[1]!)) break;
    // a.m. / p.m. make a clock time, they are not a unit
    if (MERIDIEM.test(m[1]!)) break;
    // \mathrm{e}, \mathrm{i} are constants, not units
    if (/^\s*[a-zA-Z]\s*$/.test(m[1]!) && !/^\s*(m|g|s|l|L|K|A|V|W|J|N)\s*$/.test(m[1]!)) break;
    s = rest;
  }
  return s;
}

export function cleanAnswer(raw: string): string {
  let s = raw.includes("ки") ? raw.replace(/ки/g, "").trim() : raw.trim();
  if (s.includes("box")) s = unwrapBoxes(s).trim();
  // every replacement below is guarded by a cheap test: most answers need none of them
  if (s.includes("$") || s.includes("\\(") || s.includes("\\[")) {
    s = stripDelimiters(s);
    if (s.includes("$")) s = s.replace(/\\\$/g, "").replace(/\$/g, "");
  }
  if (s.includes("\\!")) s = s.replace(/\\!/g, "");
  s = spellNumbers(s);
  // {n \choose k} as \binom{n}{k}
  if (s.includes("\\choose")) s = s.replace(/\{([^{}]*)\\choose([^{}]*)\}/g, "\\binom{$1}{$2}");
  // thousands separators: 10{,}000  10\,000  10\ 000
  if (s.includes("{,}")) s = s.replace(/(\d)\{,\}(?=\d{3})/g, "$1");
  if (s.includes("\\")) s = s.replace(/(\d)(?:\\[,; ]|\\thinspace ?)(?=\d{3}(?!\d))/g, "$1");
  // a whole answer that is one number grouped by commas: 1,234,567.5
  if (s.includes(",") && /^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
  if (s.includes("circ") || s.includes("degree") || s.includes("\u00b0") || s.includes("\\text")) {
    s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\degree|\^\s*\{\s*\\text\s*\{\s*o\s*\}\s*\}|\u00b0|\\textdegree/g, "°");
    if (s.includes("°")) s = s.replace(/°\s*(\\mathrm\{C\}|\\text\{\s*C\s*\}|C\b|F\b)/g, "°");
  }
  s = trimTrailing(s);
  if (s.startsWith("\\") && s.endsWith("}")) s = splitNumberFromUnitText(s);
  if (s.endsWith("}") || /\^\s*\{?[-\d]+\}?$/.test(s.slice(-8))) {
    s = stripTrailingUnits(s);
    s = trimTrailing(s);
  }
  if (s.includes(",") && /^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
  return s.trim();
}

/** A compact form for cheap equality: no spaces, no sizing commands, one spelling of \frac. */
export function compact(s: string): string {
  return s
    .replace(/\\(?:left|right)(?![a-zA-Z])\.?|\\(?:big|Big|bigg|Bigg|displaystyle|textstyle)(?![a-zA-Z])/g, "")
    .replace(/\\[dt]frac/g, "\\frac")
    .replace(/\\[,;:! ]|\s+|~/g, "");
}
