/**
 * Inequalities, intervals and set-builder sets as one kind of answer: a set of real numbers.
 * "x \in [-2, 7]", "-2 \le x \le 7", "[-2, 7]" and "\{x : -2 \le x \le 7\}" are one set;
 * "x < 1 \text{ or } x > 3" is (-\infty, 1) \cup (3, \infty); "x \ne 2" is
 * (-\infty, 2) \cup (2, \infty). Bounds and their strictness must agree.
 */
import type { Node, RelOp } from "./ast.js";
import type { Budget } from "./budget.js";
import * as C from "./complex.js";
import { numeric, variables } from "./evaluate.js";

type Rel = Extract<Node, { k: "rel" }>;
type Seq = Extract<Node, { k: "seq" }>;

const FLIP: Partial<Record<RelOp, RelOp>> = { ">": "<", ">=": "<=" };
const INF: Node = { k: "const", name: "inf" };
const NEG_INF: Node = { k: "neg", arg: INF };

/** The same relation written with < and <= only (a > b becomes b < a). */
export function orient(r: Rel): Rel {
  if (r.ops.some((op) => op === ">" || op === ">=")) {
    if (!r.ops.every((op) => op === ">" || op === ">=" || op === "=")) return r;
    return { k: "rel", ops: r.ops.map((op) => FLIP[op] ?? op).reverse(), parts: [...r.parts].reverse() };
  }
  return r;
}

/** x < a, a < x <= b (one variable, constant bounds) as an interval. */
export function relationToInterval(r: Rel, budget: Budget): Node | null {
  const o = orient(r);
  if (!o.ops.every((op) => op === "<" || op === "<=")) return null;
  const isVar = (n: Node) => n.k === "sym";
  const isConst = (n: Node) => variables(n).size === 0;
  budget.tick();
  if (o.parts.length === 2) {
    const l = o.parts[0]!;
    const rr = o.parts[1]!;
    if (isVar(l) && isConst(rr)) return { k: "seq", open: "(", close: o.ops[0] === "<" ? ")" : "]", items: [NEG_INF, rr] };
    if (isVar(rr) && isConst(l)) return { k: "seq", open: o.ops[0] === "<" ? "(" : "[", close: ")", items: [l, INF] };
    return null;
  }
  if (o.parts.length === 3 && isConst(o.parts[0]!) && isVar(o.parts[1]!) && isConst(o.parts[2]!)) {
    return { k: "seq", open: o.ops[0] === "<" ? "(" : "[", close: o.ops[1] === "<" ? ")" : "]", items: [o.parts[0]!, o.parts[2]!] };
  }
  return null;
}

/** A set of reals a condition describes, and the variable it names (null for a bare set). */
export interface PointSet {
  variable: string | null;
  set: Node;
}

/** Whether a node is a condition on one variable: an inequality, "x \in S", "x \ne a", or a list of them. */
export function isCondition(n: Node): boolean {
  if (n.k === "rel") return n.ops.some((op) => op !== "=" && op !== "approx");
  return n.k === "seq" && n.open === "" && n.items.length > 1 && n.items.every((x) => x.k === "rel" && isCondition(x));
}

/**
 * The set a condition describes, or the node itself when it already is a set of reals (an
 * interval, a union); null when it is neither. A list of conditions is their union when
 * their intervals do not overlap ("x < 1, x > 3"; overlapping ones could mean "and").
 */
export function pointSet(n: Node, budget: Budget): PointSet | null {
  if (n.k === "setop" || (n.k === "seq" && (n.open === "(" || n.open === "[") && n.items.length === 2)) return { variable: null, set: n };
  if (n.k === "rel") return relationSet(n, budget);
  if (!isCondition(n)) return null;
  const parts: PointSet[] = [];
  for (const item of (n as Seq).items) {
    const p = relationSet(item as Rel, budget);
    if (!p || p.set.k !== "seq" || (parts.length > 0 && p.variable !== parts[0]!.variable)) return null;
    parts.push(p);
  }
  if (!disjoint(parts.map((p) => p.set as Seq), budget)) return null;
  return { variable: parts[0]!.variable, set: { k: "setop", op: "cup", parts: parts.map((p) => p.set) } };
}

function relationSet(r: Rel, budget: Budget): PointSet | null {
  if (r.ops.length === 1 && r.ops[0] === "in" && r.parts[0]!.k === "sym") return { variable: r.parts[0].name, set: r.parts[1]! };
  if (r.ops.length === 1 && r.ops[0] === "!=" && r.parts[0]!.k === "sym" && variables(r.parts[1]!).size === 0) {
    const a = r.parts[1]!;
    const set: Node = { k: "setop", op: "cup", parts: [{ k: "seq", open: "(", close: ")", items: [NEG_INF, a] }, { k: "seq", open: "(", close: ")", items: [a, INF] }] };
    return { variable: r.parts[0].name, set };
  }
  const iv = relationToInterval(r, budget);
  if (!iv) return null;
  const o = orient(r);
  const v = o.parts.find((p) => p.k === "sym") as Extract<Node, { k: "sym" }>;
  return { variable: v.name, set: iv };
}

/** Whether intervals are pairwise disjoint (their ends evaluate to reals). */
function disjoint(ivs: Seq[], budget: Budget): boolean {
  const ends = ivs.map((iv) => {
    const lo = numeric(iv.items[0]!, new Map(), budget);
    const hi = numeric(iv.items[1]!, new Map(), budget);
    return { lo: lo.re, hi: hi.re, real: C.isReal(lo) && C.isReal(hi), open: iv.open, close: iv.close };
  });
  if (!ends.every((e) => e.real && !Number.isNaN(e.lo) && !Number.isNaN(e.hi))) return false;
  ends.sort((a, b) => a.lo - b.lo);
  for (let i = 1; i < ends.length; i++) {
    const prev = ends[i - 1]!;
    const cur = ends[i]!;
    if (prev.hi > cur.lo || (prev.hi === cur.lo && prev.close === "]" && cur.open === "[")) return false;
  }
  return true;
}

const SET_BUILDER_HEAD = /^\\\{\s*([a-zA-Z])\s*(?:\\in\s*(?:\\mathbb\s*\{?\s*R\s*\}?|\\R|\\Reals|\\mathbf\s*\{?\s*R\s*\}?)\s*)?(?::|\\mid|\||\\vert)/;

/** "\{x : cond\}", "\{x \mid cond\}", "\{x \in \mathbb{R} : cond\}": the condition, else null. */
export function setBuilderCondition(s: string): string | null {
  if (!s.includes("\\{") || s.length > 2000) return null;
  const t = s.replace(/\\(?:left|right|middle|big|Big)(?![a-zA-Z])/g, "").trim();
  if (!t.endsWith("\\}")) return null;
  const m = SET_BUILDER_HEAD.exec(t);
  if (!m) return null;
  const cond = t.slice(m[0].length, -2).trim();
  return cond || null;
}
