/**
 * Final-answer extraction from a model response (CoT or TIR transcript), in this order:
 * the last \boxed{...} / \fbox{...} / \framebox{...} (balanced braces, nested ones
 * included; adjacent boxes are joined into a list); the Minerva form "final answer is
 * $...$. I hope"; "the answer is" / "final answer is" / "答案是"; GSM8K's "#### n"; a
 * multiple-choice letter for sets of answer style "choice"; for GSM8K-style reasoning the
 * stated result; finally the last number.
 * All scans are linear in the length of the response, and a response longer than
 * MAX_RESPONSE_CHARS is read from its last MAX_RESPONSE_CHARS characters only (a final answer
 * is at the end): the work of one call is bounded (the slowest known shapes take about 60 ms
 * per million characters).
 */
import { answerChoice } from "./choice.js";
import { lastStatedMath, sentenceEnd, statedMath } from "./final-statement.js";
import { cleanAnswer } from "./normalize.js";

// The optional argument (\framebox[2cm]{...}) is bounded: an unbounded [^\]]* scanned to the
// end of the text from every "\boxed[" and made the scan quadratic.
const BOX_RE = /\\(?:boxed|fbox|framebox)\s*(?:\[[^\]{}]{0,64}\]\s*)?\{/g;

interface Box {
  start: number; // index of the backslash
  end: number; // index after the closing brace
  content: string;
}

/** End index (after the closing brace) of the group whose content starts at `start`, or -1. */
function closeBrace(text: string, start: number): number {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") {
      i++; // skip escaped characters such as \{ and \}
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i + 1;
  }
  return -1;
}

function boxes(text: string): Box[] {
  const out: Box[] = [];
  // a substring search is cheaper than the expression's stop at every backslash of a response without a box
  if (!text.includes("box")) return out;
  BOX_RE.lastIndex = 0;
  for (let m = BOX_RE.exec(text); m; m = BOX_RE.exec(text)) {
    const start = m.index + m[0].length;
    const end = closeBrace(text, start);
    if (end < 0) {
      out.push({ start: m.index, end: -1, content: "" });
      break; // an unclosed box swallows the rest of the text
    }
    out.push({ start: m.index, end, content: text.slice(start, end - 1).trim() });
    BOX_RE.lastIndex = end;
  }
  return out;
}

/** Content of the last \boxed{...} or \fbox{...} in the text, or null when there is none. */
export function lastBoxed(text: string): string | null {
  const all = boxes(text);
  const last = all[all.length - 1];
  if (!last || last.end < 0) return lastBareBoxed(text);
  return last.content;
}

/** "\boxed 5" without braces (the harness reads up to the next $). */
function lastBareBoxed(text: string): string | null {
  const i = text.lastIndexOf("\\boxed ");
  if (i < 0) return null;
  const rest = text.slice(i + 7);
  if (rest.trimStart().startsWith("{")) return null;
  const end = rest.indexOf("$");
  const v = (end < 0 ? rest : rest.slice(0, end)).trim();
  return v && v.length < 100 ? v : null;
}

/**
 * What may stand between the boxes of one multi-part answer: spacing, punctuation, math
 * delimiters, connecting words ("and", "or", "so", "respectively") and a short label
 * ("$a = \boxed{2}$ and $b = \boxed{3}$", "the value of $a$ is $\boxed{2}$, and the value of $b$ is $\boxed{7}$"). Anything else is reasoning: the last box wins.
 */
const BOX_JOINER =
  /^(?:[\s$,;:]|(?<!\.)\.(?!\.)|\\[,;:! ()[\]]|\\q?quad|\\text\{\s*(?:and|or|,|;)?\s*\}|\b(?:and|or|so|respectively)\b|[a-zA-Z](?:_\{?\w{1,3}\}?)?\s*=|(?:\bthe\s+values?\s+of\s+)?\$[a-zA-Z](?:_\{?\w{1,3}\}?)?\$\s+(?:is|equals)\b)*$/;

