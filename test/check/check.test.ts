/**
 * checkSolution on solutions written for these tests: correct ones get no error (and their
 * checkable steps are ok), and each planted error (an arithmetic slip, a sign error in a
 * transformation, a dropped factor, a wrong simplification) is the first error, at the span of
 * the planted step, with a reason that names what it should have been.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkSolution, type CheckResult } from "../../src/check/index.js";

function assertNoError(problem: string, solution: string, reference?: string): CheckResult {
  const r = checkSolution({ problem, solution, reference });
  const errors = r.steps.filter((s) => s.verdict === "error");
  assert.deepEqual(errors, [], `flagged a correct solution:\n${solution}`);
  assert.equal(r.firstError, null);
  for (const s of r.steps) assert.equal(solution.slice(s.start, s.end), s.text);
  return r;
}

/** The planted error is the first error, and its span is exactly `planted` (found once in the solution). */
function assertFlagged(problem: string, solution: string, planted: string, reason: RegExp): CheckResult {
  const r = checkSolution({ problem, solution });
  assert.notEqual(r.firstError, null, `missed the planted error ${planted}:\n${JSON.stringify(r.steps, null, 1)}`);
  const step = r.steps[r.firstError!]!;
  const at = solution.indexOf(planted);
  assert.ok(at >= 0 && solution.indexOf(planted, at + 1) < 0, "the planted text occurs once");
  assert.deepEqual([step.start, step.end], [at, at + planted.length], `flagged ${JSON.stringify(step.text)} instead of ${JSON.stringify(planted)}`);
  assert.equal(step.verdict, "error");
  assert.match(step.reason, reason);
  return r;
}

const LINEAR = "Solve $2x + 3 = 7$.";
const LINEAR_OK = "Subtract 3 from both sides: $2x + 3 = 7$ becomes $2x = 4$. Dividing by 2, $x = 2$. So $\\boxed{2}$.";

const QUADRATIC = "Find all solutions of $x^2 - 5x + 6 = 0$.";
const QUADRATIC_OK = String.raw`We factor: \[x^2 - 5x + 6 = (x - 2)(x - 3) = 0,\] so $x = 2$ or $x = 3$. The answer is $\boxed{2, 3}$.`;

const ARITHMETIC_OK = String.raw`The total cost is $3 \cdot 4 + 5 \cdot 2 = 12 + 10 = 22$ dollars, and half of it is $\frac{22}{2} = 11$. So $\boxed{11}$.`;

const ALIGN_OK = String.raw`We use the distance formula:  \begin{align*}
\sqrt{(2 - (-4))^2 + ((-6) - 3)^2} &= \sqrt{6^2 + (-9)^2}\\
& = \sqrt{36 + 81}\\
& = \sqrt{117} = \boxed{3\sqrt{13}}.
\end{align*}`;

const LINES_OK = "3(x + 2) = 21\n3x + 6 = 21\n3x = 15\nx = 5";

const MIXED_OK = String.raw`We have $\binom{5}{2} = \frac{5!}{2!\,3!} = 10$ and $\sin 30^\circ = \frac{1}{2}$, so $10 \cdot \frac{1}{2} = 5$. Also $2^{10} = 1024$ and $\sqrt{50} = 5\sqrt{2}$. Expanding, $(x + 1)^2 = x^2 + 2x + 1$. The answer is $\boxed{5}$.`;

