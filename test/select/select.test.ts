import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { functionScorer, majAtK, majorityVote, meanAccuracy, passAtK, rewardSelect, rmAtK, voteDecided } from "../../src/select/index.js";

/** pass@k by brute force: the share of k-subsets of n samples (c correct) with a correct one. */
function passAtKBrute(n: number, c: number, k: number): number {
  let hit = 0;
  let all = 0;
  const walk = (start: number, picked: number[]) => {
    if (picked.length === k) {
      all++;
      if (picked.some((i) => i < c)) hit++;
      return;
    }
    for (let i = start; i < n; i++) walk(i + 1, [...picked, i]);
  };
  walk(0, []);
  return hit / all;
}

describe("majority voting", () => {
  it("clusters answers by equivalence, not spelling", () => {
    const vote = majorityVote(["\\frac{1}{2}", "0.5", "1/3", "1/2", null, "\\dfrac12"]);
    assert.equal(vote.winner, 0);
    assert.deepEqual(vote.clusters, [
      { answer: "\\frac{1}{2}", members: [0, 1, 3, 5] },
      { answer: "1/3", members: [2] },
    ]);
  });

  it("breaks ties by the earliest sample, as the reference does", () => {
    assert.equal(majorityVote(["3", "2", "2", "3"]).winner, 0);
    assert.equal(majorityVote(["2", "3", "3", "2"]).clusters[0]!.answer, "2");
  });

  it("has no winner without answers", () => {
    assert.deepEqual(majorityVote([null, null]), { winner: null, clusters: [] });
  });

  it("knows when the vote can no longer change", () => {
    const ranked = majorityVote(["5", "5", "5", "6"]).clusters;
    assert.equal(voteDecided(ranked, 1), true); // 3 > 1 + 1
    assert.equal(voteDecided(ranked, 2), false); // 3 = 1 + 2: a tie is still possible
    assert.equal(voteDecided([], 0), false);
  });
});

describe("reward selection", () => {
  it("picks the highest score, the first on ties, never NaN", () => {
    assert.equal(rewardSelect([0.1, 0.9, 0.9]), 1);
    assert.equal(rewardSelect([NaN, -1]), 1);
    assert.equal(rewardSelect([]), null);
  });

  it("turns a function into a scorer", async () => {
    const scorer = functionScorer((_p, r) => r.length);
    assert.deepEqual(await scorer.score([{ problem: "p", response: "ab" }, { problem: "p", response: "abcd" }]), [2, 4]);
  });
});

describe("metrics", () => {
  it("pass@k matches brute force over all k-subsets", () => {
    for (let n = 1; n <= 7; n++)
      for (let c = 0; c <= n; c++)
        for (let k = 1; k <= n; k++) assert.ok(Math.abs(passAtK(n, c, k) - passAtKBrute(n, c, k)) < 1e-12, `n=${n} c=${c} k=${k}`);
    assert.ok(Math.abs(passAtK(5, 2, 1) - 0.4) < 1e-12);
    assert.throws(() => passAtK(4, 1, 5), RangeError);
  });

  it("mean accuracy, maj@k and rm@k on the first k samples", () => {
    const answers = ["4", "5", "5", "4", "4"];
    const correct = [true, false, false, true, true];
    assert.equal(meanAccuracy(correct), 0.6);
    assert.equal(majAtK(answers, correct, 3), false); // 5 leads among the first three
    assert.equal(majAtK(answers, correct, 5), true);
    assert.equal(rmAtK([0.2, 0.9, 0.1, 0.95, 0], correct, 3), false);
    assert.equal(rmAtK([0.2, 0.9, 0.1, 0.95, 0], correct, 4), true);
  });
});
