/**
 * A recursive-descent parser from answer LaTeX (or plain math) to the expression tree.
 * Grammar, loosest first: list (, ;) > relation (= < \le \in ...) > set operations (\cup)
 * > ratio (:) > sum (+ - \pm) > product (* / implicit) > unary minus > power > postfix
 * (! % °) > primary. Nesting depth is capped and every token costs a budget tick, so
 * parsing is linear and bounded.
 */
import type { Node, RelOp } from "./ast.js";
import type { Budget } from "./budget.js";
import { lex, type Token } from "./lexer.js";
import { parseDecimal, type Rat } from "./rational.js";

/** Thrown on input that is not an answer we can read. Not an Error: no stack trace to capture, it is caught at once. */
export class ParseError {
  constructor(readonly message: string) {}
}

const MAX_DEPTH = 120;

const FUNCS = new Set([
  "sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos", "arctan", "arcsec", "arccsc", "arccot",
  "sinh", "cosh", "tanh", "log", "ln", "lg", "exp", "gcd", "lcm", "max", "min", "det", "sgn", "sign",
]);
const GREEK = new Set([
  "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa", "lambda", "mu",
  "nu", "xi", "rho", "varrho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta",
  "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega", "ell", "hbar", "varpi", "Pi",
]);
/** Short unit words that may follow a number ("5 cm"); longer words after a number are units too. */
const UNITS = new Set(["cm", "mm", "km", "kg", "mg", "ml", "mL", "ft", "in", "hr", "hrs", "yd", "yds", "oz", "lb", "lbs", "mi", "mph", "sec", "min", "cents", "sq", "cu", "kmh", "kph", "km/h", "units", "feet", "inch", "days", "day", "men", "cups", "cm²", "m²", "ohm"]);

const REL: Record<string, RelOp> = { "=": "=", "<": "<", ">": ">", le: "<=", ge: ">=", ne: "!=", in: "in", approx: "approx", equiv: "=", sim: "approx", simeq: "approx", cong: "=" };

const num = (v: Rat, approx = false): Node => ({ k: "num", v, approx });

export interface ParseResult {
  node: Node;
  /** Words (2+ letters) that are not math: a sign the answer is text. */
  words: string[];
}

export function parseMath(input: string, budget: Budget): ParseResult {
  const p = new Parser(lex(input, budget), budget);
  const node = p.parseTop();
  return { node, words: p.words };
}

class Parser {
  private i = 0;
  private depth = 0;
  readonly words: string[] = [];
  constructor(
    private readonly toks: Token[],
    private readonly budget: Budget,
  ) {}

