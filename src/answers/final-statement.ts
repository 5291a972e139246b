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
  content: string;
}

const OPENERS: readonly [string, string][] = [
  ["$$", "$$"],
  ["\\[", "\\]"],
  ["\\(", "\\)"],
  ["$", "$"],
];

/** The closed math segments ($...$, $$...$$, \(...\), \[...\]) of a text, left to right. */
export function mathSegments(s: string): MathSegment[] {
  const out: MathSegment[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch !== "$" && ch !== "\\") {
      i++;
      continue;
    }
    if (ch === "\\" && s[i + 1] !== "(" && s[i + 1] !== "[") {
      i += 2; // an escaped character (\$) or a command
      continue;
    }
    const pair = OPENERS.find(([open]) => s.startsWith(open, i));
    if (!pair) {
      i++;
      continue;
    }
    const [open, close] = pair;
    const end = findClose(s, i + open.length, close);
    if (end < 0) return out; // an unclosed segment runs to the end of the text
    if (open === "$" && /\S/.test(s[i + 1] ?? "") && /\s/.test(s[end - 1] ?? "")) {
      i++; // "$5 and $7": a price, not math (math in $...$ does not end in a space it does not start with)
      continue;
    }
    out.push({ start: i, end: end + close.length, content: s.slice(i + open.length, end).trim() });
    i = end + close.length;
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

/** The prose outside math segments, with each segment replaced by spaces (indices kept). */
function proseOnly(s: string, segments: MathSegment[]): string {
  let out = "";
  let at = 0;
  for (const seg of segments) {
    out += s.slice(at, seg.start) + " ".repeat(seg.end - seg.start);
    at = seg.end;
  }
  return out + s.slice(at);
}

/** End index of the first sentence of `s`: a period before a space or the end, "。", or a line break, outside math. */
export function sentenceEnd(s: string, segments: MathSegment[] = mathSegments(s)): number {
  const prose = proseOnly(s, segments);
  const m = /\.(?=\s|$)|。|\n/.exec(prose);
  return m ? m.index : s.length;
}

/**
 * The answer a sentence states, when it states one in math: the value of its last math
 * segment ("The largest $n$ is $34$."). Null when the sentence has no math, carries a number
 * in prose before its first segment or after its last one ("we find $x = 3$, so there are
 * 34 ways" states 34), or its last segment holds no value.
 */
export function statedMath(sentence: string): string | null {
  const segments = mathSegments(sentence);
  if (segments.length === 0) return null;
  const prose = proseOnly(sentence, segments);
  const lastSeg = segments[segments.length - 1]!;
  if (/\d/.test(prose.slice(lastSeg.end)) || /\d/.test(prose.slice(0, segments[0]!.start))) return null;
  if (isProse(lastSeg.content)) return null; // "$5 and $": dollar signs of prices, not math
  return resultOf(lastSeg.content) || null;
}

/** Whether a "math" segment holds words: a plain word of three or more letters outside commands, environments and \text{}. */
function isProse(math: string): boolean {
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
  // a derivation over several lines: its last line (a matrix is one answer, kept whole)
  if (s.includes("\\begin") && !/\\begin\{[pbvBV]?matrix\}/.test(s)) {
    const lines = s.replace(/\\(?:begin|end)\{[a-zA-Z*]*\}(?:\{[^{}]*\})?/g, "").split("\\\\").map((l) => l.replace(/&/g, "").trim()).filter(Boolean);
    s = lines[lines.length - 1] ?? "";
  }
  const items = topLevelSplit(s, ",");
  if (items.length > 1 && items.filter((x) => x.includes("=")).length > 1) s = items[items.length - 1]!;
  if (/=|\\approx|\\doteq/.test(s) && !/\\(?:le|ge|ne|leq|geq|neq|leqslant|geqslant|lt|gt)(?![a-zA-Z])|[<>]/.test(s)) {
    const parts = s.split(/=|\\approx(?![a-zA-Z])|\\doteq(?![a-zA-Z])/).map((p) => p.trim());
    const last = parts[parts.length - 1]!;
    if (last && isConstant(last)) s = last;
  }
  s = s.trim();
  return /\d|\\(?:pi|infty|sqrt|emptyset|varnothing)(?![a-zA-Z])/.test(s) ? s : "";
}

/** No variable in it: letters only inside commands and \text{...}-like groups. */
function isConstant(s: string): boolean {
  const bare = s.replace(/\\(?:begin|end)\{[a-zA-Z*]*\}/g, "").replace(/\\(?:text|mathrm|mbox|textrm|operatorname)\s*\{[^{}]*\}/g, "").replace(/\\[a-zA-Z]+/g, "");
  return /\d/.test(bare) && !/[a-zA-Z]/.test(bare);
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
 * to the last number). Reads the last `window` characters.
 */
export function lastStatedMath(text: string, window = 4000): string | null {
  let tail = text.length > window ? text.slice(-window) : text;
  // a cut window starts at a line break, so that it does not start inside a math segment
  if (tail.length < text.length) tail = tail.slice(tail.indexOf("\n") + 1);
  const segments = mathSegments(tail);
  const prose = proseOnly(tail, segments);
  const cuts = [-1];
  const boundary = /\.(?=\s)|\n|。/g;
  for (let m = boundary.exec(prose); m; m = boundary.exec(prose)) cuts.push(m.index);
  let k = segments.length - 1;
  let end = tail.length;
  for (let c = cuts.length - 1; c >= 0; c--) {
    const cut = cuts[c]!;
    const sentence = tail.slice(cut + 1, end);
    while (k >= 0 && segments[k]!.start > end) k--;
    const hasMath = k >= 0 && segments[k]!.start > cut;
    if (hasMath || /\d/.test(sentence)) return hasMath ? statedMath(sentence) : null;
    end = cut;
  }
  return null;
}