describe("checkSolution: correct solutions are not flagged", () => {
  it("a linear equation solved in steps: each step has the same solutions as the one before", () => {
    const r = assertNoError(LINEAR, LINEAR_OK);
    assert.deepEqual(
      r.steps.map((s) => [s.text, s.verdict]),
      [
        ["2x + 3 = 7", "ok"],
        ["2x = 4", "ok"],
        ["x = 2", "ok"],
      ],
    );
    // the first step restates the problem's equation; each next one has its solutions
    assert.match(r.steps[0]!.reason, /same solutions as \$2x \+ 3 = 7\$/);
    assert.match(r.steps[1]!.reason, /same solutions as \$2x \+ 3 = 7\$/);
    // no reference: the answer is substituted back into the problem's equation
    assert.equal(r.finalAnswer.verdict, "correct");
    assert.equal(r.finalAnswer.method, "substitution");
  });

  it("a factored quadratic and its roots", () => {
    const r = assertNoError(QUADRATIC, QUADRATIC_OK);
    assert.ok(r.steps.filter((s) => s.verdict === "ok").length >= 3, JSON.stringify(r.steps));
    assert.equal(r.finalAnswer.verdict, "correct");
  });

  it("arithmetic chains, an align block and plain lines of algebra", () => {
    const a = assertNoError("What is the cost?", ARITHMETIC_OK, "11");
    assert.deepEqual(a.steps.map((s) => s.verdict), ["ok", "ok"]);
    assert.deepEqual(a.finalAnswer, { answer: "11", verdict: "correct", method: "reference", reason: "equal to the reference $11$" });
    const b = assertNoError("Find the distance.", ALIGN_OK);
    assert.equal(b.steps.length, 3);
    assert.ok(b.steps.every((s) => s.verdict === "ok"));
    const c = assertNoError("Solve $3(x+2) = 21$.", LINES_OK);
    assert.deepEqual(c.steps.map((s) => s.verdict), ["ok", "ok", "ok", "ok"]);
  });

  it("binomials, factorials, trig values at standard angles, powers, radicals and polynomial identities", () => {
    const r = assertNoError("Compute.", MIXED_OK);
    assert.ok(r.steps.length >= 5);
    assert.ok(r.steps.every((s) => s.verdict === "ok"), JSON.stringify(r.steps, null, 1));
  });

  it("definitions, approximations, inequalities and prose are never errors", () => {
    const solution = String.raw`Let $x$ be the side, and let $x = 8 + 2t$. Then $\pi \approx 3.14$ and $x > 3$. Let $t = 2a = 3b$. A rough value: $\sqrt{2} \approx 1.5$. We get $f(2) = f(3)$ and $1 + 2 + \dots + 10 = 55$. So $17 \equiv 2 \pmod 5$ and $1 \text{ hour} = 60 \text{ minutes}$, and $0.\overline{3} = \frac{1}{3}$ and $101_2 = 5$.`;
    const r = assertNoError("A problem.", solution);
    assert.ok(r.steps.length >= 8);
  });

  it("substitutions that use a fact of the problem are not called false", () => {
    // x^2 = x + 1 from the problem: x^3 - 2x + 1 = x(x + 1) - 2x + 1 holds only because of it
    const solution = String.raw`\begin{align*}
x^3 - 2x + 1 &= x(x^2) - 2x + 1\\
&= x(x + 1) - 2x + 1\\
&= x^2 - x + 1\\
&= (x + 1) - x + 1 = \boxed{2}
\end{align*}`;
    const r = assertNoError("If $x^2 - x - 1 = 0$, what is the value of $x^3 - 2x + 1$?", solution);
    assert.ok(r.steps.some((s) => s.verdict === "ok" && /since/.test(s.reason)), JSON.stringify(r.steps, null, 1));
  });

  it("a false statement the solution itself rejects is not flagged", () => {
    assertNoError("Solve $x - 4 = \\sqrt{11 - 2x}$.", "If $x = 1$, we have $1 = \\sqrt{11-2} + 4$, which is not true, so $x = 1$ is extraneous. The answer is $\\boxed{5}$.");
  });

  it("complex numbers: i read as the imaginary unit", () => {
    assertNoError("Compute $(1 + 2i)(3 - i)$.", String.raw`$(1 + 2i)(3 - i) = 3 - i + 6i - 2i^2 = 3 + 5i + 2 = \boxed{5 + 5i}$.`);
  });
});

