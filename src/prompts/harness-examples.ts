/**
 * The few-shot examples of the Qwen2.5-Math evaluation harness are published as Python
 * source (evaluation/examples.py): a get_examples() function whose body assigns
 * `examples["gsm8k"] = [("question", "answer"), ...]` for each shot set. qmath reads that
 * file at run time rather than holding a copy. This module parses the Python subset the file
 * is written in: statements `examples[<str>] = <literal>`, where literals are lists and
 * tuples of string literals (other statements, such as the def line, `examples = {}` and
 * `return examples`, are skipped; comments and line continuations are understood).
 *
 * String literals follow Python 3 exactly: single, double and triple quotes; the r/u
 * prefixes; adjacent literals concatenated; and, in a non-raw literal, the escapes \\, \',
 * \", \a, \b, \f, \n, \r, \t, \v, octal, \x, \u, \U and backslash-newline, while an
 * unknown escape keeps its backslash. So where the file writes "\frac" in a plain string,
 * the text holds a form feed followed by "rac", as the harness's prompt does.
 */
import { QmathError } from "../errors.js";
import type { Shot } from "./fewshot.js";

/** A value of the literal subset: a string, or a list/tuple of values. */
export type PyValue = string | PyValue[];

type Token =
  | { kind: "string"; value: string; line: number }
  | { kind: "name"; value: string; line: number }
  | { kind: "op"; value: string; line: number }
  | { kind: "newline"; line: number }
  | { kind: "other"; value: string; line: number };

class PySyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

/** Reads a string literal whose opening quote is at `start` (after any prefix). Returns its value and the index after it. */
function readString(src: string, start: number, raw: boolean, lineAt: () => number): { value: string; end: number; newlines: number } {
  const quote = src[start]!;
  const triple = src.startsWith(quote.repeat(3), start);
  const close = triple ? quote.repeat(3) : quote;
  let i = start + close.length;
  let out = "";
  let newlines = 0;
  for (;;) {
    if (i >= src.length) throw new PySyntaxError("unterminated string literal", lineAt());
    if (src.startsWith(close, i)) return { value: out, end: i + close.length, newlines };
    const c = src[i]!;
    if (c === "\n") {
      if (!triple) throw new PySyntaxError("unterminated string literal (a line break inside quotes)", lineAt());
      newlines++;
      out += c;
      i++;
      continue;
    }
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    const next = src[i + 1];
    if (next === undefined) throw new PySyntaxError("unterminated string literal", lineAt());
    if (raw) {
      // a raw literal keeps the backslash and the character after it (which cannot end the literal)
      out += c + next;
      if (next === "\n") newlines++;
      i += 2;
      continue;
    }
    if (next === "\n") {
      newlines++;
      i += 2;
      continue;
    }
    if (Object.hasOwn(SIMPLE_ESCAPES, next)) {
      out += SIMPLE_ESCAPES[next];
      i += 2;
      continue;
    }
    if (/[0-7]/.test(next)) {
      const m = /^[0-7]{1,3}/.exec(src.slice(i + 1, i + 4))!;
      out += String.fromCodePoint(parseInt(m[0], 8));
      i += 1 + m[0].length;
      continue;
    }
    const hexLength = next === "x" ? 2 : next === "u" ? 4 : next === "U" ? 8 : 0;
    if (hexLength > 0) {
      const hex = src.slice(i + 2, i + 2 + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) throw new PySyntaxError(`truncated \\${next} escape`, lineAt());
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) throw new PySyntaxError(`illegal Unicode character in \\${next} escape`, lineAt());
      out += String.fromCodePoint(code);
      i += 2 + hexLength;
      continue;
    }
    if (next === "N") throw new PySyntaxError("\\N{...} escapes are not supported", lineAt());
    // an unknown escape: Python keeps the backslash
    out += c;
    i++;
  }
}

function tokenize(source: string): Token[] {
  const src = source.replace(/\r\n?/g, "\n");
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === "\n") {
      tokens.push({ kind: "newline", line });
      line++;
      i++;
    } else if (c === " " || c === "\t" || c === "\f") {
      i++;
    } else if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (c === "\\" && src[i + 1] === "\n") {
      line++;
      i += 2;
    } else {
      const prefix = /^([rRuUbBfF]{0,2})(['"])/.exec(src.slice(i, i + 3));
      if (prefix) {
        const p = prefix[1]!.toLowerCase();
        // str literals only: no bytes (b), f-strings (f) or combinations
        if (p !== "" && p !== "r" && p !== "u") throw new PySyntaxError(`string prefix '${prefix[1]}' is not supported`, line);
        const startLine = line;
        const s = readString(src, i + prefix[1]!.length, p === "r", () => line);
        tokens.push({ kind: "string", value: s.value, line: startLine });
        line += s.newlines;
        i = s.end;
      } else if (/[A-Za-z_]/.test(c)) {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
        tokens.push({ kind: "name", value: m[0], line });
        i += m[0].length;
      } else if ("[](){},:=".includes(c)) {
        tokens.push({ kind: "op", value: c, line });
        i++;
      } else {
        tokens.push({ kind: "other", value: c, line });
        i++;
      }
    }
  }
  tokens.push({ kind: "newline", line });
  return tokens;
}

