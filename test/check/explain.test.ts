/** --explain in the library: the model gets the checker's finding and its text comes back labelled as the model's. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkSolution, explainFirstError, explanationPrompt } from "../../src/check/index.js";
import { createScriptedEngine } from "../../src/engine/scripted.js";
import { promptText } from "../../src/engine/types.js";

const input = { problem: "Solve $2x + 3 = 7$.", solution: "$2x + 3 = 7$, so $2x = 10$ and $x = 5$." };

describe("explainFirstError", () => {
  it("asks about the flagged step with the checker's reason, and labels the reply as the model's", async () => {
    const prompts: string[] = [];
    const engine = createScriptedEngine({
      scripts: (prompt) => {
        prompts.push(promptText(prompt));
        return "You added 3 instead of subtracting it.";
      },
    });
    const result = checkSolution(input);
    const e = await explainFirstError(engine, input, result);
    assert.deepEqual(e, { by: "model", model: engine.info.model, step: 1, text: "You added 3 instead of subtracting it.", finishReason: "eos" });
    assert.equal(prompts.length, 1);
    assert.ok(prompts[0]!.includes("2x = 10"));
    assert.ok(prompts[0]!.includes("Reason: from $2x + 3 = 7$ this step gets $2x = 10$, but subtracting $3$ from both sides gives $2x = 4$"));
    assert.ok(prompts[0]!.includes(input.problem));
  });

  it("does not use the engine when no step is an error", async () => {
    let calls = 0;
    const engine = createScriptedEngine({
      scripts: () => {
        calls++;
        return "x";
      },
    });
    const right = { ...input, solution: "$2x + 3 = 7$, so $2x = 4$ and $x = 2$." };
    const result = checkSolution(right);
    assert.equal(explanationPrompt(right, result), null);
    assert.equal(await explainFirstError(engine, right, result), null);
    assert.equal(calls, 0);
  });
});