describe("checkSolution: a planted error is the first error, at its span", () => {
  it("an arithmetic slip in a chain", () => {
    const r = assertFlagged("What is the cost?", ARITHMETIC_OK.replace("12 + 10 = 22", "12 + 10 = 23").replace("\\frac{22}{2} = 11", "\\frac{23}{2} = 11.5"), "3 \\cdot 4 + 5 \\cdot 2 = 12 + 10 = 23", /\$12 \+ 10 = 23\$ is false: \$12 \+ 10 = 22\$/);
    assert.equal(r.steps.filter((s) => s.verdict === "error").length, 1, "the steps after the slip follow from it");
  });

  it("an arithmetic slip in an align row", () => {
    assertFlagged("Find the distance.", ALIGN_OK.replace("\\sqrt{36 + 81}", "\\sqrt{36 + 80}"), "= \\sqrt{36 + 80}", /is false/);
  });

  it("a sign error when a term moves to the other side", () => {
    const solution = "Subtract 3 from both sides: $2x + 3 = 7$ becomes $2x = 7 + 3 = 10$. Dividing by 2, $x = 5$. So $\\boxed{5}$.";
    const r = assertFlagged(LINEAR, solution, "2x = 7 + 3 = 10", /from \$2x \+ 3 = 7\$ this step gets .*subtracting \$3\$ from both sides gives \$2x = 4\$/);
    assert.equal(r.finalAnswer.verdict, "incorrect");
    assert.equal(r.finalAnswer.method, "substitution");
  });

  it("a sign error in plain lines of algebra", () => {
    assertFlagged("Solve $5x - 4 = 2x + 8$.", "5x - 4 = 2x + 8\n3x - 4 = 8\n3x = 4\nx = 4/3", "3x = 4", /adding \$4\$ to both sides gives \$3x = 12\$/);
  });

  it("a dropped factor when expanding", () => {
    const solution = LINES_OK.replace("3x + 6 = 21\n3x = 15\nx = 5", "3x + 2 = 21\n3x = 19\nx = 19/3");
    assertFlagged("Solve $3(x+2) = 21$.", solution, "3x + 2 = 21", /\$3\(x \+ 2\)\$ is \$3x \+ 6\$, not \$3x \+ 2\$/);
  });

  it("a division by the wrong number", () => {
    assertFlagged(LINEAR, LINEAR_OK.replace("$x = 2$", "$x = 8$").replace("\\boxed{2}", "\\boxed{8}"), "x = 8", /dividing both sides by \$2\$ gives \$x = 2\$/);
  });

  it("a wrong simplification in a chain (a polynomial identity that is false)", () => {
    const solution = String.raw`Expanding, $(x + 3)^2 = x^2 + 9$, so $(x + 3)^2 - 9 = x^2 + 9 - 9 = x^2$.`;
    assertFlagged("Simplify $(x+3)^2 - 9$.", solution.replace("$(x + 3)^2 = x^2 + 9$", "$(x + 3)^2 = (x+3)(x+3) = x^2 + 9$"), "(x + 3)^2 = (x+3)(x+3) = x^2 + 9", /\$\(x\+3\)\(x\+3\) = x\^2 \+ 9\$ is not true for every \$x\$: \$\(x\+3\)\(x\+3\)\$ is \$x\^2 \+ 6x \+ 9\$/);
  });

  it("a wrong factorisation of a quadratic", () => {
    const wrong = QUADRATIC_OK.replace("(x - 2)(x - 3)", "(x - 1)(x - 6)").replace("$x = 2$ or $x = 3$", "$x = 1$ or $x = 6$").replace("\\boxed{2, 3}", "\\boxed{1, 6}");
    // compared with the problem's equation: the factors have other roots
    const r = assertFlagged(QUADRATIC, wrong, "x^2 - 5x + 6 = (x - 1)(x - 6) = 0", /this step gets \$\(x - 1\)\(x - 6\) = 0\$, but \$\(x - 1\)\(x - 6\)\$ is \$x\^2 - 7x \+ 6\$, not \$x\^2 - 5x \+ 6\$/);
    assert.equal(r.finalAnswer.verdict, "incorrect");
  });

  it("a reference answer grades the final answer", () => {
    const r = checkSolution({ problem: LINEAR, solution: LINEAR_OK, reference: "3" });
    assert.deepEqual(r.finalAnswer, { answer: "2", verdict: "incorrect", method: "reference", reason: "the reference answer is $3$" });
  });
});

