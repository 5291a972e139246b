/**
 * The reference-free check of a final answer: when the problem asks to solve an equation in
 * one variable ("Solve $2x + 3 = 7$", "find the value of $x$ ..."), the answer is substituted
 * back into every equation the problem states in that variable.
 */
import type { Node } from "../answers/ast.js";
import { Budget, BudgetExceeded } from "../answers/budget.js";
import * as C from "../answers/complex.js";
import { exact, numeric } from "../answers/evaluate.js";
import { cleanAnswer } from "../answers/normalize.js";
import { parseMath } from "../answers/parser.js";
import * as R from "../answers/rational.js";
import type { FinalAnswerCheck } from "./check.js";
import { approxLatex, m, ratLatex } from "./latex.js";
import { appliedLetters, isScalar, readRelation, readSide, type Side } from "./read.js";
import { segment } from "./segment.js";

const FINAL_BUDGET_MS = 50;

export function finalBySubstitution(problem: string, answer: string): FinalAnswerCheck | null {
  try {
    return substitute(problem, answer, Budget.forTimeoutMs(FINAL_BUDGET_MS));
  } catch (e) {
    if (e instanceof BudgetExceeded || e instanceof RangeError) return null;
    throw e;
  }
}

function substitute(problem: string, answer: string, budget: Budget): FinalAnswerCheck | null {
  const equations: [Side, Side][] = [];
  let variable: string | null = null;
  for (const st of segment(problem).statements) {
    const rel = readRelation(st.src, st.start);
    if (rel.ops.length !== 1 || rel.ops[0] !== "=") return null; // inequalities, chains: not an equation to solve
    const applied = appliedLetters(st.src);
    const [l, r] = rel.texts.map((t) => readSide(t, applied)) as [Side, Side];
    if (!l.node || !r.node || !isScalar(l.node) || !isScalar(r.node)) return null;
    const vars = new Set([...l.vars, ...r.vars]);
    if (vars.size !== 1) return null;
    const v = [...vars][0]!;
    if (variable !== null && v !== variable) return null;
    variable = v;
    equations.push([l, r]);
  }
  if (!variable || equations.length === 0) return null;
  const x = variable;
  // the problem must ask for the variable itself, not for something computed from it
  const asks = new RegExp(`\\b(solve|roots?|solutions?)\\b|(value|values) of \\$\\s*${x}\\s*\\$|(find|what is|what are|determine|compute) (all )?(possible )?\\$\\s*${x}\\s*\\$`, "i");
  if (!asks.test(problem)) return null;
  const values = answerValues(answer, x, budget);
  if (!values) return null;
  for (const v of values) {
    const env = new Map([[x, v.num]]);
    for (const [l, r] of equations) {
      const a = numeric(l.node!, env, budget);
      const b = numeric(r.node!, env, budget);
      if (!C.isFiniteC(a) || !C.isFiniteC(b)) return null;
      const d = Math.hypot(a.re - b.re, a.im - b.im);
      if (d > 1e-9 * Math.max(C.cabs(a), C.cabs(b), 1)) {
        return {
          answer,
          verdict: "incorrect",
          method: "substitution",
          reason: `with ${m(`${x} = ${v.shown}`)}, ${m(`${l.text} = ${r.text}`)} gives ${m(approxLatex(a.re))} on the left and ${m(approxLatex(b.re))} on the right`,
        };
      }
    }
  }
  const eqs = equations.map(([l, r]) => m(`${l.text} = ${r.text}`)).join(" and ");
  return { answer, verdict: "correct", method: "substitution", reason: `${values.length > 1 ? "every value" : m(`${x} = ${values[0]!.shown}`)} satisfies ${eqs} (substituted back; no reference given)` };
}

/** The numbers of a final answer: 5, x = 5, 2, 3, x = \pm 2. */
function answerValues(answer: string, x: string, budget: Budget): { num: C.C; shown: string }[] | null {
  let node: Node;
  try {
    node = parseMath(cleanAnswer(answer), budget).node;
  } catch {
    return null;
  }
  if (node.k === "rel" && node.ops.length === 1 && node.ops[0] === "=" && node.parts[0]!.k === "sym" && node.parts[0]!.name === x) node = node.parts[1]!;
  const items: Node[] =
    node.k === "seq" && (node.open === "" || node.open === "{")
      ? node.items
      : node.k === "pm"
        ? node.left
          ? [
              { k: "add", terms: [node.left, node.right] },
              { k: "add", terms: [node.left, { k: "neg", arg: node.right }] },
            ]
          : [node.right, { k: "neg", arg: node.right }]
        : [node];
  const out: { num: C.C; shown: string }[] = [];
  for (const it of items) {
    if (!isScalar(it)) return null;
    const e = exact(it, budget);
    const v = e ? C.c(R.toNumber(e)) : numeric(it, new Map(), budget);
    if (!C.isFiniteC(v)) return null;
    out.push({ num: v, shown: e ? ratLatex(e) : approxLatex(v.re) });
  }
  return out.length > 0 ? out : null;
}
