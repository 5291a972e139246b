/** solve(): selection and early stopping over N samples, on the scripted engine (recorded answers). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createScriptedEngine } from "../../src/engine/scripted.js";
import type { Engine } from "../../src/engine/types.js";
import { QmathError } from "../../src/errors.js";
import { equivalent } from "../../src/answers/equivalent.js";
import { majorityVote } from "../../src/select/majority.js";
import { sampleMetrics } from "../../src/select/metrics.js";
import { functionScorer } from "../../src/select/reward.js";
import { solve } from "../../src/solve/solve.js";
import { recordingEngine } from "../helpers.js";

const answer = (a: string) => `We compute carefully.\nSo the answer is $\\boxed{${a}}$.`;
const PROBLEM = "What is 2+3?";

describe("solve() selection", () => {
  const scripts = [answer("6"), answer("5"), answer("\\frac{10}{2}"), "I am not sure.", answer("5.0")];

  it("majority: the largest cluster of equivalent answers wins, with the clusters reported", async () => {
    const engine = createScriptedEngine({ scripts });
    const r = await solve(engine, PROBLEM, { n: 5 });
    assert.equal(r.select, "maj");
    assert.equal(r.selected, 1);
    assert.equal(r.answer, "5");
    assert.deepEqual(r.vote, [
      { answer: "5", size: 3, members: [1, 2, 4] },
      { answer: "6", size: 1, members: [0] },
    ]);
    assert.equal(r.samples[3]!.answer, null);
  });

  it("first: the first sample, whatever the others say", async () => {
    const r = await solve(createScriptedEngine({ scripts }), PROBLEM, { n: 5, selection: { method: "first" } });
    assert.equal(r.answer, "6");
    assert.equal(r.vote, undefined);
  });

  it("reward model: the highest-scored sample, with the scores", async () => {
    const scorer = functionScorer((_p, response) => (response.includes("{6}") ? 0.9 : 0.1));
    const r = await solve(createScriptedEngine({ scripts }), PROBLEM, { n: 5, selection: { method: "rm", rewardScorer: scorer } });
    assert.equal(r.answer, "6");
    assert.deepEqual(r.scores, [0.9, 0.1, 0.1, 0.1, 0.1]);
  });

  it("refuses reward selection without a scorer", async () => {
    await assert.rejects(solve(createScriptedEngine({ scripts }), PROBLEM, { selection: { method: "rm" } }), (e: unknown) => e instanceof QmathError && /reward scorer/.test(e.message));
  });
});

/** A sample that writes `words` words of working first: longer samples finish later. */
const after = (words: number, a: string) => `${"step ".repeat(words)}\nSo the answer is $\\boxed{${a}}$.`;

/** The scripted engine streaming one piece per millisecond, recording the order in which samples finish (one wave: index = sample index). */
function slowEngine(scripts: string[]): { engine: Engine; finished: number[] } {
  const inner = createScriptedEngine({ scripts, pieceDelayMs: 1 });
  const finished: number[] = [];
  const engine: Engine = {
    info: inner.info,
    open: async (r) =>
      (await inner.open(r)).map((sample) => {
        const generate = sample.generate.bind(sample);
        sample.generate = async (o) => {
          const segment = await generate(o);
          finished.push(sample.index);
          return segment;
        };
        return sample;
      }),
    countTokens: (t) => inner.countTokens(t),
    close: () => inner.close(),
  };
  return { engine, finished };
}

