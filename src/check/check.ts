/**
 * checkSolution: a worked solution judged step by step. The solution is cut into statements
 * (segment.ts); every link of an equality chain is decided exactly where it can be (links.ts);
 * an equation is compared with the earlier equation in the same variables (equations.ts); the
 * final answer is graded against the reference, or substituted back into the problem's equation.
 * What the checker cannot decide is "unchecked", never "error".
 */
import { equivalent } from "../answers/equivalent.js";
import { extractAnswer } from "../answers/extract.js";
import { QmathError } from "../errors.js";
import { asEquation, checkEquationStep, rewritingUnderFacts, sameVars, type Equation } from "./equations.js";
import { checkLink, type LinkResult, type Verdict } from "./links.js";
import { finalBySubstitution } from "./final.js";
import { m } from "./latex.js";
import { appliedLetters, readRelation, readSide, type Side } from "./read.js";
import { segment } from "./segment.js";
import * as R from "../answers/rational.js";
import { asRay, checkInequalityStep, type Ray } from "./inequalities.js";
import { withKnownValues, type KnownValue } from "./substitute.js";
import { exact } from "../answers/evaluate.js";
import { Budget } from "../answers/budget.js";

export type { Verdict } from "./links.js";

export interface CheckInput {
  problem: string;
  solution: string;
  /** The reference answer, when there is one: the final answer is graded against it. */
  reference?: string;
}

export interface CheckedStep {
  /** Character offsets into the solution: solution.slice(start, end) is the step. */
  start: number;
  end: number;
  /** The step's text (solution.slice(start, end)). */
  text: string;
  verdict: Verdict;
  /** Why, in words a student can read (math in $...$). */
  reason: string;
}

export interface FinalAnswerCheck {
  /** The extracted final answer (the last \boxed{}, "the answer is", ...), or null. */
  answer: string | null;
  verdict: "correct" | "incorrect" | "unknown";
  /**
   * How it was judged: against the reference, by substitution into the problem's equation, by the
   * majority answer of a model's samples (finalByModelVote: a vote, not an exact check), or not at all.
   */
  method: "reference" | "substitution" | "model-vote" | "none";
  reason: string;
}

export interface CheckResult {
  steps: CheckedStep[];
  /** Index in steps of the first step with verdict "error", or null. */
  firstError: number | null;
  finalAnswer: FinalAnswerCheck;
}

/** Longest solution and problem read (characters): a worked solution is a few thousand. */
export const MAX_CHECK_CHARS = 200_000;

/** Words between two equations that open a new case or a hypothesis: the second may not follow from the first. */
const NEW_CASE = /\b(case|cases|or|if|otherwise|suppose|assume|assuming|either|else|alternatively|second|another|other|instead|when|whereas|similarly|likewise|also|try|trying|would|were|not|contradiction|impossible|extraneous|check|checking|let)\b/i;

/** Text between two equations that says the second is a step from the first (or nothing: a new row or line). */
const STEP_HINT = /^[\s$&]*$|^[\s$&]*(\\\\)[\s$&]*$|\\(implies|Rightarrow|Longrightarrow)|⇒|=>|\b(so|thus|hence|gives?|giving|get|gets|becomes?|then|therefore|factor\w*|expand\w*|simplif\w*|rewrit\w*|subtract\w*|add\w*|divid\w*|multipl\w*|mov\w*|collect\w*|combin\w*|rearrang\w*)\b/i;

/**
 * The time one solution may take, in milliseconds (a worked solution takes about a millisecond;
 * each statement's parsing and comparisons have bounds of their own).
 */
export const SOLUTION_BUDGET_MS = 1000;

/** A problem that asks to rewrite an expression: a sentence that starts with the command ("Simplify ...", not "a factor of"). */
const REWRITING = /(^|[.?!:]\s+)(please\s+)?(simplify|expand|factor|factorise|factorize|fully factor|completely factor|multiply out|rewrite)\b/i;

/** How many statements back a value found (x = 3) may be substituted. */
const SUBSTITUTE_BACK = 3;

/** How many statements back an equation step looks for the equation it transforms. */
const LOOK_BACK = 6;

