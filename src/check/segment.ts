/**
 * Cutting a worked solution into statements: the math in $...$, $$...$$, \(...\), \[...\],
 * align-like environments (one statement per row, rows split at \\), and lines of plain
 * algebra outside any delimiters. A math region is further cut at connectives
 * (\implies, \quad, \text{ so }, ...) and at commas that separate relations. Every
 * statement keeps its character offsets in the given text. Code (fenced ``` blocks, Asymptote's
 * [asy]...[/asy]) is skipped: its assignments are not mathematics.
 */

export interface Statement {
  /** Offsets into the solution text: text.slice(start, end) is the statement's source. */
  start: number;
  end: number;
  /** The source with formatting that does not change the value blanked (same length as end - start). */
  src: string;
  /** Which math region the statement is in (statements of one display share it). */
  region: number;
  /** True when the statement starts with a relation ("&= ..."): it continues the previous row's chain. */
  continues: boolean;
  /**
   * The math around the statement continues outside it: its first side completes an expression
   * begun before (a region that follows "$1444-$ $1369 = 75$" or "half of $10 = 5$"), or its last
   * side goes on after it ("$= 200$ ! permutations"). Those sides are not values.
   */
  openStart?: boolean;
  openEnd?: boolean;
}

/** Fills a blanked unit (\text{ cm}): its side is a measure, not a pure number. */
export const UNIT = "\u0002";

interface Region {
  start: number; // first character of the content
  end: number; // after the last character of the content
  open: number; // first character of the opening delimiter
  close: number; // after the closing delimiter
}

/** Environments whose rows are separate statements. */
const ROW_ENVS = /^(align|aligned|alignat|alignedat|eqnarray|gather|gathered|equation|multline|split|flalign)\*?$/;

/** Math regions of the text, in order, and the lines of plain algebra between them. */
export function mathRegions(text: string): Region[] {
  const out: Region[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === "[" && text.startsWith("[asy]", i)) {
      const e = text.indexOf("[/asy]", i);
      i = e < 0 ? n : e + 6;
      continue;
    }
    if (ch === "\\") {
      const nx = text[i + 1];
      if (nx === "$") {
        i += 2; // an escaped dollar sign (money) in prose
        continue;
      }
      if (nx === "(" || nx === "[") {
        const close = nx === "(" ? "\\)" : "\\]";
        const e = text.indexOf(close, i + 2);
        if (e < 0) break;
        out.push({ start: i + 2, end: e, open: i, close: e + 2 });
        i = e + 2;
        continue;
      }
      const m = /^\\begin\{([a-zA-Z]+\*?)\}/.exec(text.slice(i, i + 40));
      if (m && ROW_ENVS.test(m[1]!)) {
        const endTag = `\\end{${m[1]}}`;
        const e = text.indexOf(endTag, i);
        if (e < 0) break;
        out.push({ start: i + m[0].length, end: e, open: i, close: e + endTag.length });
        i = e + endTag.length;
        continue;
      }
      i += 2;
      continue;
    }
    if (ch === "$") {
      const display = text[i + 1] === "$";
      const open = display ? 2 : 1;
      const e = findDollar(text, i + open, display);
      if (e < 0) break;
      out.push({ start: i + open, end: e, open: i, close: e + open });
      i = e + open;
      continue;
    }
    i++;
  }
  return out;
}

function findDollar(text: string, from: number, display: boolean): number {
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (c === "\\") {
      j++;
      continue;
    }
    if (c === "$" && (!display || text[j + 1] === "$")) return j;
  }
  return -1;
}

/** Everything the segmenter returns: the statements and the prose around them. */
export interface Segmentation {
  statements: Statement[];
}

/**
 * The text with code blanked (same length, newlines kept): fenced blocks (```python ... ```,
 * ```output ... ```) and Asymptote ([asy] ... [/asy]). Assignments in code are not mathematics.
 */
function maskCode(text: string): string {
  if (!text.includes("```") && !text.includes("[asy]")) return text;
  const blank = (s: string) => s.replace(/[^\n]/g, " ");
  return text.replace(/```[\s\S]*?(```|$)|\[asy\][\s\S]*?(\[\/asy\]|$)/g, blank);
}