/** The trailing run of boxes separated only by joining text: \boxed{2} and \boxed{3} is the list "2, 3". */
function finalBoxes(text: string, all: Box[]): string | null {
  if (all.length === 0) return lastBareBoxed(text);
  const last = all[all.length - 1]!;
  if (last.end < 0) return null;
  const run = [last]; // collected backwards, then reversed (unshift per box was quadratic)
  for (let k = all.length - 2; k >= 0; k--) {
    const between = text.slice(all[k]!.end, run[run.length - 1]!.start);
    if (between.length > 60 || !BOX_JOINER.test(between)) break;
    run.push(all[k]!);
  }
  run.reverse();
  // the same answer boxed twice is one answer
  if (run.length > 1 && run.some((b) => b.content !== last.content)) return run.map((b) => b.content).join(", ");
  return last.content;
}

// an explicit statement of the final answer ("check our answer: ..." is not one)
const FINAL_STATEMENT = /(?:final answer(?: is)?|the answer is|答案是|答案为)[\s:：]*/gi;

/**
 * An explicit final statement after the last box ("... \\boxed{3}. Wait, ... The final answer
 * is $5$.") overrides the box, when it states a value: math right after it, or a number alone.
 */
function laterStatement(after: string): string | null {
  let last: RegExpExecArray | null = null;
  FINAL_STATEMENT.lastIndex = 0;
  for (let m = FINAL_STATEMENT.exec(after); m; m = FINAL_STATEMENT.exec(after)) last = m;
  if (!last) return null;
  const rest = after.slice(last.index + last[0].length, last.index + last[0].length + 2000);
  const math = leadingMath(rest);
  if (math !== null) return math.startsWith("\\boxed") ? null : math;
  const n = /^[-+]?\d[\d,]*(?:\.\d+)?%?(?=\s*(?:[.。]\s|[.。]?$|\n))/.exec(rest);
  return n ? n[0] : null;
}

const ANSWER_PHRASE = /(?:the (?:final )?answer is|final answer(?: is)?\s*:|final answer is|答案是|答案为|answer\s*:)/gi;

/** The text after the last "the answer is" (and similar), up to the end of that sentence. */
function answerPhrase(text: string): string | null {
  // a plain substring search first: most responses say no "answer" at all, and the phrase
  // expression has no literal prefix to skip ahead with (Answer, answer, ANSWER)
  if (!text.includes("nswer") && !text.includes("NSWER") && !text.includes("答案")) return null;
  let last: RegExpExecArray | null = null;
  ANSWER_PHRASE.lastIndex = 0;
  for (let m = ANSWER_PHRASE.exec(text); m; m = ANSWER_PHRASE.exec(text)) last = m;
  if (!last) return null;
  let rest = text.slice(last.index + last[0].length, last.index + last[0].length + 2000);
  const para = rest.indexOf("\n\n");
  if (para >= 0) rest = rest.slice(0, para);
  rest = rest.replace(/^[\s:：]+/, "");
  const math = leadingMathList(rest);
  if (math !== null) return math;
  // up to the end of the sentence (a period before a space or the end, not a decimal point;
  // none inside math): "The largest $n$ is $34$" states 34
  const sentence = rest.slice(0, sentenceEnd(rest));
  const stated = statedMath(sentence);
  if (stated !== null) return stated;
  const v = sentence.trim();
  return v || null;
}

/** $...$, \(...\), \[...\] or $$...$$ at the start of the text. */
function leadingMath(s: string): string | null {
  const pairs: [string, string][] = [["$$", "$$"], ["$", "$"], ["\\(", "\\)"], ["\\[", "\\]"]];
  for (const [open, close] of pairs) {
    if (s.startsWith(open)) {
      const end = s.indexOf(close, open.length);
      if (end > open.length) return s.slice(open.length, end).trim();
    }
  }
  return null;
}

const MATH_LIST_JOINER = /^\s*,?\s*(?:(?:and|or)\s+|,\s*)/;

/**
 * Math at the start of the text, and the math segments joined to it only by "and", "or" or
 * commas: "the answer is $x = 2$ or $x = -3$" states both roots, the list "x = 2, x = -3".
 */
