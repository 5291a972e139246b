/**
 * Tokens of a LaTeX (or plain) math answer. Formatting is dropped here; \text{...}-like
 * groups become one "text" token; \begin{env}/\end{env} become "begin"/"end" tokens.
 */
import type { Budget } from "./budget.js";

export type Token =
  | { t: "num"; v: string }
  | { t: "id"; v: string }
  | { t: "cmd"; v: string }
  | { t: "op"; v: string }
  | { t: "text"; v: string }
  | { t: "begin"; v: string }
  | { t: "end"; v: string }
  | { t: "word"; v: string };

/** Plain words understood as math (without a backslash). */
const PLAIN_WORDS = new Set([
  "sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
  "log", "ln", "lg", "exp", "sqrt", "pi", "inf", "infty", "infinity", "oo", "or", "and", "mod", "gcd", "lcm", "max", "min",
]);

/** Commands whose braced argument is text (a unit, a word, a name). */
const TEXT_COMMANDS = new Set(["text", "textrm", "textnormal", "mbox", "textup", "textsf", "texttt", "textit", "emph", "hbox", "mathrm", "mathsf", "mathtt", "rm"]);
/** Commands that only format their argument: the argument is kept as math. */
const FORMAT_COMMANDS = new Set(["mathbf", "textbf", "boldsymbol", "bm", "mathit", "mathnormal", "pmb", "mathbb", "mathcal", "mathfrak", "mathscr", "operatorname", "operatorname*", "overline", "underline", "widehat", "hat", "vec", "overrightarrow", "bar", "tilde", "dot", "ddot", "check", "breve", "acute", "grave", "textstyle", "displaystyle", "scriptstyle"]);
/** Commands with no meaning for the value. */
const IGNORED = new Set(["left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr", "displaystyle", "textstyle", "limits", "nolimits", "quad", "qquad", "enspace", "thinspace", "medspace", "thickspace", "negthinspace", "hfill", "noindent", "mathstrut", "phantom", "allowbreak", "nonumber", "notag", "ensuremath", "relax", "middle", "angle", "measuredangle"]);

const UNICODE: Record<string, string> = {
  "−": "-", "–": "-", "—": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/", "∗": "*",
  "≤": "\\le", "≥": "\\ge", "≠": "\\ne", "±": "\\pm", "∓": "\\mp", "∞": "\\infty", "π": "\\pi",
  "√": "\\sqrt", "∪": "\\cup", "∩": "\\cap", "∈": "\\in", "≈": "\\approx", "⩽": "\\le", "⩾": "\\ge",
  "（": "(", "）": ")", "，": ",", "；": ";", "：": ":", "【": "[", "】": "]", "＝": "=", "＋": "+", "－": "-",
  "°": "°", "％": "%", "∘": "°", "′": "'", "″": "''",
};

function isLetter(ch: string): boolean {
  return (ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z");
}
function isDigit(ch: string): boolean {
  return ch >= "0" && ch <= "9";
}

/** Reads a balanced {...} group starting at s[i] === "{"; returns [content, index after]. */
function readGroup(s: string, i: number): [string, number] | null {
  if (s[i] !== "{") return null;
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const ch = s[j];
    if (ch === "\\") {
      j++;
      continue;
    }
    if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return [s.slice(i + 1, j), j + 1];
  }
  return null;
}

/** Thrown on input that cannot be tokenised. Not an Error: no stack trace to capture. */
class LexError {
  constructor(readonly message: string) {}
}

