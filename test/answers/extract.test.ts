import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ANSWER_STYLES, choiceFromResponse, extractAnswer, lastBoxed, lastNumber, MAX_RESPONSE_CHARS, type AnswerStyle } from "../../src/answers/index.js";
import { answerChoice } from "../../src/answers/choice.js";
import { answerStyleOf } from "../../src/datasets/registry.js";
import { backtrackingChoices, slowExtractions } from "./slow-inputs.js";

describe("lastBoxed", () => {
  it("takes the last box with balanced, nested braces", () => {
    assert.equal(lastBoxed("first \\boxed{1} then \\boxed{\\frac{1}{2}}"), "\\frac{1}{2}");
    assert.equal(lastBoxed("\\boxed{\\left\\{ 1, 2 \\right\\}}"), "\\left\\{ 1, 2 \\right\\}");
    assert.equal(lastBoxed("$\\fbox{7}$"), "7");
    assert.equal(lastBoxed("or $\\framebox{204}$ minutes"), "204");
  });
  it("returns null without a box or with an unclosed one", () => {
    assert.equal(lastBoxed("no box here"), null);
    assert.equal(lastBoxed("\\boxed{\\frac{1}{2}"), null);
  });
  it("reads a box without braces up to the next dollar", () => {
    assert.equal(lastBoxed("so $\\boxed 5$."), "5");
  });
});

describe("extractAnswer: order of rules", () => {
  const cases: [string, string, string | null, string?][] = [
    ["boxed wins over an answer phrase", "The answer is 3. Actually \\boxed{4}.", "4"],
    ["the last of several boxes", "\\boxed{1} ... so \\boxed{2}", "2"],
    ["adjacent boxes form a list", "The solutions are $\\boxed{2}$ and $\\boxed{3}$.", "2, 3"],
    ["Minerva form", "Final Answer: The final answer is $\\frac{3}{4}$. I hope it is correct.", "\\frac{3}{4}"],
    ["the answer is, with math", "Thus the answer is $x = 12$ because of that.", "x = 12"],
    ["the answer is, plain sentence", "So the answer is 3.5 kg. Done", "3.5 kg"],
    ["final answer is", "My final answer is 17", "17"],
    ["Chinese answer phrase", "所以答案是 12。", "12"],
    ["GSM8K marker", "She has 5 + 3 = 8 apples.\n#### 8", "8"],
    ["last number", "First 3 then 4, finally we get 1,234 apples", "1234"],
    ["last number, negative decimal", "the value drops to -2.5", "-2.5"],
    ["nothing to extract", "I do not know.", null],
    ["strips dollars, units and the trailing period", "\\boxed{\\$18.00}", "18.00"],
    ["strips trailing text units", "\\boxed{5\\text{ cm}}", "5"],
    ["strips \\left and \\right", "\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}", "( 3, \\frac{\\pi}{2} )"],
    ["removes step tags", "\\boxed{7} ки", "7"],
    ["multiple choice: boxed letter", "so \\boxed{\\text{(C)}}", "C", "choice"],
    ["multiple choice: answer is (B)", "Therefore, the answer is (B).", "B", "choice"],
    ["multiple choice: Answer: Option C", "blah 4 and 5\nAnswer: Option C", "C", "choice"],
    ["multiple choice: a letter line", "work work 12\nD", "D", "choice"],
    ["GSM8K reasoning: the stated result, not a later number", "9 + 6 = <<9+6=15>>15 liters of water out of the 24 liters.", "15", "gsm8k"],
    ["GSM8K reasoning: a closing sentence", "90 * 20 = <<90*20=1800>>1800 minutes\nIt would take 15 hours to clean 45 rooms.", "15", "gsm8k"],
    ["GSM8K reasoning: a stated rounding", "32 / 96 * 100% = 33.333...%, which rounds down to 33%", "33", "gsm8k"],
    ["GSM8K reasoning: the main clause after a leading 'since'", "2.2 - .44 = <<2.2-.44=1.76>>1.76 inches.\nSince 1.76 is less than 2 inches, he will recycle it in 3 days.", "3", "gsm8k"],
    ["GSM8K reasoning: a 'since' line with its own result", "Since he has 5 apples, 5 * 2 = <<5*2=10>>10 apples", "10", "gsm8k"],
  ];
  for (const [name, response, want, style] of cases) {
    it(name, () => {
      assert.equal(extractAnswer(response, style ? { answerStyle: style as AnswerStyle } : {}), want);
    });
  }
  it("reads a choice letter only for the choice style, and GSM8K results only for the gsm8k style (or <<...>> text)", () => {
    assert.equal(extractAnswer("Therefore, the answer is (B).", { answerStyle: "math" }), "(B)");
    assert.equal(extractAnswer("work work 12\nD"), "12");
    assert.equal(extractAnswer("It would take 15 hours, so 45 rooms.", { answerStyle: "gsm8k" }), "15");
    assert.equal(extractAnswer("It would take 15 hours, so 45 rooms."), "45");
  });
  it("is total on odd input", () => {
    assert.equal(extractAnswer(""), null);
    assert.equal(extractAnswer(undefined as unknown as string), null);
    assert.equal(extractAnswer("\\boxed{"), null);
  });
});