describe("checkSolution: input", () => {
  it("refuses what is not text, naming the field", () => {
    assert.throws(() => checkSolution({ problem: "p", solution: 3 as unknown as string }), /The solution must be a string/);
    assert.throws(() => checkSolution({ problem: "p", solution: "x".repeat(200_001) }), /at most 200000 characters/);
  });

  it("a solution without math has no steps and no final answer", () => {
    const r = checkSolution({ problem: "Why?", solution: "Because it is so." });
    assert.deepEqual(r.steps, []);
    assert.equal(r.firstError, null);
    assert.equal(r.finalAnswer.verdict, "unknown");
  });
});

/**
 * Shapes that raised false alarms on the benchmark sets' reference solutions, rewritten as
 * solutions of our own: each must stay free of errors.
 */
describe("checkSolution: notation that is correct but easy to misread", () => {
  const clean = (problem: string, solution: string) => assertNoError(problem, solution);

  it("an expression split across two math regions, or continued in the prose", () => {
    clean("Find the difference.", "So $m^2 - n^2 = 1444-$ $1369 = 75$.");
    clean("Count them.", "There are $\\frac{200(199)}{2} \\cdot 2(198!) = 200(199)(198!) = 200$! permutations.");
    clean("Half of ten.", "One half of $10 = 5$, as expected.");
  });

  it("a chain that says two things share a value", () => {
    clean("Find the angle.", "Since the triangle is isosceles and right, $\\sin \\alpha = \\cos \\alpha = \\frac{\\sqrt{2}}{2}$.");
    clean("Find b.", "Then $b = -\\frac{1}{b} = -\\frac{1}{5}$ is impossible, so we look again.");
  });

  it("segment names, congruences, identities that need a sign, rounded solutions", () => {
    clean("Find the lengths.", "By Ptolemy, $MP + RN = MR + 2RP + PN = 1 + RP$.");
    clean("Find m.", "We work in $\\mathbb Z/289\\mathbb Z$. Since $-\\frac12 = 144$, the root is $12$.");
    clean("Simplify for $x < 0$.", "Since $x < 0$, $\\frac{\\sqrt{x^2}}{x} = \\frac{-x}{x} = -1$.");
    clean("Solve.", "$0.78x - 20 = x/2 + 1.9$, so $0.28x = 21.9$ and $x = 78.20$.");
  });

  it("cases: a new equation after a solved one, a list of equations, a value from another case", () => {
    clean("Find x.", "$r = 4$: then $(x+2)/6 = x/7$, and $x = -14$. $r = 5$: then $(x+1)/6 = x/7$, so $x = -7$.");
    clean("Find the roots.", "Then $x - 3 = 0,$ $x - 7 = 0,$ or $2x - 10 = 0$.");
    clean("Solve $\\sin \\theta = \\frac{1}{2}$ or $\\sin\\theta = \\frac{1}{\\sqrt 2}$.", "So $\\sin \\theta = \\frac{1}{\\sqrt{2}}$ and $\\theta = \\frac{1}{6}\\pi, \\frac{1}{4}\\pi$.");
    clean("Solve.", "$5 - a = 3$ or $5 - a = -3$, so $2 = a$ or $8 = a$.");
  });

  it("plain text: 2^10, step labels, implication arrows, thousands", () => {
    const r = clean("Compute.", "Step 1: 2^10 = 1024\nStep 2: 1024 - 24 = 1000\n2x + 3 = 7 => 2x = 4 => x = 2\nX = 4,000");
    assert.deepEqual(r.steps.map((s) => s.text), ["2^10 = 1024", "1024 - 24 = 1000", "2x + 3 = 7", "2x = 4", "x = 2", "X = 4,000"]);
    assert.deepEqual(r.steps.slice(0, 2).map((s) => s.verdict), ["ok", "ok"]);
  });
});