function leadingMathList(s: string): string | null {
  const first = leadingMath(s);
  if (first === null || !s.startsWith("$") || s.startsWith("$$")) return first;
  const items = [first];
  let at = s.indexOf("$", 1) + 1;
  for (let k = 0; k < 20; k++) {
    const tail = s.slice(at, at + 200);
    const j = MATH_LIST_JOINER.exec(tail);
    if (!j || tail[j[0].length] !== "$" || tail[j[0].length + 1] === "$") break;
    const end = s.indexOf("$", at + j[0].length + 1);
    if (end < 0) break;
    const item = s.slice(at + j[0].length + 1, end).trim();
    if (!item) break;
    items.push(item);
    at = end + 1;
  }
  // the list must end the sentence: "$5$, and $6$ is wrong" states 5
  return items.length > 1 && /^\s*(?:[.。!]|\n|$)/.test(s.slice(at, at + 4)) ? items.join(", ") : first;
}

/** The Minerva form: "Final Answer: The final answer is $X$. I hope it is correct." */
function minervaAnswer(text: string): string | null {
  const i = text.lastIndexOf("final answer is $");
  if (i < 0) return null;
  const rest = text.slice(i + "final answer is $".length);
  const end = rest.indexOf("$. I hope");
  return end >= 0 ? rest.slice(0, end).trim() : null;
}

/** GSM8K's "#### 42". */
function hashMarker(text: string): string | null {
  const i = text.lastIndexOf("####");
  if (i < 0) return null;
  const v = text.slice(i + 4).split("\n")[0]!.trim();
  return v || null;
}

const NUMBER_RE = /-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d{1,3}(?: \d{3})+(?!\d|[.,]\d)|-?\d*\.?\d+/g;

/** The last number in the text (thousands separators removed). Scans backwards in windows. */
export function lastNumber(text: string): string | null {
  let end = text.length;
  while (end > 0) {
    let start = Math.max(0, end - 512);
    // do not cut a number in two: move the window start back to a separator
    while (start > 0 && /[\d.,\s-]/.test(text[start]!)) start--; // start < end <= text.length
    const window = text.slice(start, end);
    let last: string | null = null;
    NUMBER_RE.lastIndex = 0;
    for (let m = NUMBER_RE.exec(window); m; m = NUMBER_RE.exec(window)) last = m[0];
    if (last !== null) return last.replace(/[, ]/g, "");
    end = start;
  }
  return null;
}

/**
 * GSM8K-style reasoning ("16 - 3 - 4 = <<16-3-4=9>>9 eggs"): the result of the last line
 * that states one, i.e. the first number after that line's last "=" (annotations removed),
 * or else that line's first number. Sentences after the result often mention other
 * numbers ("15 liters of water out of the 24 liters").
 */
function lastResult(text: string): string | null {
  const lines = text.replace(/<<[^<>\n]*>>/g, "").split("\n");
  for (let k = lines.length - 1; k >= 0; k--) {
    let line = lines[k]!;
    if (!/\d/.test(line)) continue;
    // a stated rounding is the result: "= 33.333...%, which rounds down to 33%"
    const rounded = /\brounds?(?:ed)?\s+(?:(?:down|up)\s+)?to\s+(-?\d[\d,]*(?:\.\d+)?)/i.exec(line);
    if (rounded) return rounded[1]!.replace(/,/g, "");
    // a leading subordinate clause only sets up the result: "Since 1.76 is less than 2, he will recycle it in 2 days."
    const clause = /^\s*(?:since|because|as|if)\b[^,]*,\s*(.*\d.*)$/i.exec(line);
    if (clause && !clause[1]!.includes("=")) line = clause[1]!;
    // a closing sentence that states the result in words: "so it took three days"
    const sentences = line.split(/(?<=[.!?])(?<!\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr)\.)\s+(?=[A-Z])/);
    const closing = sentences[sentences.length - 1]!; // split() gives at least one
    if (sentences.length > 1 && !/\d/.test(closing)) {
      const w = /\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b/i.exec(closing);
      if (w) return String(NUMBER_WORDS.indexOf(w[1]!.toLowerCase()) + 1);
    }
    const eq = line.lastIndexOf("=");
    if (eq >= 0) {
      const after = lastNumberIn(line.slice(eq + 1), true);
      if (after !== null) return after;
    }
    // a closing sentence states the result first: "It would take 15 hours to clean 45 rooms."
    return lastNumberIn(line, true);
  }
  return null;
}

const NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

