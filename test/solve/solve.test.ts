/** solve(): selection and early stopping over N samples, on the scripted engine (recorded answers). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createScriptedEngine } from "../../src/engine/scripted.js";
import type { Engine, OpenRequest } from "../../src/engine/types.js";
import { QmathError } from "../../src/errors.js";
import { functionScorer } from "../../src/select/reward.js";
import { solve } from "../../src/solve/solve.js";

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
  /** The scripted engine, recording the requests it is opened with. */
  function recording(): { engine: Engine; seen: OpenRequest[] } {
    const inner = createScriptedEngine({ scripts: [answer("5")] });
    const seen: OpenRequest[] = [];
    const engine: Engine = {
      info: inner.info,
      open: (r) => {
        seen.push(r);
        return inner.open(r);
      },
      countTokens: (t) => inner.countTokens(t),
      close: () => inner.close(),
    };
    return { engine, seen };
  }

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
