/**
 * Hints: written from the model's private solution, never giving its answer away (written again
 * with another seed when one does, cut when all do), and starting from the first error of the
 * student's work when it is given.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { giveHint, givesAnswerAway } from "../../src/check/hint.js";
import { createScriptedEngine } from "../../src/engine/scripted.js";
import { promptText, type Prompt } from "../../src/engine/types.js";

const PROBLEM = "Solve $2x + 3 = 11$.";

/** A scripted model: solves with \boxed{4}, and answers hint requests from `hints` in turn. */
function tutor(hints: string[]) {
  const prompts: string[] = [];
  let k = 0;
  const engine = createScriptedEngine({
    scripts: (prompt: Prompt) => {
      const text = promptText(prompt);
      if (!text.includes("patient math tutor")) return "Subtract 3: $2x = 8$, so $x = \\boxed{4}$.";
      prompts.push(text);
      return hints[Math.min(k++, hints.length - 1)]!;
    },
  });
  return { engine, prompts };
}

describe("giveHint", () => {
  it("writes the hint from a private solution and keeps the one that does not give the answer away", async () => {
    const { engine, prompts } = tutor(["So $x = 4$.", "Think about what undoes the $+3$ on the left."]);
    const h = await giveHint(engine, { problem: PROBLEM, level: 1 });
    assert.deepEqual(h, { level: 1, text: "Think about what undoes the $+3$ on the left.", by: "model", model: "scripted", attempts: 2, cut: false });
    assert.equal(prompts.length, 2);
    assert.match(prompts[0]!, /Hint 1 of 3\. Write a gentle nudge/);
    assert.match(prompts[0]!, /Subtract 3: \$2x = 8\$/); // the private solution, for the model only
  });

  it("cuts the sentences that give the answer away when every attempt does", async () => {
    const { engine } = tutor(["Subtract 3 from both sides. Then $x = 4$. Check it in the equation."]);
    const h = await giveHint(engine, { problem: PROBLEM, level: 3 }, { attempts: 2 });
    assert.equal(h.cut, true);
    assert.equal(h.attempts, 2);
    assert.equal(h.text, "Subtract 3 from both sides. Check it in the equation.");
    assert.equal(givesAnswerAway(h.text, "4"), false);
  });

  it("checks the student's work first and starts from its first error", async () => {
    const { engine, prompts } = tutor(["Look again at what happens to the $3$ when it moves."]);
    const h = await giveHint(engine, { problem: PROBLEM, work: "$2x + 3 = 11$\n$2x = 14$", level: 2 });
    assert.equal(h.work?.firstError, 1);
    assert.match(prompts[0]!, /An exact check found the first error in the step "2x = 14": from \$2x \+ 3 = 11\$ this step gets \$2x = 14\$, but subtracting \$3\$ from both sides gives \$2x = 8\$/);
  });

  it("finds the answer in math, boxed or stated, but not in unrelated numbers", () => {
    assert.equal(givesAnswerAway("We get $x = 4$.", "4"), true);
    assert.equal(givesAnswerAway("So \\boxed{4}.", "4"), true);
    assert.equal(givesAnswerAway("The answer is 4.", "4"), true);
    assert.equal(givesAnswerAway("It is $\\frac{8}{2}$.", "4"), true);
    assert.equal(givesAnswerAway("Step 4: subtract $3$ from both sides.", "4"), false);
  });

  it("refuses an unknown level or an empty problem", async () => {
    const { engine } = tutor(["x"]);
    await assert.rejects(giveHint(engine, { problem: PROBLEM, level: 4 as 1 }), /Unknown hint level 4/);
    await assert.rejects(giveHint(engine, { problem: " " }), /The problem is empty/);
  });
});