/** Splits tokens into logical lines: newlines inside brackets do not end a statement. */
function statements(tokens: Token[]): Token[][] {
  const out: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === "newline") {
      if (depth > 0) continue;
      if (current.length > 0) out.push(current);
      current = [];
      continue;
    }
    if (t.kind === "op" && "([{".includes(t.value)) depth++;
    if (t.kind === "op" && ")]}".includes(t.value)) depth = Math.max(0, depth - 1);
    current.push(t);
  }
  return out;
}

/** Parses one literal from tokens[pos]: strings (adjacent ones joined), lists, tuples, parenthesized values. */
function parseValue(tokens: Token[], pos: number): { value: PyValue; pos: number } {
  const t = tokens[pos];
  if (t === undefined) throw new PySyntaxError("a value is missing", tokens[pos - 1]?.line ?? 0);
  if (t.kind === "string") {
    let value = t.value;
    let p = pos + 1;
    while (tokens[p]?.kind === "string") value += (tokens[p++] as { value: string }).value;
    return { value, pos: p };
  }
  if (t.kind === "op" && (t.value === "[" || t.value === "(")) {
    const closer = t.value === "[" ? "]" : ")";
    const items: PyValue[] = [];
    let p = pos + 1;
    let sawComma = false;
    for (;;) {
      const u = tokens[p];
      if (u === undefined) throw new PySyntaxError(`'${t.value}' was never closed`, t.line);
      if (u.kind === "op" && u.value === closer) {
        p++;
        break;
      }
      const item = parseValue(tokens, p);
      items.push(item.value);
      p = item.pos;
      const sep = tokens[p];
      if (sep?.kind === "op" && sep.value === ",") {
        sawComma = true;
        p++;
      } else if (!(sep?.kind === "op" && sep.value === closer)) {
        throw new PySyntaxError(`expected ',' or '${closer}'`, sep?.line ?? t.line);
      }
    }
    // ("text") is the string itself, not a tuple
    if (t.value === "(" && items.length === 1 && !sawComma) return { value: items[0]!, pos: p };
    return { value: items, pos: p };
  }
  const shown = "value" in t ? t.value : "end of line";
  throw new PySyntaxError(`'${shown}' is not a string, list or tuple literal`, t.line);
}

const FIX_HINT = "Use the harness's evaluation/examples.py: pass --fewshot-file PATH, or delete a damaged cached copy to download it again.";

/** Parses examples.py into its shot sets by name (the values unchecked). Throws QmathError naming the line. */
export function parseExamplesSource(source: string, origin: string): Map<string, PyValue> {
  const sets = new Map<string, PyValue>();
  try {
    for (const st of statements(tokenize(source))) {
      const [name, open, key, close, eq] = st;
      if (!(name?.kind === "name" && name.value === "examples" && open?.kind === "op" && open.value === "[")) continue;
      if (key?.kind !== "string" || close?.kind !== "op" || close.value !== "]" || eq?.kind !== "op" || eq.value !== "=")
        throw new PySyntaxError("expected examples[\"name\"] = [...]", name.line);
      const v = parseValue(st, 5);
      if (v.pos !== st.length) throw new PySyntaxError("unexpected text after the value", st[v.pos]!.line);
      sets.set(key.value, v.value);
    }
  } catch (e) {
    if (!(e instanceof PySyntaxError)) throw e;
    throw new QmathError(
      "bad_input",
      `${origin} line ${e.line}: ${e.message}; it is not the few-shot examples file qmath can read.`,
      FIX_HINT,
    );
  }
  if (sets.size === 0) throw new QmathError("bad_input", `${origin} assigns no examples["..."] shot sets: it is not the few-shot examples file qmath can read.`, FIX_HINT);
  return sets;
}

/** The harness's few-shot sets, read from its examples.py. */
export class HarnessExamples {
  constructor(
    private readonly sets: Map<string, PyValue>,
    /** Where the file was read from (for messages). */
    readonly origin: string,
  ) {}

  static parse(source: string, origin: string): HarnessExamples {
    return new HarnessExamples(parseExamplesSource(source, origin), origin);
  }

  names(): string[] {
    return [...this.sets.keys()];
  }

  /** Shot set `name` as (question, answer) pairs. Throws QmathError when the file lacks it or it is not a list of pairs of strings. */
  shots(name: string): Shot[] {
    const v = this.sets.get(name);
    if (v === undefined) throw new QmathError("bad_input", `${this.origin} has no '${name}' few-shot set.`, FIX_HINT);
    if (!Array.isArray(v) || !v.every((s) => Array.isArray(s) && s.length === 2 && s.every((x) => typeof x === "string")))
      throw new QmathError("bad_input", `${this.origin}: examples["${name}"] is not a list of (question, answer) pairs.`, FIX_HINT);
    return (v as string[][]).map(([question, answer]) => ({ question: question!, answer: answer! }));
  }
}
