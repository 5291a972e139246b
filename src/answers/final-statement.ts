/**
 * Reading a stated answer out of prose, for responses without a \boxed{} answer (or with a
 * later explicit statement): "Final Answer: The largest $n$ is $34$." states 34; "Therefore
 * $x \ge 5$." states the inequality, not its last number; a matrix in $...$ is the matrix,
 * not one of its entries. Every scan is linear in its input.
 */

export interface MathSegment {
  /** Index of the opening delimiter. */
  start: number;
  /** Index after the closing delimiter. */
  end: number;
  /** Where the math between the delimiters starts and ends. */
  from: number;
  to: number;
}

const CLOSER: Record<string, string> = { $$: "$$", $: "$", "\\(": "\\)", "\\[": "\\]" };
// an escaped dollar first, so that "\$" is skipped; "$$" before "$"
const OPENER = /\\\$|\$\$|\$|\\\(|\\\[/g;

/** The closed math segments ($...$, $$...$$, \(...\), \[...\]) of a text, left to right. */
export function mathSegments(s: string): MathSegment[] {
  const out: MathSegment[] = [];
  OPENER.lastIndex = 0;
  for (let m = OPENER.exec(s); m; m = OPENER.exec(s)) {
    const open = m[0];
    if (open === "\\$") continue;
    const close = CLOSER[open]!;
    const i = m.index;
    const end = findClose(s, i + open.length, close);
    if (end < 0) break; // an unclosed segment runs to the end of the text
    if (open === "$" && /\S/.test(s[i + 1] ?? "") && /\s/.test(s[end - 1] ?? "")) {
      OPENER.lastIndex = i + 1; // "$5 and $7": a price, not math (math in $...$ does not end in a space it does not start with)
      continue;
    }
    out.push({ start: i, end: end + close.length, from: i + open.length, to: end });
    OPENER.lastIndex = end + close.length;
  }
  return out;
}

/** Index of `close` after `from`, skipping escaped dollars (\$), or -1. */
function findClose(s: string, from: number, close: string): number {
  for (let j = s.indexOf(close, from); j >= 0; j = s.indexOf(close, j + 1)) {
    if (close === "$" && s[j - 1] === "\\") continue;
    return j;
  }
  return -1;
}

const SENTENCE_END = /[.!](?=\s|$)|[。！]|\n/g;

/**
 * End index of the first sentence of `s`: a period or an exclamation mark before a space or
 * the end, "。", "！", or a line break, outside math (in prose "is 42!" exclaims; in math "$5!$"
 * is a factorial).
 */
export function sentenceEnd(s: string, segments: MathSegment[] = mathSegments(s)): number {
  let k = 0;
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(s); m; m = SENTENCE_END.exec(s)) {
    while (k < segments.length && segments[k]!.end <= m.index) k++;
    const seg = segments[k];
    if (seg && seg.start <= m.index) {
      SENTENCE_END.lastIndex = seg.end; // inside math
      continue;
    }
    return m.index;
  }
  return s.length;
}

/**
 * The answer a sentence states, when it states one in math: the value of its last math
 * segment ("The largest $n$ is $34$."). Null when the sentence has no math, carries a number
 * in prose before its first segment or after its last one ("we find $x = 3$, so there are
 * 34 ways" states 34), or its last segment holds no value.
 */
export function statedMath(sentence: string): string | null {
  return statedIn(sentence, mathSegments(sentence), 0, sentence.length);
}

/** statedMath of text[start, end), whose math segments are `segments` (indices into text). */
function statedIn(text: string, segments: MathSegment[], start: number, end: number): string | null {
  const first = segments.findIndex((x) => x.start >= start);
  if (first < 0 || segments[first]!.end > end) return null;
  let last = first;
  while (last + 1 < segments.length && segments[last + 1]!.end <= end) last++;
  const lastSeg = segments[last]!;
  if (hasDigit(text, lastSeg.end, end) || hasDigit(text, start, segments[first]!.start)) return null;
  const content = text.slice(lastSeg.from, lastSeg.to).trim();
  if (isProse(content)) return null; // "$5 and $": dollar signs of prices, not math
  return resultOf(content) || null;
}

function hasDigit(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** Whether a "math" segment holds words: a plain word of three or more letters outside commands, environments and \text{}. */
function isProse(math: string): boolean {
  if (!/[a-zA-Z]{3}/.test(math)) return false;
  const bare = math.replace(/\\(?:begin|end|text|mathrm|mbox|textrm|textbf|mathbf|operatorname)\s*\{[^{}]*\}/g, "");
  return /(?<![\\a-zA-Z])[a-zA-Z]{3,}/.test(bare);
}

/**
 * The value a stated piece of math gives: the last line of a multi-line environment; the
 * last of several comma-separated assignments ("T=650, k=13"); and the final value of a
 * calculation or chain of equalities that ends in a constant ("2 \cdot 17 = 34",
 * "x + y = 4027"). An inequality is kept whole ("x \ge 5"). A piece with no number in it
 * ("$B$", "$(*)$") states no value: "".
 */
export function resultOf(math: string): string {
  let s = math;
  if (!/[=,\\]/.test(s)) return /\d/.test(s) ? s : "";
  // a derivation over several lines: its last line (a matrix is one answer, kept whole)
  if (s.includes("\\begin") && !/\\begin\{[pbvBV]?matrix\}/.test(s)) {
    const lines = s.replace(/\\(?:begin|end)\{[a-zA-Z*]*\}(?:\{[^{}]*\})?/g, "").split("\\\\").map((l) => l.replace(/&/g, "").trim()).filter(Boolean);
    s = lines[lines.length - 1] ?? "";
  }
  if (s.includes(",")) {
    const items = topLevelSplit(s, ",");
    if (items.length > 1 && items.filter((x) => x.includes("=")).length > 1) s = items[items.length - 1]!;
  }
  const eq = s.includes("=") || s.includes("\\approx") || s.includes("\\doteq");
  if (eq && !/\\(?:le|ge|ne|leq|geq|neq|leqslant|geqslant|lt|gt)(?![a-zA-Z])|[<>]/.test(s)) {
    const cut = Math.max(s.lastIndexOf("="), lastCommand(s, "\\approx"), lastCommand(s, "\\doteq"));
    const last = cut < 0 ? "" : s.slice(cut + (s[cut] === "=" ? 1 : s.startsWith("\\approx", cut) ? 7 : 6)).trim();
    if (last && isConstant(last)) s = last;
  }
  s = s.trim();
  return /\d|\\(?:pi|infty|sqrt|emptyset|varnothing)(?![a-zA-Z])/.test(s) ? s : "";
}

/** No variable in it: letters only inside commands and \text{...}-like groups. */
function isConstant(s: string): boolean {
  if (!/[a-zA-Z]/.test(s)) return /\d/.test(s);
  const bare = s.replace(/\\(?:begin|end)\{[a-zA-Z*]*\}/g, "").replace(/\\(?:text|mathrm|mbox|textrm|operatorname)\s*\{[^{}]*\}/g, "").replace(/\\[a-zA-Z]+/g, "");
  return /\d/.test(bare) && !/[a-zA-Z]/.test(bare);
}

/** Index of the last `cmd` (a command not followed by a letter) in s, or -1. */
function lastCommand(s: string, cmd: string): number {
  const i = s.lastIndexOf(cmd);
  return i >= 0 && !/[a-zA-Z]/.test(s[i + cmd.length] ?? "") ? i : -1;
}

/** `s` split at `sep` outside brackets and braces. */
function topLevelSplit(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let at = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === sep && depth === 0 && !(/\d/.test(s[i - 1] ?? "") && /^\d{3}(?!\d)/.test(s.slice(i + 1, i + 5)))) {
      out.push(s.slice(at, i).trim());
      at = i + 1;
    }
  }
  out.push(s.slice(at).trim());
  return out;
}