describe("solve() votes by sample order, not finish order", () => {
  it("a tie goes to the earliest sample, and a cluster is named by its earliest member, however the samples finish", async () => {
    // samples 0 and 3 say one half (slowly), 1 and 2 say 3 (quickly): 2-2, the earliest sample is 0
    const { engine, finished } = slowEngine([after(40, "\\frac{1}{2}"), after(0, "3"), after(2, "3"), after(40, "0.5")]);
    const r = await solve(engine, PROBLEM, { n: 4 });
    assert.deepEqual(finished.slice(0, 2), [1, 2], "the samples that say 3 finish first");
    assert.equal(r.selected, 0);
    assert.equal(r.answer, "\\frac{1}{2}");
    assert.deepEqual(r.vote, [
      { answer: "\\frac{1}{2}", size: 2, members: [0, 3] },
      { answer: "3", size: 2, members: [1, 2] },
    ]);
  });

  it("selects maj@N's winner as the metric function computes it from the same answers", async () => {
    const answers = ["7", "0.5", "\\frac12", "7", "1/2", "7", "8", "2/4"];
    const { engine, finished } = slowEngine(answers.map((a, i) => after(30 - 4 * i, a))); // the last sample finishes first
    const r = await solve(engine, PROBLEM, { n: answers.length });
    assert.notDeepEqual(finished, [0, 1, 2, 3, 4, 5, 6, 7]);
    const graded = r.samples.map((s) => ({ answer: s.answer, correct: s.answer !== null && equivalent(s.answer, "1/2").equivalent }));
    const maj = sampleMetrics(graded, answers.length).atK.get(answers.length)!;
    assert.equal(r.selected, maj.majWinner);
    assert.equal(r.selected, 1);
    assert.equal(maj.maj, true);
    assert.deepEqual(r.vote!.map((c) => c.members), majorityVote(r.samples.map((s) => s.answer)).clusters.map((c) => c.members));
  });

  it("early stopping still watches the tally as samples finish; the vote counts only finished samples", async () => {
    // samples 1-3 say 5 quickly and decide the vote (3 > 0 + 2); the slow 0 and 4 are stopped mid-way
    const slow = `${"Trying 6. ".repeat(100)}\nSo the answer is $\\boxed{6}$.`;
    const { engine } = slowEngine([slow, after(0, "5"), after(1, "5"), after(2, "5"), slow]);
    const r = await solve(engine, PROBLEM, { n: 5, selection: { earlyStop: true } });
    assert.deepEqual(r.earlyStop, { samplesRun: 3, samplesSaved: 2 });
    assert.deepEqual([r.samples[0]!.finishReason, r.samples[4]!.finishReason], ["abort", "abort"]);
    assert.equal(r.samples[0]!.answer, "6", "a stopped sample's partial text has an answer, but it does not vote");
    assert.equal(r.selected, 1);
    assert.deepEqual(r.vote, [{ answer: "5", size: 3, members: [1, 2, 3] }]);
  });
});

describe("solve() early stopping", () => {
  it("stops once the leading answer cannot be overtaken, and says how many samples it saved", async () => {
    const engine = createScriptedEngine({ scripts: [answer("5")], maxParallel: 1 });
    const r = await solve(engine, PROBLEM, { n: 16, selection: { earlyStop: true } });
    // after k samples all saying 5: decided when k > 16 - k, i.e. k = 9
    assert.deepEqual(r.earlyStop, { samplesRun: 9, samplesSaved: 7 });
    assert.equal(r.samples.length, 9);
    assert.equal(r.answer, "5");
  });

  it("runs every sample when the vote stays open", async () => {
    const engine = createScriptedEngine({ scripts: [answer("5"), answer("6")], maxParallel: 2 });
    const r = await solve(engine, PROBLEM, { n: 6, selection: { earlyStop: true } });
    assert.deepEqual(r.earlyStop, { samplesRun: 6, samplesSaved: 0 });
  });
});

describe("solve() sampling defaults", () => {
  const recording = () => recordingEngine([answer("5")]);

  it("samples at temperature 0.7 and top-p 0.8 for N > 1 unless told otherwise, greedy for one sample", async () => {
    const many = recording();
    await solve(many.engine, PROBLEM, { n: 4 });
    assert.equal(many.seen[0]!.temperature, 0.7);
    assert.equal(many.seen[0]!.topP, 0.8);
    const chosen = recording();
    await solve(chosen.engine, PROBLEM, { n: 4, sampling: { temperature: 1, topP: 0.95 } });
    assert.equal(chosen.seen[0]!.temperature, 1);
    assert.equal(chosen.seen[0]!.topP, 0.95);
    const one = recording();
    await solve(one.engine, PROBLEM);
    assert.equal(one.seen[0]!.temperature, 0); // greedy
  });
});
