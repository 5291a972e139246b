/** The rule reward, the shaped reward and GRPO advantages, on hand-computed cases. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computeRewards, groupAdvantages } from "../../src/rewards/grpo.js";
import { countBoxed, lengthTerm, ruleReward } from "../../src/rewards/rule.js";
import { functionScorer } from "../../src/select/reward.js";

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} is not ${b}`);

describe("rule reward", () => {
  it("is 1 for an equivalent final answer and 0 otherwise", () => {
    assert.deepEqual(ruleReward("So the answer is \\boxed{\\frac{1}{2}}.", "0.5"), { rule: 1, correct: true, answer: "\\frac{1}{2}", format: 0, length: 0 });
    assert.equal(ruleReward("Thus \\boxed{3}.", "4").rule, 0);
    assert.equal(ruleReward("", "4").rule, 0);
    assert.equal(ruleReward("I don't know.", "4").answer, null);
  });

  it("adds the format bonus for exactly one \\boxed{}", () => {
    assert.equal(countBoxed("\\boxed{1} and \\boxed{2}"), 2);
    assert.equal(ruleReward("\\boxed{4}", "4", { format: 0.1 }).rule, 1.1);
    assert.equal(ruleReward("first \\boxed{3}, then \\boxed{4}", "4", { format: 0.1 }).rule, 1); // two boxes: no bonus
    assert.equal(ruleReward("the answer is 4", "4", { format: 0.1 }).rule, 1); // correct, no box
    assert.equal(ruleReward("\\boxed{5}", "4", { format: 0.1 }).rule, 0.1); // boxed but wrong
  });

  it("subtracts a length penalty that ramps from the budget to budget + window", () => {
    const l = { budget: 100, penalty: 0.5 };
    assert.equal(lengthTerm("x".repeat(100), l), 0);
    close(lengthTerm("x".repeat(150), l), -0.25);
    close(lengthTerm("x".repeat(200), l), -0.5);
    close(lengthTerm("x".repeat(1000), l), -0.5);
    close(lengthTerm("x".repeat(110), { ...l, window: 20 }), -0.25);
    // tokens: ceil(chars / 4) by default, or the given counter
    close(lengthTerm("x".repeat(600), { budget: 100, penalty: 1, unit: "tokens" }), -0.5);
    close(lengthTerm("a b c d", { budget: 2, penalty: 1, unit: "tokens" }, (t) => t.split(" ").length), -1);
    const text = "x".repeat(141) + " \\boxed{4}"; // 151 characters
    close(ruleReward(text, "4", { format: 0.2, length: l }).rule, 1 + 0.2 - 0.255);
  });
});

describe("GRPO advantages", () => {
  it("normalises within each group by the population standard deviation", () => {
    const adv = groupAdvantages([1, 0, 0, 1, 1, 1, 1, 0, 0], ["a", "a", "a", "a", "b", "b", "c", "c", "c"], 0);
    assert.deepEqual(adv.slice(0, 4), [1, -1, -1, 1]); // mean 0.5, std 0.5
    assert.deepEqual(adv.slice(4, 6), [0, 0]); // no spread
    // mean 1/3, std sqrt(2)/3
    close(adv[6]!, Math.SQRT2);
    close(adv[7]!, -1 / Math.SQRT2);
    close(adv[8]!, -1 / Math.SQRT2);
  });

  it("uses epsilon 1e-6 by default, and gives 0 to single responses and equal rewards", () => {
    const adv = groupAdvantages([1, 0], ["g", "g"]);
    close(adv[0]!, 0.5 / (0.5 + 1e-6));
    assert.deepEqual(groupAdvantages([0.1, 0.1, 0.1, 7], [1, 1, 1, 2]), [0, 0, 0, 0]);
  });
});

describe("computeRewards", () => {
  it("groups by problem by default and returns rule, reward and advantage in order", async () => {
    const items = [
      { problem: "P", response: "\\boxed{4}", reference: "4" },
      { problem: "Q", response: "\\boxed{1}", reference: "2" },
      { problem: "P", response: "\\boxed{5}", reference: "4" },
      { problem: "Q", response: "\\boxed{2}", reference: "2" },
      { problem: "Q", response: "\\boxed{2.0}", reference: "2" },
    ];
    const r = await computeRewards(items, { epsilon: 0 });
    assert.deepEqual(
      r.map((x) => [x.rule, x.reward, x.correct]),
      [
        [1, 1, true],
        [0, 0, false],
        [0, 0, false],
        [1, 1, true],
        [1, 1, true],
      ],
    );
    assert.equal(r[0]!.rm, undefined);
    assert.equal(r[0]!.advantage, 1);
    assert.equal(r[2]!.advantage, -1);
    close(r[1]!.advantage, -Math.SQRT2); // Q: [0, 1, 1], mean 2/3, std sqrt(2)/3
    close(r[3]!.advantage, 1 / Math.SQRT2);
  });

  it("shapes the reward with the reward model: alpha * rm + (1 - alpha) * rule", async () => {
    const rm = new Map([
      ["A", 0.8],
      ["B", 0.2],
      ["C", 0.4],
    ]);
    const scorer = functionScorer((_p, response) => rm.get(response.slice(-1))!);
    const items = [
      { problem: "P", response: "\\boxed{4} A", reference: "4", group: 7 },
      { problem: "P", response: "\\boxed{3} B", reference: "4", group: 7 },
      { problem: "P", response: "\\boxed{4} C", reference: "4", group: "other" },
    ];
    const half = await computeRewards(items, { scorer, epsilon: 0 });
    assert.deepEqual(
      half.map((x) => x.rm),
      [0.8, 0.2, 0.4],
    );
    close(half[0]!.reward, 0.9);
    close(half[1]!.reward, 0.1);
    close(half[2]!.reward, 0.7);
    close(half[0]!.advantage, 1); // mean 0.5, std 0.4
    close(half[1]!.advantage, -1);
    assert.equal(half[2]!.advantage, 0); // alone in its group
    const quarter = await computeRewards(items, { scorer, alpha: 0.25 });
    close(quarter[0]!.reward, 0.25 * 0.8 + 0.75 * 1);
    close(quarter[1]!.reward, 0.25 * 0.2);
  });

  it("rejects alpha outside [0, 1]", async () => {
    await assert.rejects(computeRewards([], { alpha: 1.5 }), /alpha must be in \[0, 1\]/);
  });
});