export function checkSolution(input: CheckInput): CheckResult {
  const { problem, solution, reference } = input;
  if (typeof problem !== "string") throw new QmathError("bad_input", "The problem must be a string.");
  if (typeof solution !== "string") throw new QmathError("bad_input", "The solution must be a string.");
  if (reference !== undefined && typeof reference !== "string") throw new QmathError("bad_input", "The reference must be a string when given.");
  if (solution.length > MAX_CHECK_CHARS || problem.length > MAX_CHECK_CHARS) {
    throw new QmathError("bad_input", `The problem and the solution may have at most ${MAX_CHECK_CHARS} characters each.`, "Check one solution at a time.");
  }
  const steps = checkSteps(problem, solution);
  const firstError = steps.findIndex((s) => s.verdict === "error");
  return { steps, firstError: firstError < 0 ? null : firstError, finalAnswer: checkFinal(problem, solution, reference) };
}

interface Tracked {
  eq: Equation;
  index: number;
  end: number;
}

/** The equations a problem states (facts a solution may use). */
function problemFacts(problem: string): Equation[] {
  const out: Equation[] = [];
  for (const st of segment(problem).statements) {
    const applied = appliedLetters(st.src);
    const rel = readRelation(st.src, st.start);
    const sides = rel.texts.map((t) => readSide(t, applied, problem));
    rel.ops.forEach((op, j) => {
      const eq = op === "=" ? asEquation(sides[j]!, sides[j + 1]!) : null;
      if (eq) out.push(eq);
    });
  }
  return out;
}

/** The linear inequalities a problem states ("Solve $3x + 2 > 11$"). */
function problemRays(problem: string): { ray: Ray; index: number; end: number }[] {
  const out: { ray: Ray; index: number; end: number }[] = [];
  for (const st of segment(problem).statements) {
    const applied = appliedLetters(st.src);
    const rel = readRelation(st.src, st.start);
    if (rel.ops.length !== 1) continue;
    const ray = asRay(readSide(rel.texts[0]!, applied, problem), rel.ops[0]!, readSide(rel.texts[1]!, applied, problem));
    if (ray) out.push({ ray, index: -1, end: 0 });
  }
  return out;
}

/** Where a sentence starts: after ". ", "? ", a line break, or a display's end. */
function sentenceStart(before: string): number {
  let start = 0;
  for (const mark of [". ", "? ", "! ", "\n", ".$$", "$$", "\\]", ".$ "]) {
    const at = before.lastIndexOf(mark);
    if (at >= 0) start = Math.max(start, at + mark.length);
  }
  return start;
}

