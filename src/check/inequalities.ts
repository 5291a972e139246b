/**
 * Steps between linear inequalities in one variable: each one holds exactly on a ray
 * (x > 3, x ≤ -2), computed exactly; a step must keep the ray (or widen it: a consequence).
 * A step that reverses the ray's direction where dividing by a negative number should have
 * flipped the sign is explained as that. Anything else with variables stays unchecked.
 */
import { Budget, BudgetExceeded } from "../answers/budget.js";
import * as R from "../answers/rational.js";
import { m, ratLatex, varLatex } from "./latex.js";
import type { LinkResult } from "./links.js";
import * as P from "./polynomial.js";
import type { Op, Side } from "./read.js";
import { explainRelationStep } from "./equations.js";

/** x OP bound, with OP one of < <= > >=. */
export interface Ray {
  x: string;
  op: "<" | "<=" | ">" | ">=";
  bound: R.Rat;
  /** The inequality as written, for reasons. */
  latex: string;
  /** Written as x OP number (a conclusion, which later steps may weaken: x > 3, so x > 0). */
  solved: boolean;
  /** The sides as written. */
  sides: [Side, Side];
  /** The sign as written (before moving everything to one side). */
  written: "<" | "<=" | ">" | ">=";
}

const FLIP = { "<": ">", "<=": ">=", ">": "<", ">=": "<=" } as const;
const OP_LATEX = { "<": "<", "<=": "\\le", ">": ">", ">=": "\\ge" } as const;

/** The ray of a OP b when it is linear in one variable (with a nonzero coefficient), else null. */
export function asRay(a: Side, op: Op, b: Side): Ray | null {
  if (op !== "<" && op !== "<=" && op !== ">" && op !== ">=") return null;
  if (!a.node || !b.node || a.applies || b.applies) return null;
  const vars = new Set([...a.vars, ...b.vars]);
  if (vars.size !== 1) return null;
  const x = [...vars][0]!;
  try {
    const budget = Budget.forTimeoutMs(20);
    const fa = P.ratFn(a.node, x, budget);
    const fb = fa && P.ratFn(b.node, x, budget);
    const d = fa && fb && P.difference(fa, fb, budget);
    // a linear function over a constant (positive after reduce: its denominator is monic)
    if (!d || d.den.length !== 1 || d.num.length !== 2) return null;
    const [c0, c1] = d.num as [R.Rat, R.Rat];
    const bound = R.div(R.neg(c0), c1);
    if (!bound) return null;
    const dir = c1.n > 0n ? op : FLIP[op];
    const solved = (a.node.k === "sym" && b.vars.size === 0) || (b.node.k === "sym" && a.vars.size === 0);
    return { x, op: dir, bound, latex: `${a.text} ${OP_LATEX[op]} ${b.text}`, solved, sides: [a, b], written: op };
  } catch (e) {
    if (e instanceof BudgetExceeded || e instanceof RangeError) return null;
    throw e;
  }
}

const rayLatex = (r: Ray) => `${varLatex(r.x)} ${OP_LATEX[r.op]} ${ratLatex(r.bound)}`;

const up = (r: Ray) => r.op === ">" || r.op === ">=";

function floorRat(q: R.Rat): bigint {
  const f = q.n / q.d;
  return q.n < 0n && f * q.d !== q.n ? f - 1n : f;
}

/** The first whole number in the ray, from its bound (the largest for a ray going down). */
function integerEnd(r: Ray): bigint {
  const f = floorRat(r.bound);
  const whole = f * r.bound.d === r.bound.n;
  if (r.op === ">=") return whole ? f : f + 1n;
  if (r.op === ">") return f + 1n;
  if (r.op === "<=") return f;
  return whole ? f - 1n : f;
}

function sameIntegers(a: Ray, b: Ray): boolean {
  return up(a) === up(b) && integerEnd(a) === integerEnd(b);
}

/** Whether every point of ray a is in ray b. */
function within(a: Ray, b: Ray): boolean {
  if (up(a) !== up(b)) return false;
  const d = R.sub(a.bound, b.bound)!;
  const closedA = a.op === "<=" || a.op === ">=";
  const closedB = b.op === "<=" || b.op === ">=";
  if (d.n === 0n) return !closedA || closedB;
  return up(a) ? d.n > 0n : d.n < 0n;
}

/**
 * Whether `cur` follows from `prev`. Inequalities in solutions are often separate conditions
 * (x > 0, and x < 5), so a disagreement is an error only when `stepped` (the text says the
 * second comes from the first, and nothing suggests a new case), the first is not already a
 * conclusion x > c, and the operation can be named: a sign that should have flipped, a kept
 * side, a moved term, a division.
 */
export function checkInequalityStep(prev: Ray, cur: Ray, stepped: boolean): LinkResult {
  const from = m(prev.latex);
  const step = m(cur.latex);
  if (within(prev, cur) && within(cur, prev)) return { verdict: "ok", reason: `has the same solutions as ${from} (${m(rayLatex(cur))})` };
  const flag = stepped && !prev.solved;
  if (within(prev, cur) && !flag) return { verdict: "ok", reason: `follows from ${from}` };
  const quiet: LinkResult = { verdict: "unchecked", reason: `does not follow from ${from} alone` };
  if (!flag) return quiet;
  // 4a > 75, so a >= 19: the same whole numbers (the variable may be an integer)
  if (sameIntegers(prev, cur)) return { verdict: "unchecked", reason: `the same whole numbers satisfy ${from} and ${step}` };
  if (cur.solved && R.eq(prev.bound, cur.bound) && up(prev) !== up(cur)) {
    return { verdict: "error", reason: `from ${from} this step gets ${step}, but ${from} holds exactly when ${m(rayLatex(prev))}: multiplying or dividing by a negative number reverses the inequality` };
  }
  const why = explainRelationStep(prev.sides, cur.sides, prev.x, OP_LATEX[cur.written]);
  if (why) return { verdict: "error", reason: `from ${from} this step gets ${step}, but ${why}` };
  return quiet;
}