function lastNumberIn(text: string, first: boolean): string | null {
  NUMBER_RE.lastIndex = 0;
  const m = NUMBER_RE.exec(text);
  if (first) return m ? m[0].replace(/[, ]/g, "") : null;
  return lastNumber(text);
}

const CHOICE_PATTERNS = [
  // Each optional word takes the spaces after it, so a run of spaces has one way to match: with
  // four adjacent \s* around optional words, "answer" and a few hundred spaces took seconds.
  /(?:answer|choice|option)\s*(?:(?:is|:|=|：)\s*)?(?:(?:option|choice)\s*)?(?:[:：]\s*)?\(?([A-E])\)?(?![A-Za-z])/gi,
  /\(?([A-E])\)?\s+is\s+(?:the\s+)?(?:correct|right)/g,
  /\(([A-E])\)\s*(?:is\s+)?(?:correct|right)/g,
];

/** The choice letter a whole response settles on, or null. */
export function choiceFromResponse(text: string): string | null {
  for (const re of CHOICE_PATTERNS) {
    let last: string | null = null;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) last = m[1]!.toUpperCase();
    if (last) return last;
  }
  // a line that is only a letter, e.g. "D" or "(D)"
  const lines = text.trim().split("\n");
  const tail = lines[lines.length - 1]!.trim();
  const m = /^\(?([A-E])\)?\.?$/.exec(tail);
  return m ? m[1]! : null;
}

/**
 * How a benchmark set states its answers, for the extraction rules that depend on it:
 * "choice" (every reference is a choice letter: the letter a response settles on is the
 * answer), "gsm8k" (GSM8K-style reasoning: without a marked answer, the stated result of
 * the last `<<...>>` calculation), "math" (the default). Each set's descriptor names its
 * style (src/datasets/); answerStyleOf(name) gives it for a set name.
 */
export type AnswerStyle = "choice" | "gsm8k" | "math";
export const ANSWER_STYLES: readonly AnswerStyle[] = ["choice", "gsm8k", "math"];

export interface ExtractOptions {
  /** The answer style of the set the response answers (default "math"). */
  answerStyle?: AnswerStyle;
}

/** How much of a response extraction reads: its end, up to this many characters. No model writes a response this long. */
export const MAX_RESPONSE_CHARS = 1_000_000;

/** The final answer of a response, or null when none can be found. */
export function extractAnswer(response: string, options: ExtractOptions = {}): string | null {
  if (typeof response !== "string" || response.length === 0) return null;
  const tail = response.length > MAX_RESPONSE_CHARS ? response.slice(-MAX_RESPONSE_CHARS) : response;
  const text = tail.includes("ки") ? tail.replace(/ки/g, "") : tail;
  const all = boxes(text);
  let raw = finalBoxes(text, all);
  const lastBox = all[all.length - 1];
  if (raw !== null && lastBox && lastBox.end > 0) raw = laterStatement(text.slice(lastBox.end)) ?? raw;
  if (raw === null) raw = minervaAnswer(text);
  if (raw === null) raw = answerPhrase(text);
  if (raw === null) raw = hashMarker(text);
  const style = options.answerStyle ?? "math";
  if (raw === null && style === "math") raw = lastStatedMath(text);
  if (style === "choice") {
    const letter = raw !== null ? answerChoice(raw) : null;
    if (letter) return letter;
    const fromText = choiceFromResponse(text);
    if (fromText) return fromText;
  }
  if (raw === null && (style === "gsm8k" || text.includes("<<"))) raw = lastResult(text);
  if (raw === null) raw = lastNumber(text);
  if (raw === null) return null;
  const cleaned = tidy(raw);
  return cleaned === "" ? null : cleaned;
}

/** What is not the answer: line breaks, a leading colon, trailing periods and slashes, \$, trailing units. */
function tidy(raw: string): string {
  let s = raw.replace(/\n\s*/g, " ").trim();
  s = s.replace(/^[:：]\s*/, "");
  s = s.replace(/\/+$/, "");
  s = cleanAnswer(s);
  s = s.replace(/\\(?:left|right)(?![a-zA-Z])\.?/g, "").replace(/\\displaystyle\s*/g, "");
  return s.trim();
}