/** "if $b = 2$", "when $n = 3$", "suppose $x > 1$", "the proposition if $...$": math assumed for a while. */
const HYPOTHESIS = /\b(if|suppose|assume|assuming|when|case|proposition|claim|conjecture)\b[^.$]{0,40}(\$|\\\()/i;
/** The solution itself says a statement is false ("which is not true", "a contradiction"). */
const CALLED_FALSE = /\b(not true|false|impossible|contradiction|absurd|incorrect|wrong|invalid|extraneous|not (possible|valid|a solution|allowed|the case)|does not (work|hold)|doesn't (work|hold)|fails|cannot (be|hold)|can't (be|hold))\b/i;

/** A statement made in a sentence that sets a hypothesis ("if $b = 2$, then ..."). */
function hypothesis(solution: string, start: number): boolean {
  const before = solution.slice(Math.max(0, start - 300), start);
  return HYPOTHESIS.test(before.slice(sentenceStart(before)));
}

/** A statement the text calls false right after it ("which is not true"), before its next math. */
function calledFalse(solution: string, end: number): boolean {
  // (past the statement's own closing delimiter)
  const after = solution.slice(end, end + 120).replace(/^\s*(\$\$|\$|\\\)|\\\])/, "");
  const stop = after.search(/\$|\\\(|\\\[|\.(\s|$)|\n/);
  return CALLED_FALSE.test(stop < 0 ? after : after.slice(0, stop + 1));
}

const isLiteral = (s: Side): boolean => s.node !== null && (s.node.k === "num" || (s.node.k === "neg" && s.node.arg.k === "num"));

/** The moduli a text works with: \pmod{8}, mod 6, modulo 17, Z/289Z. */
function moduliIn(text: string): bigint[] {
  const out: bigint[] = [];
  for (const mm of text.matchAll(/(?:\\pmod|\\bmod|\\mod|\bmod(?:ulo)?)\s*\{?\s*(\d{1,12})|\\mathbb\s*\{?Z\}?\s*\/\s*\{?(\d{1,12})|\bZ\s*\/\s*(\d{1,12})/g)) {
    const n = BigInt(mm[1] ?? mm[2] ?? mm[3]!);
    if (n > 1n) out.push(n);
  }
  return out;
}

/** Whether a false equality may be a congruence: its two sides agree modulo a modulus of the text (or none could be read). */
function congruent(link: LinkResult, moduli: bigint[]): boolean {
  const gap = link.gap;
  if (!gap || moduli.length === 0) return true;
  return moduli.some((n) => gap.n % n === 0n && R.gcd(gap.d, n) === 1n);
}

/** Modular arithmetic anywhere: equalities may be congruences ("$-\frac12 = 144$" in Z/289Z). */
const MODULAR = /\\(pmod|bmod|mod|equiv)(?![a-zA-Z])|\bmod(ulo)?\b|\\mathbb\s*\{?Z\}?\s*\/|\bZ\s*\/\s*\d/;

/** A side whose expression begins or ends outside the statement: not a value. */
function opaque(s: Side): Side {
  return { ...s, node: null, constants: null, vars: new Set(), why: "an expression that goes on outside this math" };
}


function checkSteps(problem: string, solution: string): CheckedStep[] {
  const steps: CheckedStep[] = [];
  const found = new Map<string, KnownValue>();
  const facts = problemFacts(problem);
  // "Simplify ...", "Expand ...", "Factor ..." with no equation given: a lone a = b in the same
  // variables is a rewriting the solution claims, not an equation to solve
  const rewritingProblem = REWRITING.test(problem) && !segment(problem).statements.some((st) => /=|<|>|\\le|\\ge/.test(st.src));
  // the problem's equations come first: the solution's first step may transform one of them
  const equations: Tracked[] = facts.map((eq) => ({ eq, index: -1, end: 0 }));
  const modular = MODULAR.test(problem) || MODULAR.test(solution);
  const moduli = modular ? moduliIn(problem + "\n" + solution) : [];
  const rays: { ray: Ray; index: number; end: number }[] = problemRays(problem);
  const known = lettersIn(problem);
  let prevLast: { side: Side; region: number } | null = null;
  const deadline = performance.now() + SOLUTION_BUDGET_MS;
  for (const [index, st] of segment(solution).statements.entries()) {
    // a bound on the whole solution: what is left when it runs out is unchecked, not waited for
    if (performance.now() > deadline) {
      steps.push({ start: st.start, end: st.end, text: solution.slice(st.start, st.end), verdict: "unchecked", reason: "not checked: the time for this solution ran out" });
      continue;
    }
    const applied = appliedLetters(st.src);
    const rel = readRelation(st.src, st.start);
    const sides = rel.texts.map((t) => readSide(t, applied, solution));
    const ops = [...rel.ops];
    let continued = false;
    if (sides[0]!.text === "") {
      if (st.continues && prevLast && prevLast.region === st.region) {
        sides[0] = prevLast.side;
        continued = true;
      } else {
        sides.shift();
        ops.shift();
      }
    }
    if (ops.length === 0 || sides.length < 2) continue;
    if (st.openStart && !continued) sides[0] = opaque(sides[0]!);
    if (st.openEnd) sides[sides.length - 1] = opaque(sides[sides.length - 1]!);
    // every later link of a chain a = b = c claims that its sides are equal; the first one too
    // unless the chain ends in a value (sin a = cos a = 1/2 says both are 1/2, not sin = cos);
    // a lone a = b may be an equation to solve
    const chain = ops.length >= 2 || continued;
    const lastSide = sides[sides.length - 1]!;
    const claimsFirst = continued || (chain && lastSide.node !== null && lastSide.vars.size > 0) || rewritingProblem;
    // the values just found that this statement may substitute (a few statements back, no new case since)
    const fresh = new Map([...found.entries()].filter(([, v]) => index - v.index <= SUBSTITUTE_BACK && !NEW_CASE.test(solution.slice(v.end, st.start))));
    const links: LinkResult[] = ops.map((op, j) => {
      const r = checkLink(sides[j]!, op, sides[j + 1]!, j === 0 ? claimsFirst : chain);
      if (r.rewriting) return rewritingUnderFacts(r.rewriting.a, r.rewriting.b, r.rewriting.names, equations.map((t) => t.eq), r);
      // a chain link that substitutes a value found just before (x = 3, so 2x + 1 = 2(3) + 1)
      if (r.verdict === "unchecked" && chain && op === "=") return withKnownValues(sides[j]!, sides[j + 1]!, fresh) ?? r;
      return r;
    });

    // the first link that is an equation (2x = 7 + 3 = 10: 2x = 7 + 3), compared with the earlier one it transforms
    // (in a chain, a link between expressions in the same variables is a rewriting, not an equation to solve)
    const rewriting = (k: number) => chain && sameVars(sides[k]!.vars, sides[k + 1]!.vars);
    const j = links.findIndex((l, k) => ops[k] === "=" && l.verdict === "unchecked" && !rewriting(k) && asEquation(sides[k]!, sides[k + 1]!) !== null);
    if (j >= 0 && !links.some((l) => l.verdict === "error")) {
      const eq = asEquation(sides[j]!, sides[j + 1]!);
      if (eq) {
        const candidates = previousEquations(equations, eq, index);
        const prev = candidates[0];
        if (prev) {
          const between = solution.slice(prev.end, sides[j]!.start);
          // a list of equations ("$a = 0,$ $b = 0$"): alternatives, not steps from one to the next
          const list = /^[\s$]*[,;][\s$,;]*$/.test(between);
          // a value given to another variable in between ("$r = 5$: then ...") starts a new case
          const newCase = equations.some((t) => t.index > prev.index && t.eq.values !== null && !sameVars(t.eq.vars, eq.vars));
          const hinted = prev.index >= 0 && STEP_HINT.test(between);
          let r = checkEquationStep(prev.eq, eq, !list && !newCase && !NEW_CASE.test(between), index - prev.index <= 2, hinted);
          // a step may transform any equation a few statements back (the other branch of a case split)
          for (const other of candidates.slice(1)) {
            if (r.verdict === "ok") break;
            const alt = checkEquationStep(other.eq, eq, false, false);
            if (alt.verdict === "ok") r = alt;
          }
          links[j] = r;
        } else if (eq.lhs.node?.k === "sym" && !known.has(eq.lhs.node.name) && ops.length === 1) {
          links[j] = { verdict: "unchecked", reason: `defines ${m(eq.lhs.text)}` };
        }
        equations.push({ eq, index, end: st.end });
        // x = c gives x its value; x = c, d (or a new equation in x) takes it away
        for (const v of eq.vars) found.delete(v);
        const single = eq.values?.length === 1 ? exact(eq.values[0]!, Budget.forTimeoutMs(5)) : null;
        const name = eq.lhs.node?.k === "sym" ? eq.lhs.node.name : eq.rhs.node?.k === "sym" ? eq.rhs.node.name : null;
        if (single && name) found.set(name, { value: single, index, end: st.end });
      }
    }
    // a linear inequality in one variable, compared with the earlier one it transforms
    if (ops.length === 1 && links[0]!.verdict === "unchecked") {
      const ray = asRay(sides[0]!, ops[0]!, sides[1]!);
      if (ray) {
        const prev = [...rays].reverse().find((t) => t.ray.x === ray.x && index - t.index <= LOOK_BACK);
        if (prev) {
          const between = solution.slice(prev.end, st.start);
          const stepped = (prev.index >= 0 || index <= 1) && STEP_HINT.test(between) && !NEW_CASE.test(between) && !/^[\s$]*[,;][\s$,;]*$/.test(between);
          links[0] = checkInequalityStep(prev.ray, ray, stepped);
        }
        rays.push({ ray, index, end: st.end });
      }
    }
    for (const s of sides) for (const v of s.vars) known.add(v);
    prevLast = { side: sides[sides.length - 1]!, region: st.region };
    const summary = summarise(links);
    const errors = links.flatMap((l, k) => (l.verdict === "error" ? [k] : []));
    // under a hypothesis a solution may derive a contradiction (if b = 2, then 0 = -12), but a
    // computation it makes there ((15)(1500) = 22501) is still its own claim
    const contradiction = errors.every((k) => sides[k]!.vars.size + sides[k + 1]!.vars.size > 0 || (isLiteral(sides[k]!) && isLiteral(sides[k + 1]!)));
    if (summary.verdict === "error" && ((contradiction && hypothesis(solution, st.start)) || calledFalse(solution, st.end))) {
      summary.verdict = "unchecked";
      summary.reason = `said under a hypothesis, or called false by the solution (${summary.reason})`;
    } else if (summary.verdict === "error" && modular && errors.some((k) => congruent(links[k]!, moduli))) {
      summary.verdict = "unchecked";
      summary.reason = `the solution works modulo a number, where this may hold (${summary.reason})`;
    }
    steps.push({ start: st.start, end: st.end, text: solution.slice(st.start, st.end), ...summary });
  }
  return steps;
}

/** The earlier equations in the same variables that are still equations (not x = c), nearest first. */
function previousEquations(equations: Tracked[], eq: Equation, index: number): Tracked[] {
  const out: Tracked[] = [];
  for (let k = equations.length - 1; k >= 0; k--) {
    const t = equations[k]!;
    if (index - t.index > LOOK_BACK) break;
    if (!sameVars(t.eq.vars, eq.vars)) continue;
    if (t.eq.values === null) out.push(t);
    // once solved (x = c), a new equation in x starts afresh: it is not a step of the one solved
    else if (eq.values === null) break;
  }
  return out;
}

/** One verdict for a statement: its first error, else ok when a link checked, else unchecked. */
function summarise(links: LinkResult[]): { verdict: Verdict; reason: string } {
  const error = links.find((l) => l.verdict === "error");
  if (error) return { verdict: "error", reason: error.reason };
  const ok = links.filter((l) => l.verdict === "ok");
  if (ok.length > 0) {
    const skipped = links.length - ok.length;
    const note = skipped > 0 ? ` (${skipped} of ${links.length} links not checked)` : "";
    return { verdict: "ok", reason: ok.slice(0, 3).map((l) => l.reason).join("; ") + note };
  }
  return { verdict: "unchecked", reason: links[0]!.reason };
}

/** Single letters named in the problem's math (the given quantities). */
function lettersIn(problem: string): Set<string> {
  const out = new Set<string>();
  for (const mm of problem.matchAll(/\$([^$]*)\$/g)) {
    for (const l of mm[1]!.replace(/\\[a-zA-Z]+/g, " ").matchAll(/(?<![a-zA-Z])[a-zA-Z](?![a-zA-Z])/g)) out.add(l[0]);
  }
  return out;
}

function checkFinal(problem: string, solution: string, reference: string | undefined): FinalAnswerCheck {
  const answer = extractAnswer(solution);
  if (answer === null) return { answer, verdict: "unknown", method: "none", reason: "the solution states no final answer" };
  if (reference !== undefined) {
    const r = equivalent(answer, reference);
    if (r.reason === "timeout" || (r.reason === "unparseable" && !r.equivalent)) {
      return { answer, verdict: "unknown", method: "reference", reason: `could not compare ${m(answer)} with the reference ${m(reference)} (${r.reason})` };
    }
    return r.equivalent
      ? { answer, verdict: "correct", method: "reference", reason: `equal to the reference ${m(reference)}` }
      : { answer, verdict: "incorrect", method: "reference", reason: `the reference answer is ${m(reference)}` };
  }
  return finalBySubstitution(problem, answer) ?? { answer, verdict: "unknown", method: "none", reason: "no reference, and the problem states no equation to substitute the answer into" };
}
