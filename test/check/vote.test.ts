/** The reference-free final check by a model's vote: used only when nothing exact can judge the answer, and labelled as a vote. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkSolution, finalByModelVote } from "../../src/check/index.js";
import { createScriptedEngine } from "../../src/engine/scripted.js";

const input = { problem: "How many positive divisors does 12 have?", solution: "The divisors are 1, 2, 3, 4, 6, 12, so there are $\\boxed{6}$." };

describe("finalByModelVote", () => {
  it("compares the final answer with the majority answer of N samples, and says it is a vote", async () => {
    // samples 0, 2 and 3 answer 6, sample 1 answers 5
    const engine = createScriptedEngine({ scripts: ["So \\boxed{6}.", "So \\boxed{5}.", "It is \\boxed{6}.", "\\boxed{6}"] });
    const r = await finalByModelVote(engine, input, checkSolution(input), { n: 4 });
    assert.deepEqual(r.finalAnswer, {
      answer: "6",
      verdict: "correct",
      method: "model-vote",
      reason: "the model's majority answer: 3 of 4 samples of scripted agree on $6$ (a vote, not an exact check)",
    });
    const wrong = { ...input, solution: "There are $\\boxed{5}$." };
    const w = await finalByModelVote(engine, wrong, checkSolution(wrong), { n: 4 });
    assert.equal(w.finalAnswer.verdict, "incorrect");
    assert.match(w.finalAnswer.reason, /differs: 3 of 4 samples of scripted agree on \$6\$/);
  });

  it("leaves an answer judged exactly (a reference, or substitution) alone, without using the engine", async () => {
    let calls = 0;
    const engine = createScriptedEngine({
      scripts: () => {
        calls++;
        return "\\boxed{1}";
      },
    });
    const withReference = { ...input, reference: "6" };
    const r = await finalByModelVote(engine, withReference, checkSolution(withReference), { n: 4 });
    assert.equal(r.finalAnswer.method, "reference");
    const equation = { problem: "Solve $2x + 3 = 7$.", solution: "$x = \\boxed{2}$" };
    const e = await finalByModelVote(engine, equation, checkSolution(equation), { n: 4 });
    assert.equal(e.finalAnswer.method, "substitution");
    assert.equal(calls, 0);
  });
});