describe("checkSolution: ±", () => {
  const formula = String.raw`By the quadratic formula, $x = \frac{5 \pm \sqrt{25 - 24}}{2} = \frac{5 \pm 1}{2}$, so $x = 3$ or $x = 2$.`;

  it("both signs are compared as a pair of values", () => {
    const r = assertNoError("Solve $x^2 - 5x + 6 = 0$.", formula);
    assert.equal(r.steps[0]!.verdict, "ok");
    assert.match(r.steps[0]!.reason, /both sides are \$3, 2\$/);
  });

  it("an arithmetic slip under the root is found", () => {
    assertFlagged("Solve $x^2 - 5x + 6 = 0$.", formula.replace("25 - 24", "25 - 20"), String.raw`x = \frac{5 \pm \sqrt{25 - 20}}{2} = \frac{5 \pm 1}{2}`, /the left side is .* and the right side is \$3, 2\$/);
  });
});

describe("checkSolution: values written in other ways", () => {
  it("\\boxed{} is its content", () => {
    assertFlagged("Compute.", "So $\\frac{3}{20} = \\frac{15}{100} = \\boxed{0.16}$.", "\\frac{3}{20} = \\frac{15}{100} = \\boxed{0.16}", /\$\\frac\{15\}\{100\} = \\boxed\{0\.16\}\$ is false/);
    assertNoError("Compute.", "So $\\frac{3}{20} = \\frac{15}{100} = \\boxed{0.15}$.");
  });

  it("a rounding needs a bare decimal against a value with more places than it shows", () => {
    assertNoError("Compute.", "$\\frac{1}{3} = 0.33$, $\\frac{2}{3} \\approx 0.67$, $\\pi = 3.1416$, $2.5 \\times 1.33 = 3.3$ and $\\frac{475}{2473} = 19.2\\%$.");
    assertFlagged("Volume.", "$V = \\frac{1}{3}(30)(6.5) = (10)(6.5) = 66$.", "V = \\frac{1}{3}(30)(6.5) = (10)(6.5) = 66", /\$\(10\)\(6\.5\) = 66\$ is false: \$\(10\)\(6\.5\) = 65\$/);
  });

  it("a percentage may be written as its number on one side", () => {
    assertNoError("Percent.", "$1/8 \\times 100 = 12.5\\%$");
  });

  it("in modular arithmetic, an equality that holds modulo a stated modulus is not called false; others are", () => {
    assertNoError("Find m.", "We work in $\\mathbb Z/289\\mathbb Z$. Since $-\\frac12 = 144$, the root is $12$.");
    assertFlagged("Find the sum.", "We need $x \\equiv 5 \\pmod{8}$ and $x \\equiv 3 \\pmod{6}$, so $x = 21 + 24k$. The two values below 50 are 21 and $21 + 24(1) = 46$.", "21 + 24(1) = 46", /is false: \$21 \+ 24\(1\) = 45\$/);
  });

  it("a computation made under a hypothesis is still checked; a contradiction derived there is not", () => {
    assertFlagged("Find k.", "If $p = 15$ when $c = 1500$, then $k = (15)(1500) = 22501$.", "k = (15)(1500) = 22501", /\$\(15\)\(1500\) = 22501\$ is false: \$\(15\)\(1500\) = 22500\$/);
    assertNoError("Find a.", "If $b = 2$, then $4a = 4(a - 3)$, so $0 = -12$; so $b \\ne 2$.");
  });

  it("a real number is not an imaginary one", () => {
    assertFlagged("Distance.", "$d = \\sqrt{6^2 + (-9)^2} = \\sqrt{6^2 + (-9)^3}$", "d = \\sqrt{6^2 + (-9)^2} = \\sqrt{6^2 + (-9)^3}", /is false/);
  });
});