export function segment(source: string): Segmentation {
  const text = maskCode(source);
  const regions = mathRegions(text);
  const statements: Statement[] = [];
  let regionId = 0;
  let last = 0;
  let previous: Region | null = null;
  for (const r of regions) {
    plainLines(text, last, r.start, statements, () => regionId++);
    const id = regionId++;
    const first = statements.length;
    for (const row of rows(text, r.start, r.end)) pieces(text, row.start, row.end, id, statements);
    if (statements.length > first) {
      const prose = text.slice(previous ? previous.close : 0, r.open);
      const dangling = previous !== null && prose.trim() === "" && OPEN_TAIL.test(text.slice(previous.start, previous.end).trimEnd());
      if (dangling || OPERATOR_WORD_BEFORE.test(prose)) {
        const head = statements[first]!;
        if (text.slice(r.start, head.start).trim() === "") head.openStart = true;
      }
      const tail = statements[statements.length - 1]!;
      if (text.slice(tail.end, r.end).trim() === "" && OPEN_HEAD_AFTER.test(text.slice(r.close, r.close + 40))) tail.openEnd = true;
    }
    previous = r;
    last = r.end;
  }
  plainLines(text, last, text.length, statements, () => regionId++);
  return { statements };
}

/** Math that ends in an operator: the next region completes it. */
const OPEN_TAIL = /([-+*/=(^]|\\(cdot|times|div|pm|mp))$/;
/** Prose that ends in an operator word: the math after it is an operand ("half of $10 = 5$"). */
const OPERATOR_WORD_BEFORE = /\b(of|times|plus|minus|over|into|divided by|multiplied by|less than|more than|per)\s*$/i;
/** What after a region continues its last value ("$= 200$ ! permutations", "$= 3$ squared"). */
const OPEN_HEAD_AFTER = /^\s*([!^_]|[/*+×·=-](?!\s)|(times|squared|cubed|factorial|divided|multiplied|plus|minus)\b)/i;

/** Rows of a math region: split at \\ outside braces and outside matrix-like environments. */
function rows(text: string, start: number, end: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let depth = 0;
  let envDepth = 0;
  let rowStart = start;
  for (let i = start; i < end; i++) {
    const c = text[i]!;
    if (c === "{") depth++;
    else if (c === "}") depth--;
    else if (c === "\\") {
      const m = /^\\(begin|end)\{([a-zA-Z]+\*?)\}/.exec(text.slice(i, i + 40));
      if (m) {
        if (!ROW_ENVS.test(m[2]!)) envDepth += m[1] === "begin" ? 1 : -1;
        i += m[0].length - 1;
        continue;
      }
      if (text[i + 1] === "\\" && depth === 0 && envDepth === 0) {
        out.push({ start: rowStart, end: i });
        rowStart = i + 2;
      }
      i++;
    }
  }
  out.push({ start: rowStart, end });
  return out;
}

/** \text{...} contents that join statements rather than name a unit. */
const CONNECTIVE = /^(and|or|so|then|thus|hence|if|since|where|when|because|for|with|giving|gives|which|implies|i\.e\.|that is|we get|so that|therefore|but|while|whence|as|by|from|to|of|in|is|are|at|times|plus|minus|divided|multiplied|squared|cubed|over|less|more|than)\b/i;
/** Commands that join two statements. */
const JOINERS = new Set(["implies", "Rightarrow", "Longrightarrow", "Leftrightarrow", "Longleftrightarrow", "iff", "therefore", "because", "quad", "qquad", "text", "textrm", "mbox", "hbox", "textnormal", "textit", "textbf", "intertext", "label", "tag", "hspace", "hskip", "qquad", "enspace", "nonumber", "notag", "Longleftarrow", "Leftarrow", "impliedby", "land", "lor", "wedge", "vee"]);

/**
 * Cuts a row into statements at connectives and at top-level commas between relations, blanking
 * alignment marks and unit text so that the value is what remains.
 */
function pieces(text: string, start: number, end: number, region: number, out: Statement[]): void {
  const chars = text.slice(start, end).split("");
  const cuts: number[] = []; // relative indices where a statement ends and the next begins (the separator is blanked)
  let depth = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "{" || c === "(" || c === "[") depth++;
    else if (c === "}" || c === ")" || c === "]") depth = Math.max(0, depth - 1);
    else if (c === "&") chars[i] = " ";
    else if (c === "\\") {
      const m = /^\\([a-zA-Z]+)\*?/.exec(text.slice(start + i, start + i + 40));
      if (!m) {
        if (chars[i + 1] === "," || chars[i + 1] === ";" || chars[i + 1] === "!" || chars[i + 1] === " " || chars[i + 1] === ":") {
          chars[i] = " ";
          chars[i + 1] = " ";
        }
        i++;
        continue;
      }
      const name = m[1]!;
      if (name === "begin" || name === "end") {
        const env = /^\\(begin|end)\{([a-zA-Z]+\*?)\}/.exec(text.slice(start + i, start + i + 40));
        if (env && ROW_ENVS.test(env[2]!)) {
          for (let k = i; k < i + env[0].length; k++) chars[k] = " ";
          i += env[0].length - 1;
          continue;
        }
      }
      if (JOINERS.has(name)) {
        let j = i + m[0].length;
        let content = "";
        const isText = /^(text|textrm|mbox|hbox|textnormal|textit|textbf|intertext|label|tag|hspace|hskip)$/.test(name);
        while (chars[j] === " ") j++;
        if (isText && chars[j] === "{") {
          const close = closeBrace(chars, j);
          if (close < 0) {
            i = chars.length;
            break;
          }
          content = chars.slice(j + 1, close).join("").trim();
          j = close + 1;
        }
        // a unit (\text{ cm}) is blanked and stays inside the statement, marked with UNIT (with its
        // power: \text{cm}^2); anything else separates
        const unit = isText && name !== "intertext" && name !== "label" && name !== "tag" && isUnitText(content);
        if (unit && content !== "") {
          const pow = /^\s*\^\s*(\{\s*\d\s*\}|\d)/.exec(chars.slice(j, j + 12).join(""));
          if (pow) j += pow[0].length;
        }
        const blank = unit && content !== "" ? UNIT : " ";
        for (let k = i; k < j; k++) chars[k] = blank;
        if (!unit && depth === 0) cuts.push(i);
        else if (!unit) {
          // words inside brackets: the bracketed math is not a value
          for (let k = i; k < j; k++) chars[k] = "\u0001";
        }
        i = j - 1;
        continue;
      }
      i += m[0].length - 1;
      continue;
    } else if ((c === "," || c === ";") && depth === 0) cuts.push(i);
  }
  // merge comma cuts that do not separate two relations ("x = 1, 2, 3" stays one statement)
  const bounds = [0, ...cuts, chars.length];
  let from = 0;
  // a piece of math cut off by words before this one ("\frac12 \text{ of } 10 = 5"): this one completes it
  let dangling = false;
  for (let k = 1; k < bounds.length; k++) {
    const cut = bounds[k]!;
    const isComma = cut < chars.length && (chars[cut] === "," || chars[cut] === ";");
    if (isComma) {
      const nextCut = bounds[k + 1] ?? chars.length;
      const before = chars.slice(from, cut).join("");
      const after = chars.slice(cut + 1, nextCut).join("");
      if (!hasRelation(before) || !hasRelation(after)) continue;
    }
    const made = emit(chars, from, cut, start, region, out);
    if (made && dangling) made.openStart = true;
    const piece = chars.slice(from, cut).join("");
    dangling = !isComma && piece.split(UNIT).join("").trim() !== "" && !hasRelation(piece);
    from = cut + 1;
  }
}

function emit(chars: string[], from: number, to: number, base: number, region: number, out: Statement[]): Statement | null {
  let a = from;
  let b = to;
  // a unit is kept at the end of a statement (18 \text{ cm}^2), a label dropped at its start (\text{Area} = ...)
  const skip = (ch: string | undefined) => ch === " " || ch === "\n" || ch === "\t" || ch === "\r" || ch === "," || ch === ";" || ch === ".";
  while (a < b && (skip(chars[a]) || chars[a] === UNIT)) a++;
  while (b > a && skip(chars[b - 1])) b--;
  // a trailing period after the math belongs to the sentence
  if (b <= a) return null;
  const src = chars.slice(a, b).join("");
  if (src.includes("\u0001")) return null; // text inside a bracket: not a statement we can read
  if (!hasRelation(src)) return null;
  const made: Statement = { start: base + a, end: base + b, src, region, continues: /^\s*(=|<|>|\\(le|ge|leq|geq|ne|neq|approx|lt|gt)\b)/.test(src) };
  out.push(made);
  return made;
}

const RELATION = /=|<|>|\\(le|ge|leq|geq|ne|neq|approx|lt|gt|leqslant|geqslant)(?![a-zA-Z])|[≤≥≠≈]/;

export function hasRelation(s: string): boolean {
  return RELATION.test(s);
}

function closeBrace(chars: string[], open: number): number {
  let depth = 0;
  for (let j = open; j < chars.length; j++) {
    if (chars[j] === "\\") {
      j++;
      continue;
    }
    if (chars[j] === "{") depth++;
    else if (chars[j] === "}" && --depth === 0) return j;
  }
  return -1;
}

/** A unit or a label inside math: one or two short words, no connective. */
function isUnitText(content: string): boolean {
  if (content === "") return true;
  if (CONNECTIVE.test(content)) return false;
  const words = content.split(/\s+/);
  return words.length <= 2 && /^[a-zA-Z./²³°^0-9\s-]+$/.test(content) && !/^\d/.test(content);
}

/** Words allowed in a line of plain algebra. */
const PLAIN_WORDS = /^(sin|cos|tan|log|ln|sqrt|exp|pi)$/;
const LEAD_WORDS = /^(so|then|thus|hence|therefore|now|and|or|i\.e\.|giving|we get|which gives)[,:]?\s+/i;

/** A step label or list marker before a line of algebra: "Step 2:", "3.", "(a)", "- ". */
const LABEL = /^(step\s*\d+\s*[:.)]|\d{1,2}[.)](?!\d)|\([a-z0-9]\)|[-*•])\s+/i;
/** Implication arrows between plain statements: "2x = 4 => x = 2". */
const ARROW = /\s*(==>|=>|⇒|->|→|⟹)\s*/g;

