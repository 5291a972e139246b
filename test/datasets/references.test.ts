import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { QmathError } from "../../src/errors.js";
import { equivalent, extractAnswer } from "../../src/answers/index.js";
import { answerStyleOf, DATASETS, referenceAnswer, workedSolution } from "../../src/datasets/index.js";
import { fixtureDataDir, FIXTURE_SETS } from "./fixtures.js";

const rows = (name: string): Record<string, unknown>[] =>
  readFileSync(join(fixtureDataDir, DATASETS.find((d) => d.name === name)!.file), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);

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
    assert.equal(workedSolution("unknown_set", { solution: "x" }), null);
  });
  it("answerStyleOf: each set's style; the harness's other multiple-choice names; math otherwise", () => {
    assert.equal(answerStyleOf("gsm8k"), "gsm8k");
    for (const name of ["aqua", "mmlu_stem", "sat_math", "gaokao_math_qa", "mmlu_physics", "gaokao2023"]) assert.equal(answerStyleOf(name), "choice", name);
    for (const name of ["math500", "svamp", "addsub", "mine", undefined]) assert.equal(answerStyleOf(name), "math", String(name));
  });
});

/** Sets whose worked solutions mark their final answer (olympiadbench's proofs and carp_en's steps do not). */
const MARKED_SOLUTIONS = new Set(["gsm8k", "math500", "minerva_math", "aime24", "aqua"]);

describe("references and worked solutions on every fixture set", () => {
  for (const name of FIXTURE_SETS) {
    it(`${name}: every row has a reference, and a worked solution that marks its answer agrees with it`, () => {
      for (const [i, row] of rows(name).entries()) {
        const reference = referenceAnswer(name, row);
        if (!(name === "gaokao2023en" && i === 1)) assert.ok(reference.trim().length > 0, `${name} row ${i}`);
        const solution = workedSolution(name, row);
        if (solution === null || !MARKED_SOLUTIONS.has(name)) continue;
        const extracted = extractAnswer(solution, { answerStyle: answerStyleOf(name) });
        assert.ok(extracted !== null && equivalent(extracted, reference).equivalent, `${name} row ${i}: ${extracted} vs ${reference}`);
      }
    });
  }
});