describe("checkSolution: a side whose variables cancel", () => {
  it("is a number that the chain may not change", () => {
    assertFlagged("Simplify.", "$S = 6r + 24 - 6r = 25$", "S = 6r + 24 - 6r = 25", /the variables of \$6r \+ 24 - 6r\$ cancel, and it is \$24\$/);
    assertNoError("Simplify.", "$S = 6r + 24 - 6r = 24$");
  });
});

describe("checkSolution: bounded", () => {
  it("a solution of the largest size is checked in bounded time, every statement accounted for", () => {
    const line = "$12 \\cdot 34 = 408$ and $\\frac{1}{3} + \\frac{1}{6} = \\frac{1}{2}$.\n";
    const solution = line.repeat(Math.floor(200_000 / line.length));
    const started = performance.now();
    const r = checkSolution({ problem: "Compute.", solution });
    const ms = performance.now() - started;
    assert.ok(ms < 5000, `took ${ms} ms`);
    assert.equal(r.steps.length, 2 * Math.floor(200_000 / line.length));
    assert.equal(r.firstError, null);
    // what was checked before the bound ran out is ok; the rest is unchecked, with the reason
    for (const s of r.steps) assert.ok(s.verdict === "ok" || s.reason === "not checked: the time for this solution ran out", JSON.stringify(s));
  });
});

describe("checkSolution: a problem that asks to rewrite an expression", () => {
  it("reads a lone a = b in the same variables as a claimed rewriting", () => {
    assertFlagged("Expand $(x + 2)^2$.", "$(x + 2)^2 = x^2 + 4$", "(x + 2)^2 = x^2 + 4", /\$\(x \+ 2\)\^2 = x\^2 \+ 4\$ is not true for every \$x\$: \$\(x \+ 2\)\^2\$ is \$x\^2 \+ 4x \+ 4\$/);
    assertNoError("Factor $x^2 - 9$.", "$x^2 - 9 = (x - 3)(x + 3)$");
  });

  it("but not when the problem gives an equation", () => {
    assertNoError("Factor to solve $x^2 - 5x + 6 = 0$.", "We need $x^2 - 5x = -6$, that is $(x-2)(x-3) = 0$.");
  });
});

describe("checkSolution: substituting a value just found", () => {
  it("checks a chain link that puts the value in (same shape, numbers for the variable)", () => {
    const r = assertNoError("Find y.", "Solving $2x = 6$ gives $x = 3$. Then $y = 2x + 1 = 2(3) + 1 = 7$.");
    assert.match(r.steps[2]!.reason, /with \$x = 3\$, both sides are \$7\$/);
    assertFlagged("Find y.", "Solving $2x = 6$ gives $x = 3$. Then $y = 2x + 1 = 2(4) + 1 = 9$.", "y = 2x + 1 = 2(4) + 1 = 9", /with \$x = 3\$, \$2x \+ 1\$ is \$7\$ but \$2\(4\) \+ 1\$ is \$9\$/);
  });

  it("leaves equations, redefinitions and new cases alone", () => {
    assertNoError("Solve.", "Try $x = 1$: no. Then $0 = x^2 + 9x + 20 = (x + 4)(x + 5)$.");
    assertNoError("Count.", "So $x = 2$. Now let the number of apples be $x = 12/3 = 4$.");
    assertNoError("Cases.", "Case 1: $x = 3$. Case 2: $x = 5$, and then $2x + 1 = 2(5) + 1 = 11$.");
  });
});
