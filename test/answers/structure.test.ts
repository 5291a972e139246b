/**
 * Issue 13, structure of answers: labelled answers, solution sets, inequalities and
 * intervals, and predictions still in their box. Each row is [prediction, reference,
 * expected] and is checked in both directions.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { equivalent } from "../../src/answers/index.js";

type Row = [string, string, boolean];

function check(rows: Row[]): void {
  for (const [pred, gold, want] of rows) {
    const ab = equivalent(pred, gold);
    const ba = equivalent(gold, pred);
    assert.equal(ab.equivalent, want, `equivalent(${JSON.stringify(pred)}, ${JSON.stringify(gold)}) = ${JSON.stringify(ab)}, expected ${want}`);
    assert.equal(ba.equivalent, want, `equivalent(${JSON.stringify(gold)}, ${JSON.stringify(pred)}) = ${JSON.stringify(ba)}, expected ${want}`);
  }
}

const categories: Record<string, Row[]> = {
  "labelled answers: a left side that only names the value": [
    ["(m, n) = (4, 7)", "(4,7)", true],
    ["(m, n) = (4, 7)", "(7,4)", false],
    ["(a,b,c)=(1,-2,3)", "(1, -2, 3)", true],
    ["|PQ| = 13", "13", true],
    ["|PQ| = 12", "13", false],
    ["CD = \\sqrt{5}", "\\sqrt5", true],
    ["[ABC] = 24", "24", true],
    ["x:y = 3:4", "\\frac34", true],
    ["x:y = 3:4", "\\frac43", false],
    ["BD:DC = 5:2", "5:2", true],
    ["p + q = 17", "17", true],
    ["p + q = 18", "17", false],
    ["g(t) = t^2 - 1", "t^2-1", true],
    ["g(t) = t^2 + 1", "t^2-1", false],
    ["y_1 = -4, y_2 = 6", "-4, 6", true],
    ["y_1 = -4, y_2 = 5", "-4, 6", false],
    // a left side that computes is an equation, not a label
    ["2x = 10", "10", false],
    ["x^2 = 9", "9", false],
    // two labels must name the same thing
    ["m = 4", "n = 4", false],
  ],
  "solution sets: \\pm items, repeated tuples": [
    ["-2, 1 \\pm \\sqrt{3}", "1+\\sqrt3, 1-\\sqrt3, -2", true],
    ["3 \\pm 2i, 0", "0, 3+2i, 3-2i", true],
    ["-2, 1 \\pm \\sqrt{3}", "1+\\sqrt3, -2", false],
    ["-2, 1 \\pm \\sqrt{3}", "1+\\sqrt3, 1-\\sqrt3, 2", false],
    ["x = 5 \\pm \\sqrt 2, x = 0", "0, 5-\\sqrt2, 5+\\sqrt2", true],
    ["\\{2 \\pm \\sqrt 7\\}", "\\{2-\\sqrt 7, 2+\\sqrt 7\\}", true],
    ["\\{(0,1),(0,1),(2,5)\\}", "\\{(2,5),(0,1)\\}", true],
    ["(0,1),(2,5),(0,1)", "(2,5),(0,1)", true],
    ["\\{(0,1),(0,1),(2,5)\\}", "\\{(2,5),(0,2)\\}", false],
    ["\\{4, 4, 9\\}", "\\{9, 4\\}", true],
    ["\\{4, 9\\}", "\\{4, 9, 16\\}", false],
    // a bare list of numbers keeps its multiplicity (sides, a double root) and its items
    ["5, 5, 8", "5, 8", false],
    ["5, 5, 8", "8, 5, 5", true],
  ],
  "inequalities, intervals, set-builder sets": [
    ["t \\in [-3, 4]", "[-3,4]", true],
    ["-3 \\le t \\le 4", "[-3,4]", true],
    ["-3 \\le t \\le 4", "t \\in [-3, 4]", true],
    ["4 \\geq t \\geq -3", "t \\in [-3,4]", true],
    ["\\{t : -3 \\le t \\le 4\\}", "[-3,4]", true],
    ["\\{t \\mid -3 \\le t \\le 4\\}", "-3 \\le t \\le 4", true],
    ["\\left\\{ t \\in \\mathbb{R} \\mid -3 < t \\le 4 \\right\\}", "(-3,4]", true],
    ["-3 < t \\le 4", "[-3,4]", false],
    ["-3 \\le t \\le 4", "t \\in [-3, 5]", false],
    ["\\{t : -3 \\le t < 4\\}", "[-3,4]", false],
    ["y < -1 \\text{ or } y > 2", "(-\\infty,-1)\\cup(2,\\infty)", true],
    ["y > 2 \\text{ or } y < -1", "(-\\infty,-1)\\cup(2,\\infty)", true],
    ["y \\le -1 \\text{ or } y > 2", "(-\\infty,-1]\\cup(2,\\infty)", true],
    ["y < -1 \\text{ or } y > 2", "(-\\infty,-1]\\cup(2,\\infty)", false],
    ["y < -1 \\text{ or } y > 3", "(-\\infty,-1)\\cup(2,\\infty)", false],
    ["y \\neq 2", "(-\\infty,2)\\cup(2,\\infty)", true],
    ["y \\neq 3", "(-\\infty,2)\\cup(2,\\infty)", false],
    ["x \\ge 5", "[5, \\infty)", true],
    ["x > 5", "[5, \\infty)", false],
    ["x \\ge 5", "5", false],
    // two conditions that overlap are not read as a union
    ["y > -1, y < 2", "(-\\infty,-1)\\cup(2,\\infty)", false],
    // different variables are different answers
    ["a \\in [1, 2]", "1 \\le b \\le 2", false],
  ],
  "a prediction still in its box": [
    ["\\boxed{7}", "7", true],
    ["$\\boxed{\\frac{3}{4}}$", "0.75", true],
    ["\\fbox{x^2}", "x^2", true],
    ["\\(\\boxed{12}\\)", "12", true],
    ["x = \\boxed{3}", "3", true],
    ["\\boxed{8}", "7", false],
    ["\\boxed{\\boxed{9}}", "9", true],
  ],
};

describe("structured answers (issue 13)", () => {
  for (const [name, rows] of Object.entries(categories)) it(name, () => check(rows));
  it("an unclosed box is not read as its content", () => {
    assert.equal(equivalent("\\boxed{5", "5").equivalent, false);
  });
});