/** Lines of plain algebra ("2x + 3 = 7") in the prose between offsets from and to (Asymptote code skipped). */
function plainLines(text: string, from: number, to: number, out: Statement[], nextRegion: () => number): void {
  if (to <= from) return;
  const chunk = text.slice(from, to);
  let lineStart = 0;
  let inAsy = false;
  for (const line of chunk.split("\n")) {
    const abs = from + lineStart;
    lineStart += line.length + 1;
    if (line.includes("[asy]")) inAsy = !line.includes("[/asy]");
    else if (line.includes("[/asy]")) {
      inAsy = false;
      continue;
    }
    if (inAsy || line.includes("[asy]") || line.includes("$") || line.includes("\\(") || line.includes("\\[")) continue;
    // the parts between implication arrows are statements of their own
    let partStart = 0;
    ARROW.lastIndex = 0;
    const parts: [number, string][] = [];
    for (let m = ARROW.exec(line); m; m = ARROW.exec(line)) {
      parts.push([partStart, line.slice(partStart, m.index)]);
      partStart = m.index + m[0].length;
    }
    parts.push([partStart, line.slice(partStart)]);
    for (const [at, part] of parts) plainStatement(part, abs + at, out, nextRegion);
  }
}

function plainStatement(part: string, abs: number, out: Statement[], nextRegion: () => number): void {
  let body = part;
  let offset = 0;
  for (let k = 0; k < 2; k++) {
    const t = body.trimStart();
    const lead = LEAD_WORDS.exec(t) ?? LABEL.exec(t);
    if (!lead) break;
    offset += body.length - t.length + lead[0].length;
    body = part.slice(offset);
  }
  const trimmed = body.replace(/[.\s]+$/, "");
  if (!/=/.test(trimmed) || !/^[\s0-9a-zA-Z+\-*/^().,=<>·×÷−√]+$/.test(trimmed)) return;
  const words = trimmed.match(/[a-zA-Z]{2,}/g) ?? [];
  if (!words.every((w) => PLAIN_WORDS.test(w))) return;
  const lead2 = trimmed.length - trimmed.trimStart().length;
  const start = abs + offset + lead2;
  const src = trimmed.trimStart();
  if (src === "") return;
  out.push({ start, end: start + src.length, src, region: nextRegion(), continues: /^=/.test(src) });
}
