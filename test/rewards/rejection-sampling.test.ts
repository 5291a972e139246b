/** rejectionSample (the library behind qmath sample) on the scripted engine: what is kept, and in what order. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createScriptedEngine } from "../../src/engine/scripted.js";
import { rejectionSample } from "../../src/rewards/rejection-sampling.js";
import { functionScorer } from "../../src/select/reward.js";

const SYSTEM = { role: "system", content: "Please reason step by step, and put your final answer within \\boxed{}." };

describe("rejectionSample", () => {
  const scripts = (prompt: string, i: number): string => {
    if (prompt.includes("2+2"))
      return [
        "Two and two make four, so the answer is \\boxed{4}.", // 0: correct, long
        "\\boxed{5}", // 1: wrong
        "So \\boxed{4}.", // 2: correct, shortest
        "2+2 = 4, hence \\boxed{4.0}", // 3: correct
        "So \\boxed{4}.", // 4: repeats 2
        "no answer here", // 5
      ][i]!;
    return "\\boxed{1}"; // every sample of the other problem is wrong
  };

  it("keeps correct, distinct samples; without a reward model the shorter rank first", async () => {
    const engine = createScriptedEngine({ scripts });
    const seen: string[] = [];
    const out = await rejectionSample(
      engine,
      [
        { id: "a", question: "What is 2+2?", reference: "4" },
        { id: "b", question: "What is 3-1?", reference: "2" },
      ],
      { n: 6, k: 2, onProblem: (r, i) => void seen.push(`${i}:${r.id}`) },
    );
    assert.deepEqual(seen, ["0:a", "1:b"]);
    assert.deepEqual(
      out.map((r) => [r.id, r.samples, r.correct, r.indexes, r.scores]),
      [
        ["a", 6, 3, [2, 3], [1, 1]],
        ["b", 6, 0, [], []],
      ],
    );
    assert.deepEqual(out[0]!.kept[0], {
      messages: [SYSTEM, { role: "user", content: "What is 2+2?" }, { role: "assistant", content: "So \\boxed{4}." }],
    });
    assert.equal(out[0]!.kept[1]!.messages[2]!.content, "2+2 = 4, hence \\boxed{4.0}");
  });

  it("ranks by the reward model's score when one is given (scoring only the kept samples)", async () => {
    const scored: string[] = [];
    const scorer = functionScorer((_p, response) => {
      scored.push(response);
      return response.length; // longest first
    });
    const out = await rejectionSample(createScriptedEngine({ scripts }), [{ question: "What is 2+2?", reference: "4" }], { n: 6, k: 5, scorer });
    assert.deepEqual(out[0]!.indexes, [0, 3, 2]);
    assert.deepEqual(out[0]!.scores, [50, 26, 13]); // the lengths of samples 0, 3 and 2
    assert.equal(scored.length, 3);
    assert.equal(out[0]!.id, "0");
  });

  it("drops samples cut off by the token budget", async () => {
    const engine = createScriptedEngine({ scripts: ["So \\boxed{4}. And then more words follow here"] });
    const out = await rejectionSample(engine, [{ question: "What is 2+2?", reference: "4" }], { n: 2, k: 2, sampling: { maxTokens: 3 } });
    assert.equal(out[0]!.correct, 0);
  });

  it("checks n and k", async () => {
    await assert.rejects(rejectionSample(createScriptedEngine({ scripts: ["x"] }), [], { n: 0, k: 1 }), /n must be a whole number/);
    await assert.rejects(rejectionSample(createScriptedEngine({ scripts: ["x"] }), [], { n: 1, k: 1.5 }), /k must be a whole number/);
  });
});