export function lex(input: string, budget: Budget): Token[] {
  const out: Token[] = [];
  const s = input;
  let i = 0;
  while (i < s.length) {
    budget.tick();
    const ch = s[i]!; // i < s.length
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "~") {
      i++;
      continue;
    }
    if (isDigit(ch) || (ch === "." && isDigit(s[i + 1] ?? ""))) {
      let j = i;
      while (j < s.length && isDigit(s[j]!)) j++;
      if (s[j] === "." && isDigit(s[j + 1] ?? "")) {
        j++;
        while (j < s.length && isDigit(s[j]!)) j++;
      } else if (s[j] === "." && !isLetter(s[j + 1] ?? "") && s[j + 1] !== ".") {
        j++; // "5." as a number with a trailing point
      }
      let text = s.slice(i, j);
      // LaTeX ignores spaces inside math: "9 7 9" is 979 (after \mathbf{9 7 9}).
      const prev = out[out.length - 1];
      if (prev && prev.t === "num" && i > 0 && s[i - 1] === " " && isDigit(text[0]!) && spaceJoined(s, i) && /^\d+$/.test(prev.v)) {
        prev.v += text;
      } else {
        // scientific notation written plainly: 4.5e33, 1e-5
        const m = /^[eE]([+-]?\d+)/.exec(s.slice(j));
        if (m && !isLetter(s[j + m[0].length] ?? "")) {
          text += "e" + m[1];
          j += m[0].length;
        }
        out.push({ t: "num", v: text });
      }
      i = j;
      continue;
    }
    if (isLetter(ch)) {
      let j = i;
      while (j < s.length && isLetter(s[j]!)) j++;
      const word = s.slice(i, j);
      if (word.length > 1) {
        const lower = word.toLowerCase();
        if (PLAIN_WORDS.has(lower)) out.push({ t: "cmd", v: lower === "infinity" || lower === "inf" || lower === "oo" ? "infty" : lower });
        else {
          out.push({ t: "word", v: word });
        }
      } else out.push({ t: "id", v: word });
      i = j;
      continue;
    }
    if (ch === "\\") {
      const nx = s[i + 1] ?? "";
      if (!isLetter(nx)) {
        i += 2;
        if (nx === "," || nx === ";" || nx === ":" || nx === "!" || nx === " " || nx === "") continue;
        if (nx === "\\") out.push({ t: "op", v: "\\\\" });
        else if (nx === "{") out.push({ t: "op", v: "\\{" });
        else if (nx === "}") out.push({ t: "op", v: "\\}" });
        else if (nx === "%") out.push({ t: "op", v: "%" });
        else if (nx === "$") continue;
        else if (nx === "|") out.push({ t: "op", v: "|" });
        else if (nx === "(" || nx === ")" || nx === "[" || nx === "]") continue; // \( \) \[ \] delimiters
        else out.push({ t: "op", v: nx });
        continue;
      }
      let j = i + 1;
      while (j < s.length && isLetter(s[j]!)) j++;
      let name = s.slice(i + 1, j);
      if (s[j] === "*") j++;
      i = j;
      if (IGNORED.has(name)) {
        if ((name === "left" || name === "right" || name === "middle") && s[i] === ".") i++;
        continue;
      }
      if (name === "begin" || name === "end") {
        const g = readGroup(s, skipSpaces(s, i));
        if (!g) throw new LexError(`\\${name} without environment`);
        i = g[1];
        if (name === "begin" && s[i] === "{" && (g[0] === "array" || g[0] === "tabular")) {
          const spec = readGroup(s, i);
          if (spec) i = spec[1];
        }
        out.push({ t: name, v: g[0].replace(/\*$/, "") });
        continue;
      }
      if (TEXT_COMMANDS.has(name) || FORMAT_COMMANDS.has(name)) {
        const k = skipSpaces(s, i);
        const g = readGroup(s, k);
        if (!g) {
          if (name === "rm" || name === "displaystyle" || name === "textstyle" || name === "scriptstyle") continue;
          // \mathbf 7 : single token argument, keep as math
          continue;
        }
        i = g[1];
        if (FORMAT_COMMANDS.has(name)) {
          if (name === "operatorname") {
            out.push({ t: "cmd", v: g[0].replace(/\s+/g, "").replace(/\*$/, "") });
            continue;
          }
          if (name === "mathbb" && g[0].trim() === "R") {
            out.push({ t: "cmd", v: "Reals" });
            continue;
          }
          out.push(...lex("{" + g[0] + "}", budget));
          continue;
        }
        const content = g[0].trim();
        // \mathrm{e}, \mathrm{i}, \mathrm{d}x, \text{5}: math in text clothing
        if (name.startsWith("math") && /^[a-zA-Z]$/.test(content)) out.push({ t: "id", v: content });
        else if (/^[\d.,\s+\-*/^()]+$/.test(content) && /\d/.test(content)) out.push(...lex(content, budget));
        else out.push({ t: "text", v: content });
        continue;
      }
      if (name === "le" || name === "leq" || name === "leqslant") name = "le";
      else if (name === "ge" || name === "geq" || name === "geqslant") name = "ge";
      else if (name === "ne" || name === "neq") name = "ne";
      else if (name === "dfrac" || name === "tfrac" || name === "cfrac") name = "frac";
      else if (name === "dbinom" || name === "tbinom") name = "binom";
      else if (name === "lt") name = "<";
      else if (name === "gt") name = ">";
      else if (name === "lvert" || name === "rvert" || name === "vert" || name === "mid") name = "|";
      else if (name === "lVert" || name === "rVert" || name === "Vert") name = "|";
      else if (name === "lbrace") name = "\\{";
      else if (name === "rbrace") name = "\\}";
      else if (name === "lbrack") name = "[";
      else if (name === "rbrack") name = "]";
      else if (name === "langle") name = "(";
      else if (name === "rangle") name = ")";
      else if (name === "times" || name === "cdot" || name === "ast" || name === "bullet") name = "*";
      else if (name === "div") name = "/";
      else if (name === "degree") name = "°";
      else if (name === "circ") name = "circ";
      else if (name === "dots" || name === "ldots" || name === "cdots") name = "dots";
      if (name === "|" || name === "*" || name === "/" || name === "°" || name === "<" || name === ">" || name === "(" || name === ")" || name === "[" || name === "]" || name === "\\{" || name === "\\}") {
        out.push({ t: "op", v: name });
      } else out.push({ t: "cmd", v: name });
      continue;
    }
    const mapped = UNICODE[ch];
    if (mapped !== undefined) {
      if (mapped.startsWith("\\")) out.push(...lex(mapped, budget));
      else if (mapped === "''") out.push({ t: "op", v: "'" }, { t: "op", v: "'" });
      else out.push({ t: "op", v: mapped });
      i++;
      continue;
    }
    if ("+-*/^_()[]{}|,;=<>!'&:%.?".includes(ch)) {
      if (ch === "<" && s[i + 1] === "=") {
        out.push({ t: "cmd", v: "le" });
        i += 2;
        continue;
      }
      if (ch === ">" && s[i + 1] === "=") {
        out.push({ t: "cmd", v: "ge" });
        i += 2;
        continue;
      }
      if (ch === "!" && s[i + 1] === "=") {
        out.push({ t: "cmd", v: "ne" });
        i += 2;
        continue;
      }
      if (ch === "*" && s[i + 1] === "*") {
        out.push({ t: "op", v: "^" });
        i += 2;
        continue;
      }
      out.push({ t: "op", v: ch });
      i++;
      continue;
    }
    if (ch === "$") {
      i++;
      continue;
    }
    // any other character (CJK, symbols): part of a text answer
    let j = i + 1;
    while (j < s.length && s.charCodeAt(j) > 127 && UNICODE[s[j]!] === undefined) j++;
    out.push({ t: "text", v: s.slice(i, j) });
    i = j;
  }
  return out;
}

function skipSpaces(s: string, i: number): number {
  while (s[i] === " ") i++;
  return i;
}

/** True when the spaces before s[i] separate digit groups of one number ("9 7 9", "10 000"). */
function spaceJoined(s: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && s[j] === " ") j--;
  return j >= 0 && isDigit(s[j]!) && i - j <= 2;
}