/**
 * For a response without a marked answer: the last sentence that states something (has a
 * number or math), when it states its answer in math; null otherwise (the caller falls back
 * to the last number). Scans backwards from the end of the text (which is outside math), at
 * most `window` characters: the work is that of the last sentences, not of the response.
 */
export function lastStatedMath(text: string, window = 4000): string | null {
  // a number in prose after the last math states the answer: no need to find the segments
  const stop = Math.max(0, text.length - window);
  for (let j = text.length - 1; ; j--) {
    if (j < stop) return null; // no math at the end
    const c = text.charCodeAt(j);
    if (c >= 48 && c <= 57) return null;
    if (c === DOLLAR || ((c === CLOSE_PAREN || c === CLOSE_BRACKET) && text.charCodeAt(j - 1) === BACKSLASH)) break;
  }
  const segments: MathSegment[] = []; // of the current sentence, from the end
  let end = text.length;
  let proseDigit = false;
  for (let j = text.length - 1; j >= stop - 1; j--) {
    const c = j >= stop ? text.charCodeAt(j) : NEWLINE;
    if (c === DOLLAR || ((c === CLOSE_PAREN || c === CLOSE_BRACKET) && text.charCodeAt(j - 1) === BACKSLASH)) {
      if (c === DOLLAR && text.charCodeAt(j - 1) === BACKSLASH) continue; // \$
      const seg = segmentEndingAt(text, j);
      if (!seg || seg.start < stop) return null; // unclosed math, or beyond the window
      if (seg.to >= 0) {
        segments.push(seg);
        j = seg.start; // the loop steps past its opening
      }
      continue;
    }
    if (c === NEWLINE || c === IDEOGRAPHIC_STOP || (c === PERIOD && isSpaceAt(text, j + 1))) {
      if (segments.length > 0) return statedIn(text, segments.reverse(), j + 1, end);
      if (proseDigit) return null;
      end = j;
    } else if (c >= 48 && c <= 57) proseDigit = true;
  }
  return null;
}

