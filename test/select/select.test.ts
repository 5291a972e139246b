import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  accuracyCurve,
  functionScorer,
  majAtK,
  majorityVote,
  majorityVotes,
  meanAccuracy,
  metricsAtK,
  passAtK,
  rewardSelect,
  rmAtK,
  sampleMetrics,
  voteDecided,
} from "../../src/select/index.js";
import { rounded } from "../fixtures/eval/records.js";

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

describe("sampleMetrics and its aggregates", () => {
  const graded = (answers: (string | null)[], correct: boolean[], scores?: number[]) =>
    answers.map((answer, i) => ({ answer, correct: correct[i]!, ...(scores && { score: scores[i]! }) }));

  it("votes on every prefix in one pass, exactly as majorityVote on the prefix", () => {
    const answers = ["3", "1/2", "0.5", "3", null, "\\frac12", "7"];
    const votes = majorityVotes(answers, [0, 1, 2, 3, 4, 5, 6, 7]);
    for (let k = 0; k <= answers.length; k++) assert.deepEqual(votes.get(k), majorityVote(answers.slice(0, k)), `k=${k}`);
    assert.throws(() => majorityVotes(answers, [8]), RangeError);
  });

  it("gives maj@k, rm@k and pass@k per k, with the winners", () => {
    const o = sampleMetrics(graded(["4", "5", "5", "4", "4"], [true, false, false, true, true], [0.2, 0.9, 0.1, 0.95, 0]), [1, 3, 4, 5]);
    assert.equal(o.n, 5);
    assert.equal(o.c, 3);
    assert.equal(o.scored, true);
    assert.deepEqual(o.atK.get(3), { majWinner: 1, maj: false, rmWinner: 1, rm: false, pass: passAtK(5, 3, 3) });
    assert.deepEqual(o.atK.get(4), { majWinner: 0, maj: true, rmWinner: 3, rm: true, pass: passAtK(5, 3, 4) }, "a 2-2 tie goes to the earliest sample");
    assert.equal(o.atK.get(5)!.maj, majAtK(["4", "5", "5", "4", "4"], [true, false, false, true, true], 5));
    assert.throws(() => sampleMetrics(graded(["1"], [true]), 2), RangeError);
    assert.throws(() => sampleMetrics([], 1), RangeError);
  });

  it("clusters with the caller's equivalence options", () => {
    const samples = graded(["30", "0.25", "25"], [false, true, true]);
    assert.deepEqual([sampleMetrics(samples, 3).atK.get(3)!.majWinner, sampleMetrics(samples, 3).atK.get(3)!.maj], [0, false]);
    const lenient = sampleMetrics(samples, 3, { percentScale: true }).atK.get(3)!;
    assert.deepEqual([lenient.majWinner, lenient.maj], [1, true]);
  });

  it("averages outcomes over problems in percent, rm@k only when every sample has a score", () => {
    const a = sampleMetrics(graded(["1", "2", "2", "1"], [true, false, false, true], [0.9, 0.1, 0.1, 0.1]), [1, 2, 4]);
    const b = sampleMetrics(graded(["5", "6", "6", "6"], [false, true, true, true], [0.9, 0.1, 0.1, 0.1]), [1, 2, 4]);
    assert.deepEqual(metricsAtK([a, b], 4), { "pass@1": 62.5, "maj@k": 100, "pass@k": 100, "rm@k": 50 });
    // pass@2: a (n=4, c=2) 1 - C(2,2)/C(4,2) = 5/6, b (c=3) 1
    assert.deepEqual(rounded(accuracyCurve([a, b], [1, 2])), rounded([
      { k: 1, "maj@k": 50, "pass@k": 62.5, "rm@k": 50 },
      { k: 2, "maj@k": 50, "pass@k": (100 * (5 / 6 + 1)) / 2, "rm@k": 50 },
    ]));
    const unscored = sampleMetrics(graded(["1", "1"], [true, true]), 2);
    assert.equal(metricsAtK([a, unscored], 2)["rm@k"], undefined);
    assert.throws(() => metricsAtK([a], 3), RangeError, "an aggregate needs outcomes computed at its k");
  });
});
