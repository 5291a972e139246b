/**
 * Worked solutions in the styles students and models write (inline and display math, align
 * rows, \( \) and \[ \], plain lines, prose between steps), each correct, and each with one
 * planted error. The correct one must have no error; the planted one must have its first error at
 * the planted step, with a reason that names what the step should have been.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkSolution } from "../../src/check/index.js";

interface Case {
  name: string;
  kind: "arithmetic slip" | "sign error" | "dropped factor" | "wrong simplification";
  problem: string;
  solution: string;
  /** The planted error: this text of the solution is replaced... */
  find: string;
  /** ...by this one. */
  replace: string;
  /** The flagged step's text in the planted solution. */
  step: string;
  reason: RegExp;
}

const CASES: Case[] = [
  {
    name: "fractions",
    kind: "arithmetic slip",
    problem: "What is $\\frac{1}{2} + \\frac{1}{3}$?",
    solution: "We use a common denominator: $\\frac{1}{2} + \\frac{1}{3} = \\frac{3}{6} + \\frac{2}{6} = \\frac{5}{6}$. The answer is $\\boxed{\\frac{5}{6}}$.",
    find: "\\frac{2}{6} = \\frac{5}{6}",
    replace: "\\frac{2}{6} = \\frac{4}{6}",
    step: "\\frac{1}{2} + \\frac{1}{3} = \\frac{3}{6} + \\frac{2}{6} = \\frac{4}{6}",
    reason: /\$\\frac\{3\}\{6\} \+ \\frac\{2\}\{6\} = \\frac\{4\}\{6\}\$ is false: \$\\frac\{3\}\{6\} \+ \\frac\{2\}\{6\} = \\frac\{5\}\{6\}\$/,
  },
  {
    name: "a linear equation in align rows",
    kind: "sign error",
    problem: "Solve $5x - 7 = 2x + 8$.",
    solution: String.raw`Collect the terms in $x$ on the left:
\begin{align*}
5x - 7 &= 2x + 8 \\
3x - 7 &= 8 \\
3x &= 15 \\
x &= 5.
\end{align*}
So $x = \boxed{5}$.`,
    find: "3x &= 15 \\\\\nx &= 5.",
    replace: "3x &= 1 \\\\\nx &= \\frac{1}{3}.",
    step: "3x &= 1",
    reason: /from \$3x - 7 = 8\$ this step gets \$3x = 1\$, but adding \$7\$ to both sides gives \$3x = 15\$/,
  },
  {
    name: "distributing a product",
    kind: "dropped factor",
    problem: "Solve $4(x - 3) = 2x + 6$.",
    solution: "Expanding the left side, \\[4(x - 3) = 2x + 6\\] becomes \\[4x - 12 = 2x + 6,\\] so \\[2x = 18\\] and \\(x = 9\\). The answer is \\(\\boxed{9}\\).",
    find: "4x - 12 = 2x + 6,\\] so \\[2x = 18\\] and \\(x = 9\\)",
    replace: "4x - 3 = 2x + 6,\\] so \\[2x = 9\\] and \\(x = 4.5\\)",
    step: "4x - 3 = 2x + 6",
    reason: /\$4\(x - 3\)\$ is \$4x - 12\$, not \$4x - 3\$/,
  },
  {
    name: "expanding a square",
    kind: "wrong simplification",
    problem: "Expand $(2x + 3)^2$.",
    solution: "$(2x + 3)^2 = (2x + 3)(2x + 3) = 4x^2 + 6x + 6x + 9 = 4x^2 + 12x + 9$",
    find: "= 4x^2 + 6x + 6x + 9 = 4x^2 + 12x + 9",
    replace: "= 4x^2 + 9",
    step: "(2x + 3)^2 = (2x + 3)(2x + 3) = 4x^2 + 9",
    reason: /\$\(2x \+ 3\)\(2x \+ 3\) = 4x\^2 \+ 9\$ is not true for every \$x\$: \$\(2x \+ 3\)\(2x \+ 3\)\$ is \$4x\^2 \+ 12x \+ 9\$/,
  },
  {
    name: "factoring a quadratic",
    kind: "wrong simplification",
    problem: "Solve $x^2 + 6x + 5 = 0$.",
    solution: "Factoring, $x^2 + 6x + 5 = 0$ becomes $(x + 1)(x + 5) = 0$, so $x = -1$ or $x = -5$.",
    find: "$(x + 1)(x + 5) = 0$, so $x = -1$ or $x = -5$",
    replace: "$(x + 2)(x + 3) = 0$, so $x = -2$ or $x = -3$",
    step: "(x + 2)(x + 3) = 0",
    reason: /\$\(x \+ 2\)\(x \+ 3\)\$ is \$x\^2 \+ 5x \+ 6\$, not \$x\^2 \+ 6x \+ 5\$/,
  },
  {
    name: "a fraction equation",
    kind: "sign error",
    problem: "Solve $\\frac{x}{3} - 4 = 2$.",
    solution: "Add 4 to both sides: $\\frac{x}{3} - 4 = 2$ gives $\\frac{x}{3} = 6$. Multiply by 3: $x = 18$.",
    find: "$\\frac{x}{3} = 6$. Multiply by 3: $x = 18$",
    replace: "$\\frac{x}{3} = -2$. Multiply by 3: $x = -6$",
    step: "\\frac{x}{3} = -2",
    reason: /adding \$4\$ to both sides gives \$\\frac\{x\}\{3\} = 6\$/,
  },
  {
    name: "percent of a price",
    kind: "arithmetic slip",
    problem: "A $\\$80$ jacket is 15% off. What is the sale price?",
    solution: "The discount is $15\\% \\times 80 = 12$ dollars, so the sale price is $80 - 12 = 68$ dollars. The answer is $\\boxed{68}$.",
    find: "$15\\% \\times 80 = 12$ dollars, so the sale price is $80 - 12 = 68$",
    replace: "$15\\% \\times 80 = 10$ dollars, so the sale price is $80 - 10 = 70$",
    step: "15\\% \\times 80 = 10",
    reason: /\$15\\% \\times 80 = 10\$ is false: \$15\\% \\times 80 = 12\$/,
  },
  {
    name: "a rectangle with units",
    kind: "arithmetic slip",
    problem: "Find the area of a 7 cm by 6 cm rectangle.",
    solution: "The area is $A = 7 \\text{ cm} \\times 6 \\text{ cm} = 42 \\text{ cm}^2$.",
    find: "= 42 \\text{ cm}^2",
    replace: "= 48 \\text{ cm}^2",
    step: "A = 7 \\text{ cm} \\times 6 \\text{ cm} = 48 \\text{ cm}^2",
    reason: /is false: \$7 \\text\{ cm\} \\times 6 \\text\{ cm\} = 42\$/,
  },
  {
    name: "plain lines",
    kind: "sign error",
    problem: "Solve 7 - 2x = 1.",
    solution: "7 - 2x = 1\n-2x = 1 - 7\n-2x = -6\nx = 3",
    find: "-2x = 1 - 7\n-2x = -6\nx = 3",
    replace: "-2x = 1 + 7\n-2x = 8\nx = -4",
    step: "-2x = 1 + 7",
    reason: /subtracting \$7\$ from both sides gives \$-2x = -6\$/,
  },
  {
    name: "an inequality",
    kind: "sign error",
    problem: "Solve $3 - 2x > 9$.",
    solution: "Subtracting 3, $3 - 2x > 9$ gives $-2x > 6$, and dividing by $-2$ reverses the sign: $x < -3$.",
    find: "$x < -3$",
    replace: "$x > -3$",
    step: "x > -3",
    reason: /\$-2x > 6\$ holds exactly when \$x < -3\$: multiplying or dividing by a negative number reverses the inequality/,
  },
  {
    name: "the quadratic formula",
    kind: "arithmetic slip",
    problem: "Solve $x^2 - 5x + 6 = 0$.",
    solution: "By the quadratic formula, $x = \\frac{5 \\pm \\sqrt{25 - 24}}{2} = \\frac{5 \\pm 1}{2}$, so $x = 3$ or $x = 2$.",
    find: "\\sqrt{25 - 24}",
    replace: "\\sqrt{25 - 21}",
    step: "x = \\frac{5 \\pm \\sqrt{25 - 21}}{2} = \\frac{5 \\pm 1}{2}",
    reason: /is false: the left side is \$\\frac\{7\}\{2\}, \\frac\{3\}\{2\}\$ and the right side is \$3, 2\$/,
  },
  {
    name: "a radical",
    kind: "wrong simplification",
    problem: "Find the hypotenuse of a right triangle with legs 4 and 8.",
    solution: "By Pythagoras, $c = \\sqrt{4^2 + 8^2} = \\sqrt{80} = 4\\sqrt{5}$.",
    find: "= 4\\sqrt{5}",
    replace: "= 8\\sqrt{5}",
    step: "c = \\sqrt{4^2 + 8^2} = \\sqrt{80} = 8\\sqrt{5}",
    reason: /\$\\sqrt\{80\} = 8\\sqrt\{5\}\$ is false: \$\\sqrt\{80\} \\approx 8\.94427\$ and \$8\\sqrt\{5\} \\approx 17\.8885\$/,
  },
  {
    name: "exponent rules",
    kind: "wrong simplification",
    problem: "Simplify $2^3 \\cdot 2^4$.",
    solution: "Adding exponents, $2^3 \\cdot 2^4 = 2^{3+4} = 2^7 = 128$.",
    find: "2^{3+4} = 2^7 = 128",
    replace: "2^{3 \\cdot 4} = 2^{12} = 4096",
    step: "2^3 \\cdot 2^4 = 2^{3 \\cdot 4} = 2^{12} = 4096",
    reason: /\$2\^3 \\cdot 2\^4 = 2\^\{3 \\cdot 4\}\$ is false: \$2\^3 \\cdot 2\^4 = 128\$ and \$2\^\{3 \\cdot 4\} = 4096\$/,
  },
  {
    name: "a word problem with a substituted value",
    kind: "arithmetic slip",
    problem: "Tickets cost $\\$12$ for adults and $\\$7$ for children. What do 3 adults and 4 children pay?",
    solution: "The adults pay $3 \\times 12 = 36$ dollars and the children $4 \\times 7 = 28$ dollars, so together $36 + 28 = 64$ dollars.",
    find: "$36 + 28 = 64$",
    replace: "$36 + 28 = 54$",
    step: "36 + 28 = 54",
    reason: /\$36 \+ 28 = 54\$ is false: \$36 \+ 28 = 64\$/,
  },
  {
    name: "completing the square",
    kind: "dropped factor",
    problem: "Solve $x^2 + 6x = 7$.",
    solution: "Add 9 to both sides: $x^2 + 6x + 9 = 16$, that is $(x + 3)^2 = 16$. So $x + 3 = \\pm 4$ and $x = 1$ or $x = -7$.",
    find: "$(x + 3)^2 = 16$",
    replace: "$(x + 3)^2 = 7$",
    step: "(x + 3)^2 = 7",
    reason: /from \$x\^2 \+ 6x \+ 9 = 16\$ this step gets \$\(x \+ 3\)\^2 = 7\$/,
  },
];

describe("worked solutions: correct ones are not flagged", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const r = checkSolution({ problem: c.problem, solution: c.solution });
      assert.deepEqual(
        r.steps.filter((s) => s.verdict === "error"),
        [],
        `flagged:\n${c.solution}`,
      );
      assert.ok(r.steps.some((s) => s.verdict === "ok"), `nothing was checked:\n${JSON.stringify(r.steps, null, 1)}`);
    });
  }
});

describe("worked solutions: the planted error is the first error, at its span", () => {
  for (const c of CASES) {
    it(`${c.name} (${c.kind})`, () => {
      assert.ok(c.solution.includes(c.find), "the planted text is in the solution");
      const planted = c.solution.replace(c.find, c.replace);
      const r = checkSolution({ problem: c.problem, solution: planted });
      assert.notEqual(r.firstError, null, `missed:\n${planted}\n${JSON.stringify(r.steps, null, 1)}`);
      const step = r.steps[r.firstError!]!;
      assert.equal(step.text, c.step);
      assert.equal(planted.slice(step.start, step.end), c.step);
      assert.match(step.reason, c.reason);
    });
  }
});