describe("helpers", () => {
  it("lastNumber handles thousands separators", () => {
    assert.equal(lastNumber("paid $400 000 - $282 000 = $118 000."), "118000");
    assert.equal(lastNumber("1,000 and 2,500.5"), "2500.5");
    assert.equal(lastNumber("none"), null);
  });
  it("choiceFromResponse reads the usual phrasings", () => {
    assert.equal(choiceFromResponse("ANSWER:D"), "D");
    assert.equal(choiceFromResponse("The correct option is C."), "C");
    assert.equal(choiceFromResponse("Hence (A) is correct answer."), "A");
    assert.equal(choiceFromResponse("we get 42"), null);
  });
});

describe("extraction is bounded by its input", () => {
  const ms = (f: () => unknown): number => {
    const started = performance.now();
    f();
    return performance.now() - started;
  };

  // Before: 1 MB of unclosed "\boxed[" took 22 s (each scanned to the end of the text).
  for (const { name, response } of slowExtractions(1_000_000)) {
    it(`1 MB of ${name} is read in well under a second`, () => {
      for (const style of ANSWER_STYLES) {
        const took = ms(() => extractAnswer(response, { answerStyle: style }));
        assert.ok(took < 1500, `${style}: ${took.toFixed(0)} ms`);
      }
    });
  }

  // Before: three or four adjacent \s* around optional words; 400 spaces took 1 to 8 s, each 100 more about three times as long.
  for (const { name, response, dataset } of backtrackingChoices(400)) {
    it(`a multiple-choice response of ${name} does not backtrack`, () => {
      const took = ms(() => extractAnswer(response, { answerStyle: answerStyleOf(dataset) }));
      assert.ok(took < 200, `${took.toFixed(0)} ms`);
    });
  }
  it("a choice named after thousands of spaces does not backtrack, and the phrasings still read", () => {
    const took = ms(() => answerChoice(`option${" ".repeat(3000)}z`)); // before: 5 s
    assert.ok(took < 200, `${took.toFixed(0)} ms`);
    assert.equal(answerChoice("option   C"), "C");
    assert.equal(answerChoice("Answer: (d)"), "D");
    assert.equal(answerChoice("( B ) 25"), "B");
    assert.equal(choiceFromResponse("The answer is: option   (E)"), "E");
    assert.equal(choiceFromResponse("choice = B"), "B");
  });

  it(`reads only the last ${MAX_RESPONSE_CHARS.toLocaleString("en-US")} characters of a longer response`, () => {
    const filler = "Step. ".repeat(Math.ceil(MAX_RESPONSE_CHARS / 6));
    assert.equal(extractAnswer(`\\boxed{1} ${filler} so \\boxed{7}`), "7");
    // the box lies before the part that is read: the last number of the tail is all there is
    assert.equal(extractAnswer(`\\boxed{1} ${filler}`), null);
    assert.equal(extractAnswer(`\\boxed{1} ${filler} 42`), "42");
    const { response } = slowExtractions(3 * MAX_RESPONSE_CHARS)[0]!;
    const took = ms(() => extractAnswer(response));
    assert.ok(took < 1500, `3 MB: ${took.toFixed(0)} ms`);
  });

  it("a run of adjacent boxes still reads as a list", () => {
    assert.equal(extractAnswer("$\\boxed{1}$, $\\boxed{2}$ and $\\boxed{3}$"), "1, 2, 3");
    assert.equal(extractAnswer("\\framebox[2cm]{5}"), "5");
  });
});
