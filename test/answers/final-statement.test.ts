/**
 * Issue 13, extraction: the answer a response states without a box, a later explicit
 * statement against an earlier box, and several boxes as one multi-part answer.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extractAnswer } from "../../src/answers/index.js";
import { resultOf } from "../../src/answers/final-statement.js";

const cases: [string, string, string | null][] = [
  // no box: the last sentence that states the answer
  ["a final sentence naming the answer", "We check all cases.\n\nFinal Answer: The smallest $k$ is $12$.", "12"],
  ["the answer is an inequality", "Putting it together, the answer is $t < -4$.", "t < -4"],
  ["an inequality in a closing sentence, not its last number", "Both factors are positive, so $y \\geq 7$.", "y \\geq 7"],
  ["a matrix, not its last entry", "Hence $\\mathbf{M} = \\begin{pmatrix} 2 & 0 \\\\ 1 & 5 \\end{pmatrix}$.", "\\begin{pmatrix} 2 & 0 \\\\ 1 & 5 \\end{pmatrix}"],
  ["a fraction, not its denominator", "So the probability is $\\frac{5}{18}$.", "\\frac{5}{18}"],
  ["a calculation: its final value", "Therefore the total is $3 \\cdot 14 + 2 = 44$.", "44"],
  ["a chain ending in a constant behind a name", "Adding, $p + q = 40 + 7 = 47$.", "47"],
  ["the last line of an aligned derivation", "Thus\n$$\\begin{aligned} 2x &= 14 \\\\ x &= 7 \\end{aligned}$$", "7"],
  ["a negative value keeps its sign", "Therefore $m = - 6$.", "- 6"],
  ["an equation stays whole when it has no constant value", "The circle is $x^2 + (y-1)^2 = r^2$.", "x^2 + (y-1)^2 = r^2"],
  ["a number in prose after the math is the answer", "We find $x = 3$, so there are 21 ways.", "21"],
  ["math without a value falls back to the last number", "We had 12 cases, so the point is $B$.", "12"],
  // an exclamation in prose is not a factorial; in math it is
  ["an exclamation after the answer in prose", "So the answer is 42!", "42"],
  ["an exclamation before more prose", "The answer is 42! Great work.", "42"],
  ["a factorial in math stays", "So the answer is $5!$.", "5!"],
  // an explicit final statement after the last box
  ["a later final answer overrides an earlier box", "First guess: \\boxed{9}. Checking again, that was wrong.\n\nThe final answer is $11$.", "11"],
  ["a later plain number statement", "So \\boxed{4}. Hmm, recount: the answer is 6.", "6"],
  ["words after the box that are not an answer do not override it", "\\boxed{4}\n\nI hope the answer is correct.", "4"],
  ["a sentence after the box that is not a value does not override it", "\\boxed{4}. The answer is consistent with the first method.", "4"],
  // several boxes
  ["labelled boxes joined by 'and'", "So $m = \\boxed{5}$ and $n = \\boxed{-2}$.", "5, -2"],
  ["boxes joined by commas and 'respectively'", "The values are \\boxed{1}, \\boxed{4}, \\boxed{9}, respectively.", "1, 4, 9"],
  ["boxes in separate display lines", "\\[\\boxed{a = 2}\\]\n\\[\\boxed{b = 3}\\]", "a = 2, b = 3"],
  ["reasoning between boxes: the last box", "We get \\boxed{3} for the first part. For the second part, we integrate by parts and get \\boxed{7}", "7"],
  ["an elision between boxes is reasoning", "\\boxed{3} ... \\boxed{7}", "7"],
  ["a correction is not a list", "first \\boxed{3}, then \\boxed{7}", "7"],
  ["the same answer boxed twice is one answer", "\\boxed{6}, so \\boxed{6}", "6"],
];

describe("extraction without a box, and with several (issue 13)", () => {
  for (const [name, response, want] of cases) {
    it(name, () => assert.equal(extractAnswer(response), want));
  }
  it("leaves the gsm8k and choice styles to their own rules", () => {
    assert.equal(extractAnswer("So he pays $5 + 7 = 12$ dollars in total for 3 days.", { answerStyle: "gsm8k" }), "12");
    assert.equal(extractAnswer("Therefore $x \\ge 5$.", { answerStyle: "choice" }), "5");
    assert.equal(extractAnswer("So he pays $5 + 7 = 12$ dollars in total for 3 days."), "3");
  });
  it("resultOf keeps inequalities and matrices whole and reads calculations", () => {
    assert.equal(resultOf("x \\le 2 + 3"), "x \\le 2 + 3");
    assert.equal(resultOf("\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}"), "\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}");
    assert.equal(resultOf("T=650, k=13"), "13");
    assert.equal(resultOf("(1, 2), (3, 4)"), "(1, 2), (3, 4)");
    assert.equal(resultOf("B"), "");
  });
});

describe("prices are not math segments", () => {
  it("reads the last number when dollar signs mark prices", () => {
    assert.equal(extractAnswer("A pen costs $5 and a pad costs $7 so together they cost 12"), "12");
    assert.equal(extractAnswer("The pen costs $5 and the pad costs $7."), "7");
  });
});

describe("what after the last box is not a final statement", () => {
  it("a check of the answer after the box leaves the box", () => {
    assert.equal(extractAnswer("So $n \\equiv \\boxed{44} \\pmod{83}$.\n\nWe may check our answer: $17 \\cdot 44 = 748 \\equiv 1$, so it is right."), "44");
    assert.equal(extractAnswer("\\boxed{44}. The answer is 44 because 17 times 44 is 748."), "44");
  });
});