const NEWLINE = 10;
const DOLLAR = 36;
const PERIOD = 46;
const CLOSE_PAREN = 41;
const CLOSE_BRACKET = 93;
const BACKSLASH = 92;
const IDEOGRAPHIC_STOP = 0x3002;

/** Whether s[i] is whitespace or past the end. */
function isSpaceAt(s: string, i: number): boolean {
  if (i >= s.length) return true;
  const c = s.charCodeAt(i);
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/**
 * The math segment whose closing delimiter ends at index j ("$", "$$", "\)", "\]"), found
 * backwards; null when it has no opening. A "$...$" that reads as prices ("$5 and $") is
 * returned with `to` = -1: its closing dollar is a literal.
 */
function segmentEndingAt(text: string, j: number): MathSegment | null {
  const c = text[j];
  if (c === ")" || c === "]") {
    const open = text.lastIndexOf(c === ")" ? "\\(" : "\\[", j - 2);
    return open < 0 ? null : { start: open, end: j + 1, from: open + 2, to: j - 1 };
  }
  if (text[j - 1] === "$") {
    const open = text.lastIndexOf("$$", j - 2);
    return open < 0 ? null : { start: open, end: j + 1, from: open + 2, to: j - 1 };
  }
  let open = text.lastIndexOf("$", j - 1);
  while (open > 0 && text[open - 1] === "\\") open = text.lastIndexOf("$", open - 2);
  if (open < 0) return null;
  if (/\S/.test(text[open + 1] ?? "") && /\s/.test(text[j - 1] ?? "")) return { start: j, end: j + 1, from: j, to: -1 };
  return { start: open, end: j + 1, from: open + 1, to: j };
}