  private peek(o = 0): Token | undefined {
    return this.toks[this.i + o];
  }
  private isOp(v: string, o = 0): boolean {
    const t = this.toks[this.i + o];
    return t !== undefined && t.t === "op" && t.v === v;
  }
  private isCmd(v: string, o = 0): boolean {
    const t = this.toks[this.i + o];
    return t !== undefined && t.t === "cmd" && t.v === v;
  }
  private next(): Token {
    const t = this.toks[this.i++];
    if (!t) throw new ParseError("unexpected end");
    this.budget.tick();
    return t;
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) throw new ParseError(`expected ${v}`);
    this.i++;
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new ParseError("nested too deeply");
    this.budget.tick();
  }

  parseTop(): Node {
    const node = this.parseList(null);
    if (this.i < this.toks.length) throw new ParseError(`unexpected token ${JSON.stringify(this.toks[this.i])}`);
    return node;
  }

  /** Items separated by , ; "or" "and"; stops at a closer. Returns the single item when there is no separator. */
  private parseList(closers: string[] | null): Node {
    this.enter();
    const items: Node[] = [];
    let sep = false;
    while (true) {
      if (this.atEnd(closers)) {
        if (items.length === 0 && !sep) break;
        if (sep) break; // trailing comma
      }
      items.push(this.parseRelation(closers));
      if (this.isOp(",") || this.isOp(";") || this.isCmd("or") || this.isCmd("and") || this.isTextSep()) {
        this.i++;
        sep = true;
        while (this.isOp(",") || this.isCmd("or") || this.isCmd("and") || this.isTextSep()) this.i++;
        if (this.atEnd(closers)) break;
        continue;
      }
      break;
    }
    this.depth--;
    if (items.length === 0) return { k: "seq", open: "", close: "", items: [] };
    if (items.length === 1 && !sep) return items[0]!;
    return { k: "seq", open: "", close: "", items };
  }

  private isTextSep(): boolean {
    const t = this.peek();
    return t !== undefined && t.t === "text" && /^(or|and|,|;)$/i.test(t.v.trim());
  }

  private atEnd(closers: string[] | null): boolean {
    const t = this.peek();
    if (!t) return true;
    if (!closers) return false;
    return (t.t === "op" || t.t === "end" || t.t === "cmd") && closers.includes(t.t === "end" ? "end" : t.v);
  }

  private relOp(): RelOp | null {
    const t = this.peek();
    if (!t) return null;
    if (t.t === "op" && (t.v === "=" || t.v === "<" || t.v === ">")) return REL[t.v]!;
    if (t.t === "cmd" && t.v in REL) return REL[t.v]!;
    return null;
  }

  private parseRelation(closers: string[] | null): Node {
    this.enter();
    const parts: Node[] = [];
    const ops: RelOp[] = [];
    // "= 5" with nothing on the left: keep the value
    if (this.relOp() === "=") this.i++;
    parts.push(this.parseSetOp(closers));
    for (let op = this.relOp(); op; op = this.relOp()) {
      this.i++;
      if (this.atEnd(closers)) break;
      ops.push(op);
      parts.push(this.parseSetOp(closers));
    }
    this.depth--;
    return ops.length === 0 ? parts[0]! : { k: "rel", ops, parts };
  }

  private parseSetOp(closers: string[] | null): Node {
    let left = this.parseRatio(closers);
    while (this.isCmd("cup") || this.isCmd("cap") || this.isCmd("setminus") || this.isOp("\\") || this.isCmd("bigcup")) {
      const t = this.next();
      const op = t.v === "cap" ? "cap" : t.v === "setminus" || t.v === "\\" ? "setminus" : "cup";
      const right = this.parseRatio(closers);
      if (left.k === "setop" && left.op === op) left.parts.push(right);
      else left = { k: "setop", op, parts: [left, right] };
    }
    return left;
  }

  private parseRatio(closers: string[] | null): Node {
    const first = this.parseSum(closers);
    if (!this.isOp(":")) return first;
    const parts = [first];
    while (this.isOp(":")) {
      this.i++;
      parts.push(this.parseSum(closers));
    }
    return { k: "ratio", parts };
  }

  private parseSum(closers: string[] | null): Node {
    this.enter();
    let terms: Node[] = [];
    let node: Node | null = null;
    if (this.isCmd("pm") || this.isCmd("mp")) {
      const minus = this.next().v === "mp";
      node = { k: "pm", left: null, right: this.parseProduct(closers), minus };
    } else node = this.parseProduct(closers);
    terms.push(node);
    while (true) {
      if (this.isOp("+")) {
        this.i++;
        terms.push(this.parseProduct(closers));
      } else if (this.isOp("-")) {
        this.i++;
        terms.push({ k: "neg", arg: this.parseProduct(closers) });
      } else if (this.isCmd("pm") || this.isCmd("mp")) {
        const minus = this.next().v === "mp";
        const right = this.parseProduct(closers);
        const left: Node = terms.length === 1 ? terms[0]! : { k: "add", terms };
        terms = [{ k: "pm", left, right, minus }];
      } else break;
    }
    this.depth--;
    return terms.length === 1 ? terms[0]! : { k: "add", terms };
  }

  private parseProduct(closers: string[] | null): Node {
    this.enter();
    const factors: Node[] = [this.parseUnary(closers)];
    while (true) {
      if (this.isOp("*")) {
        this.i++;
        factors.push(this.parseUnary(closers));
      } else if (this.isOp("/")) {
        this.i++;
        const den = this.parseUnary(closers);
        const numr: Node = factors.length === 1 ? factors[0]! : { k: "mul", factors: factors.splice(0) };
        factors.length = 0;
        factors.push({ k: "div", num: numr, den });
      } else if (this.isUnitWord(factors[factors.length - 1])) {
        // "18 dollars", "5 cm^2": a unit after a number is not part of the value
        this.i++;
        if (this.isOp("^")) {
          this.i++;
          this.parseExponent(closers);
        }
      } else if (this.startsPrimary(closers)) {
        const f = this.parsePower(closers);
        const prev = factors[factors.length - 1]!; // factors is never empty
        // a mixed number: 2\frac{1}{2} is 2 + 1/2
        if (factors.length === 1 && isMixedFraction(prev, f)) factors[0] = { k: "add", terms: [prev, f] };
        // a mixed number with a percent sign: 33\frac{1}{3}\% is (33 + 1/3)%
        else if (factors.length === 1 && f.k === "pct" && isMixedFraction(prev, f.arg)) factors[0] = { k: "pct", arg: { k: "add", terms: [prev, f.arg] } };
        else factors.push(f);
      } else break;
    }
    this.depth--;
    return factors.length === 1 ? factors[0]! : { k: "mul", factors };
  }

  private isUnitWord(prev: Node | undefined): boolean {
    const t = this.peek();
    if (!t || t.t !== "word" || !prev || prev.k !== "num") return false;
    return t.v.length >= 4 || UNITS.has(t.v);
  }

  private parseUnary(closers: string[] | null): Node {
    if (this.isOp("-")) {
      this.i++;
      this.enter();
      const r: Node = { k: "neg", arg: this.parseUnary(closers) };
      this.depth--;
      return r;
    }
    if (this.isOp("+")) {
      this.i++;
      return this.parseUnary(closers);
    }
    return this.parsePower(closers);
  }

  /** Whether the next token can begin an implicit factor. */
  private startsPrimary(closers: string[] | null): boolean {
    const t = this.peek();
    if (!t || this.atEnd(closers)) return false;
    switch (t.t) {
      case "num":
      case "id":
      case "begin":
        return true;
      case "word":
        return true;
      case "text":
        return false;
      case "cmd":
        return !(t.v in REL) && !["pm", "mp", "cup", "cap", "setminus", "or", "and", "dots", "bigcup", "to", "rightarrow", "Rightarrow", "implies", "therefore", "mod", "bmod", "pmod"].includes(t.v);
      case "op":
        return t.v === "(" || t.v === "[" || t.v === "{" || t.v === "\\{" || (t.v === "|" && !(closers ?? []).includes("|"));
      default:
        return false;
    }
  }

  private parsePower(closers: string[] | null): Node {
    this.enter();
    let base = this.parsePostfix(this.parsePrimary(closers));
    if (this.isOp("^")) {
      this.i++;
      const exp = this.parseExponent(closers);
      base = this.parsePostfix({ k: "pow", base, exp });
      // a^b^c is a^(b^c)
    }
    this.depth--;
    return base;
  }

  private parseExponent(closers: string[] | null): Node {
    if (this.isOp("{")) return this.parseBraced();
    if (this.isOp("-")) {
      this.i++;
      return { k: "neg", arg: this.parseExponent(closers) };
    }
    const t = this.peek();
    if (t && t.t === "num" && !t.v.includes(".") && t.v.length > 1 && !/e/.test(t.v)) {
      // x^23 in LaTeX means x^2 3
      this.splitNum();
    }
    if (t && t.t === "op" && t.v === "°") {
      this.i++;
      return { k: "sym", name: "°" };
    }
    return this.parsePower(closers);
  }

  /** Splits the current multi-digit number token so that only its first digit is consumed next. */
  private splitNum(): void {
    const t = this.toks[this.i];
    if (t && t.t === "num" && t.v.length > 1) {
      this.toks.splice(this.i, 1, { t: "num", v: t.v[0]! }, { t: "num", v: t.v.slice(1) });
    }
  }

  private parsePostfix(node: Node): Node {
    while (true) {
      if (this.isOp("!")) {
        this.i++;
        node = { k: "fn", name: "fact", args: [node] };
      } else if (this.isOp("%")) {
        this.i++;
        node = { k: "pct", arg: node };
      } else if (this.isOp("°") || (this.isOp("^") && this.isCmd("circ", 1))) {
        this.i += this.isOp("°") ? 1 : 2;
        node = { k: "deg", arg: node };
      } else if (this.isOp("^") && this.isOp("{", 1) && this.isCmd("circ", 2) && this.isOp("}", 3)) {
        this.i += 4;
        node = { k: "deg", arg: node };
      } else if (this.isOp("'")) {
        this.i++;
        node = node.k === "sym" ? { k: "sym", name: node.name + "'" } : node;
      } else break;
    }
    return node;
  }

  /** { ... } as a group: a list inside becomes a set. */
  private parseBraced(): Node {
    this.expectOp("{");
    if (this.isOp("}")) {
      this.i++;
      return { k: "seq", open: "{", close: "}", items: [] };
    }
    const inner = this.parseList(["}"]);
    this.expectOp("}");
    if (inner.k === "seq" && inner.open === "") return { k: "seq", open: "{", close: "}", items: inner.items };
    return inner;
  }

  /** A macro argument: {group} or a single token (the first digit of a number). */
  private parseArg(): Node {
    if (this.isOp("{")) {
      const n = this.parseBraced();
      return n;
    }
    const t = this.peek();
    if (!t) throw new ParseError("missing argument");
    if (t.t === "num") {
      if (!t.v.includes(".")) this.splitNum();
      const tok = this.next();
      return this.numberNode(tok.v);
    }
    if (t.t === "word") {
      // \frac ab
      this.toks.splice(this.i, 1, { t: "id", v: t.v[0]! }, { t: "word", v: t.v.slice(1) });
      if (t.v.length === 2) this.toks[this.i + 1] = { t: "id", v: t.v[1]! };
    }
    return this.parsePrimary(null);
  }

  private numberNode(text: string): Node {
    const v = parseDecimal(text.endsWith(".") ? text.slice(0, -1) : text);
    if (!v) throw new ParseError(`bad number ${text}`);
    if (!text.includes(".") && !/e/i.test(text)) return num(v);
    return { k: "num", v, approx: true, places: shownPlaces(text) };
  }

  private parsePrimary(closers: string[] | null): Node {
    this.enter();
    const r = this.primary(closers);
    this.depth--;
    return r;
  }

  private primary(closers: string[] | null): Node {
    const t = this.next();
    switch (t.t) {
      case "num":
        return this.numberNode(t.v);
      case "id":
        return this.symbol(t.v);
      case "word":
        return this.word(t.v);
      case "text":
        return { k: "text", text: t.v };
      case "begin":
        return this.environment(t.v);
      case "op":
        return this.bracket(t.v, closers);
      case "cmd":
        return this.command(t.v, closers);
      default:
        throw new ParseError(`unexpected ${t.t}`);
    }
  }

  private word(w: string): Node {
    // unknown words: record them (text answers) and read them as a product of letters
    this.words.push(w);
    const factors: Node[] = [...w].map((ch) => this.letter(ch));
    return factors.length === 1 ? factors[0]! : { k: "mul", factors };
  }

  private letter(ch: string): Node {
    if (ch === "e") return { k: "const", name: "e" };
    if (ch === "i") return { k: "const", name: "i" };
    return { k: "sym", name: ch };
  }

  private symbol(name: string): Node {
    if (this.isOp("_")) {
      this.i++;
      const sub = this.rawArg();
      return { k: "sym", name: `${name}_${sub}` };
    }
    return this.letter(name);
  }

  /** The raw text of a subscript argument, for naming a variable like a_{n+1}. */
  private rawArg(): string {
    if (this.isOp("{")) {
      let depth = 0;
      let s = "";
      do {
        const t = this.next();
        if (t.t === "op" && t.v === "{") depth++;
        else if (t.t === "op" && t.v === "}") depth--;
        s += t.v;
      } while (depth > 0);
      return s.slice(1, -1);
    }
    const t = this.peek();
    if (t && t.t === "num") this.splitNum();
    return this.next().v;
  }

  private bracket(open: string, _closers: string[] | null): Node {
    if (open === "(" || open === "[") {
      const inner = this.parseList([")", "]"]);
      const close = this.next().v;
      if (inner.k === "seq" && inner.open === "") return { k: "seq", open, close, items: inner.items };
      // \left[\begin{array}...\end{array}\right]: the brackets are the matrix's own
      if (inner.k === "matrix") return inner;
      if (open === "[" && close === "]" && inner.k !== "seq") return { k: "seq", open, close, items: [inner] };
      return inner;
    }
    if (open === "{") {
      this.i--;
      return this.parseBraced();
    }
    if (open === "\\{") {
      if (this.isOp("\\}")) {
        this.i++;
        return { k: "seq", open: "{", close: "}", items: [] };
      }
      const inner = this.parseList(["\\}"]);
      this.expectOp("\\}");
      return { k: "seq", open: "{", close: "}", items: inner.k === "seq" && inner.open === "" ? inner.items : [inner] };
    }
    if (open === "|") {
      const inner = this.parseList(["|"]);
      this.expectOp("|");
      return { k: "fn", name: "abs", args: [inner] };
    }
    throw new ParseError(`unexpected ${open}`);
  }

  private environment(env: string): Node {
    const rows: Node[][] = [];
    let row: Node[] = [];
    while (true) {
      const t = this.peek();
      if (!t) throw new ParseError("unclosed environment");
      if (t.t === "end") {
        this.i++;
        break;
      }
      if (t.t === "op" && (t.v === "&" || t.v === "\\\\")) {
        this.i++;
        if (t.v === "\\\\") {
          rows.push(row);
          row = [];
        }
        continue;
      }
      row.push(this.parseList(["&", "\\\\", "end"]));
      if (!this.isOp("&") && !this.isOp("\\\\") && this.peek()?.t !== "end") throw new ParseError("bad matrix cell");
    }
    if (row.length) rows.push(row);
    const filtered = rows.filter((r) => r.length > 0);
    if (/matrix|array/.test(env)) return { k: "matrix", rows: filtered };
    if (env === "cases" || env === "aligned" || env === "align" || env === "gathered" || env === "split") {
      const items = filtered.map((r) => r[0]!);
      return items.length === 1 ? items[0]! : { k: "seq", open: "", close: "", items };
    }
    throw new ParseError(`unknown environment ${env}`);
  }

  private command(name: string, closers: string[] | null): Node {
    switch (name) {
      case "frac": {
        const a = this.parseArg();
        const b = this.parseArg();
        return { k: "div", num: a, den: b };
      }
      case "sqrt": {
        if (this.isOp("[")) {
          this.i++;
          const n = this.parseList(["]"]);
          this.expectOp("]");
          return { k: "fn", name: "root", args: [this.sqrtArg(), n] };
        }
        return { k: "fn", name: "sqrt", args: [this.sqrtArg()] };
      }
      case "binom":
      case "choose": {
        const a = this.parseArg();
        const b = this.parseArg();
        return { k: "fn", name: "binom", args: [a, b] };
      }
      case "pi":
      case "Pi":
        return name === "pi" ? { k: "const", name: "pi" } : { k: "sym", name: "Pi" };
      case "infty":
        return { k: "const", name: "inf" };
      case "Reals":
        return { k: "seq", open: "(", close: ")", items: [{ k: "neg", arg: { k: "const", name: "inf" } }, { k: "const", name: "inf" }] };
      case "emptyset":
      case "varnothing":
        return { k: "seq", open: "{", close: "}", items: [] };
      case "lfloor":
      case "lceil": {
        const inner = this.parseList([name === "lfloor" ? "rfloor" : "rceil"]);
        const t = this.next();
        if (t.t !== "cmd" || t.v !== (name === "lfloor" ? "rfloor" : "rceil")) throw new ParseError("unclosed floor");
        return { k: "fn", name: name === "lfloor" ? "floor" : "ceil", args: [inner] };
      }
      case "sum":
      case "prod":
        return this.bigOperator(name, closers);
      case "dots":
        return { k: "sym", name: "…" };
      case "imath":
        return { k: "const", name: "i" };
      case "circ":
        return { k: "sym", name: "∘" };
      case "prime":
        return { k: "sym", name: "'" };
    }
    if (GREEK.has(name)) return this.symbol(name);
    if (FUNCS.has(name)) return this.func(name, closers);
    if (name === "sqrt" || name === "exp") return this.func(name, closers);
    throw new ParseError(`unknown command \\${name}`);
  }

  /**
   * \sum_{k=1}^{10} body and \prod likewise, as fn "sum"/"prod" with args [body, k, 1, 10]
   * (finite-sums.ts expands them). The body runs over the following product, as in
   * \sum_{k=1}^{n} k^2 + 1 = (\sum k^2) + 1.
   */
  private bigOperator(name: string, closers: string[] | null): Node {
    let index: Node | null = null;
    let lower: Node | null = null;
    let upper: Node | null = null;
    for (let k = 0; k < 2; k++) {
      if (this.isOp("_")) {
        this.i++;
        const sub = this.parseArg();
        if (sub.k !== "rel" || sub.ops.length !== 1 || sub.ops[0] !== "=") throw new ParseError(`\${name} without an index`);
        const v = sub.parts[0]!;
        // the index may be a letter read as a constant elsewhere: \sum_{i=0}^{3}
        if (!(v.k === "sym" || (v.k === "const" && (v.name === "i" || v.name === "e")))) throw new ParseError(`\${name} without an index`);
        index = { k: "sym", name: v.name };
        lower = sub.parts[1]!;
      } else if (this.isOp("^")) {
        this.i++;
        upper = this.parseArg();
      }
    }
    if (!index || !lower || !upper) throw new ParseError(`\${name} without both limits`);
    const body = this.parseProduct(closers);
    return { k: "fn", name, args: [body, index, lower, upper] };
  }

  private sqrtArg(): Node {
    if (this.isOp("(")) return this.parsePrimary(null); // \sqrt(2)
    return this.parseArg();
  }

  private func(name: string, closers: string[] | null): Node {
    let base: Node | null = null;
    let power: Node | null = null;
    for (let k = 0; k < 2; k++) {
      if (this.isOp("_")) {
        this.i++;
        base = this.parseArg();
      } else if (this.isOp("^")) {
        this.i++;
        power = this.parseArg();
      }
    }
    let arg: Node;
    if (this.isOp("(") || this.isOp("[")) {
      arg = this.parsePrimary(closers);
      if (arg.k === "seq" && arg.open === "(" && (name === "gcd" || name === "lcm" || name === "max" || name === "min" || name === "log")) {
        if (name === "log" && arg.items.length === 2) return { k: "fn", name: "log", args: [arg.items[1]!, arg.items[0]!] };
        return { k: "fn", name, args: arg.items };
      }
    } else {
      // \sin 2x, \log_2 8: the argument runs over the following factors without brackets
      const factors: Node[] = [];
      do {
        factors.push(this.parsePower(closers));
        const t = this.peek();
        if (!t || !(t.t === "num" || t.t === "id" || (t.t === "cmd" && (GREEK.has(t.v) || t.v === "pi")))) break;
      } while (this.startsPrimary(closers));
      arg = factors.length === 1 ? factors[0]! : { k: "mul", factors };
    }
    let fnName = name;
    if (power && isMinusOne(power) && ["sin", "cos", "tan", "sec", "csc", "cot"].includes(name)) {
      fnName = "arc" + name;
      power = null;
    }
    if (name === "lg") base = num({ n: 10n, d: 1n });
    let node: Node = { k: "fn", name: fnName, args: base ? [arg, base] : [arg] };
    if (power) node = { k: "pow", base: node, exp: power };
    return node;
  }
}

/** Decimal places a literal shows: 2 for "3.14", 0 for "5.", -400 for "1e400", 4 for "1.5e-3". */
function shownPlaces(text: string): number {
  const m = /^\d*(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return 0;
  return (m[1] ?? "").length - Number(m[2] ?? 0);
}

function isNatural(n: Node): boolean {
  return n.k === "num" && !n.approx && n.v.d === 1n && n.v.n >= 0n;
}

function isMixedFraction(whole: Node, f: Node): boolean {
  return isNatural(whole) && f.k === "div" && isNatural(f.num) && isNatural(f.den) && f.num.k === "num" && f.den.k === "num" && f.num.v.n < f.den.v.n && f.num.v.n > 0n;
}

function isMinusOne(n: Node): boolean {
  return n.k === "neg" && n.arg.k === "num" && n.arg.v.n === 1n && n.arg.v.d === 1n;
}
