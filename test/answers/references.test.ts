import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { QmathError } from "../../src/errors.js";
import { equivalent, referenceAnswer, workedSolution } from "../../src/answers/index.js";
import { ALL_SETS, loadRows } from "./datasets.js";

describe("referenceAnswer: each set's own fields", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["math500", { problem: "p", solution: "so \\boxed{5}", answer: "\\frac{1}{2}" }, "\\frac{1}{2}"],
    ["minerva_math", { problem: "p", solution: "s=\\boxed{1.6} \\mathrm{~cm}" }, "1.6"],
    ["gsm8k", { question: "q", answer: "He has 1,000 + 600 = <<1000+600=1600>>1,600\n#### 1,600" }, "1600"],
    ["svamp", { Answer: 145.0, Equation: "( 290.0 / 2.0 )" }, "145"],
    ["asdiv", { answer: "9 (apples)", formula: "7+2=9" }, "9"],
    ["mawps", { input: "q", target: 43.0 }, "43"],
    ["amc23", { answer: 27.0 }, "27"],
    ["mmlu_stem", { question: "q", choices: ["a", "b", "c", "d"], answer: 2 }, "C"],
    ["sat_math", { Answer: "A" }, "A"],
    ["aqua", { correct: "E" }, "E"],
    ["gaokao_math_qa", { label: "D", answer: null }, "D"],
    ["gaokao2024_mix", { answer: "5", choice_answer: "B" }, "B"],
    ["cn_middle_school", { answer: "1:9", choice_answer: "" }, "1:9"],
    ["gaokao_math_cloze", { answer: "$5$;$10$" }, "5;10"],
    ["olympiadbench", { final_answer: ["$69$,$84$"] }, "69$,$84"],
    ["carp_en", { answer: "b ^ { 2 } - 9 a ^ { 2 }" }, "b ^ { 2 } - 9 a ^ { 2 }"],
  ];
  for (const [name, row, want] of cases) {
    it(name, () => assert.equal(referenceAnswer(name, row), want));
  }
  it("olympiadbench's multi-value answers grade as a list", () => {
    assert.equal(equivalent("84, 69", referenceAnswer("olympiadbench", { final_answer: ["$69$,$84$"] })).equivalent, true);
  });
  it("a row without the field is a user error", () => {
    assert.throws(() => referenceAnswer("gsm8k", { question: "q" }), (e: unknown) => e instanceof QmathError && e.code === "bad_input");
    assert.throws(() => referenceAnswer("gsm8k", { answer: "no marker" }), QmathError);
    assert.throws(() => referenceAnswer("unknown_set", { foo: 1 }), QmathError);
  });
  it("an unknown set with an answer field still works", () => {
    assert.equal(referenceAnswer("my_set", { answer: "7" }), "7");
  });
  it("workedSolution: GSM8K reasoning stops before the marker", () => {
    assert.equal(workedSolution("gsm8k", { answer: "2 + 2 = 4\n#### 4" }), "2 + 2 = 4\n");
    assert.equal(workedSolution("svamp", { Answer: 1 }), null);
  });
});

/** Rows whose reference field is empty in the data itself (gaokao2023en 167 and 192 put the answer inside the question text). */
const KNOWN_EMPTY: Record<string, number[]> = { gaokao2023en: [167, 192] };

describe("referenceAnswer on the shared sets", () => {
  for (const name of ALL_SETS) {
    it(`${name}: every row has a non-empty reference`, () => {
      const rows = loadRows(name);
      assert.ok(rows.length > 0);
      const empty: number[] = [];
      for (const [i, row] of rows.entries()) {
        const ref = referenceAnswer(name, row);
        assert.equal(typeof ref, "string");
        if (ref.trim().length === 0) empty.push(i);
      }
      assert.deepEqual(empty, KNOWN_EMPTY[name] ?? [], `${name}: rows with an empty reference`);
    });
  }
});
