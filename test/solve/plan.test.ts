/** resolveRunPlan(): every decision of a run made in one place, and solve()/runEval() executing exactly that plan. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { withEngine } from "../../src/engine/create.js";
import { promptText, type Engine } from "../../src/engine/types.js";
import { QmathError } from "../../src/errors.js";
import { runEval } from "../../src/eval/runner.js";
import { functionScorer } from "../../src/select/reward.js";
import { parallelSamples, resolveRunPlan } from "../../src/solve/plan.js";
import { solve } from "../../src/solve/solve.js";
import { recordingEngine, repoRoot } from "../helpers.js";

const refused = (pattern: RegExp) => (e: unknown) => e instanceof QmathError && e.code === "bad_input" && pattern.test(e.message);

describe("resolveRunPlan", () => {
  it("defaults: one greedy CoT sample in the model's own format, majority selection", () => {
    const plan = resolveRunPlan({}, { model: "qwen2.5-math-7b-instruct:Q4_K_M" });
    assert.deepEqual(plan, {
      mode: "cot",
      promptFormat: "qwen25-math-cot",
      stop: ["<|im_end|>", "<|endoftext|>"],
      n: 1,
      sampling: { temperature: 0, topP: 1, topK: 0, seed: null, maxTokens: null },
      tir: null,
      selection: { method: "maj", earlyStop: false, equivalence: {} },
      parallel: 1,
      sandboxSpares: 0,
    });
  });

  it("takes the prompt format from the model: few-shot for base models, Qwen2-Math's for Qwen2-Math-Instruct", () => {
    const base = resolveRunPlan({}, { model: "qwen2.5-math-1.5b:Q8_0" });
    assert.equal(base.promptFormat, "few-shot");
    assert.ok(base.stop.includes("\n\nQuestion:"));
    assert.equal(resolveRunPlan({}, { model: "Qwen2-Math-7B-Instruct-Q4_K_M.gguf" }).promptFormat, "qwen2-math-cot");
    assert.equal(resolveRunPlan({ promptFormat: "qwen2-math-cot" }, { model: "qwen2.5-math-1.5b:Q8_0" }).promptFormat, "qwen2-math-cot");
  });

  it("TIR: the TIR format, a stop where code runs, the call limit and the cell time limit, warm interpreters", () => {
    const plan = resolveRunPlan({ mode: "tir", n: 12, tir: { sandboxOptions: { timeoutMs: 2500 } } }, { model: "qwen2.5-math-1.5b-instruct" });
    assert.equal(plan.promptFormat, "qwen25-math-tir");
    assert.ok(plan.stop.includes("```output"));
    assert.deepEqual(plan.tir, { maxCalls: 4, cellTimeoutMs: 2500 });
    assert.equal(plan.sandboxSpares, 8);
    // A format asked for explicitly is kept, and still stops where code runs.
    const cot = resolveRunPlan({ mode: "tir", promptFormat: "qwen25-math-cot" });
    assert.equal(cot.promptFormat, "qwen25-math-cot");
    assert.ok(cot.stop.includes("```output"));
  });

  it("best-of-N samples at the reports' setting unless a temperature is given", () => {
    assert.deepEqual(resolveRunPlan({ n: 8 }).sampling, { temperature: 0.7, topP: 0.8, topK: 0, seed: null, maxTokens: null });
    assert.deepEqual(resolveRunPlan({ n: 8, sampling: { temperature: 1 } }).sampling, { temperature: 1, topP: 1, topK: 0, seed: null, maxTokens: null });
    assert.equal(resolveRunPlan({ n: 8, sampling: { topP: 0.95 } }).sampling.topP, 0.95);
  });

  it("reproducible runs get seed 0 when none is given", () => {
    assert.equal(resolveRunPlan({}, { reproducible: true }).sampling.seed, 0);
    assert.equal(resolveRunPlan({ sampling: { seed: 7 } }, { reproducible: true }).sampling.seed, 7);
  });

  it("early stopping runs at most 8 samples at once", () => {
    assert.equal(resolveRunPlan({ n: 64, selection: { earlyStop: true } }).parallel, 8);
    assert.equal(parallelSamples({ n: 64 }), 64);
    assert.equal(parallelSamples({ n: 100_000 }), 64, "more samples than that run in waves");
    assert.equal(parallelSamples({ n: 100, parallel: 10 }), 10);
    assert.equal(parallelSamples({ n: 3, parallel: 10 }), 3);
    assert.throws(() => resolveRunPlan({ n: 4, parallel: 0 }), refused(/decoded at once must be a whole number of at least 1/));
    assert.equal(parallelSamples({ n: 3, selection: { earlyStop: true } }), 3);
  });

  it("refuses what cannot run, naming it", () => {
    assert.throws(() => resolveRunPlan({ n: 0 }), refused(/number of samples must be a whole number of at least 1, not 0/));
    assert.throws(() => resolveRunPlan({ n: 2.5 }), refused(/not 2.5/));
    // A cell time limit a timer cannot hold would fire after 1 ms: refused before any model loads.
    assert.throws(() => resolveRunPlan({ mode: "tir", tir: { sandboxOptions: { timeoutMs: 2 ** 31 } } }), refused(/TIR cell time limit \(timeoutMs\) must be .* at most 2147483647 .*, not 2147483648\./));
    assert.throws(() => resolveRunPlan({ mode: "tir", tir: { sandboxOptions: { timeoutMs: 0 } } }), refused(/timeoutMs\) must be .*, not 0\./));
    assert.equal(resolveRunPlan({ mode: "tir", tir: { sandboxOptions: { timeoutMs: 2 ** 31 - 1 } } }).tir?.cellTimeoutMs, 2 ** 31 - 1);
    assert.throws(() => resolveRunPlan({ mode: "pot" as never }), refused(/Unknown mode 'pot'/));
    assert.throws(() => resolveRunPlan({ selection: { method: "best" as never } }), refused(/Unknown selection 'best'/));
    assert.throws(() => resolveRunPlan({ selection: { method: "rm" } }), refused(/needs a reward scorer/));
    assert.throws(() => resolveRunPlan({ selection: { method: "first", earlyStop: true } }), refused(/Early stopping works with majority voting only/));
    assert.throws(() => resolveRunPlan({ mode: "tir", tir: { maxCalls: 0 } }), refused(/TIR call limit/));
    const scorer = functionScorer(() => 1);
    assert.equal(resolveRunPlan({ selection: { method: "rm", rewardScorer: scorer } }).selection.method, "rm");
  });
});

const recording = (model: string) => recordingEngine(["So the answer is $\\boxed{4}$."], model);

describe("the plan as executed", () => {
  it("solve() sends the plan's stops and sampling to the engine and returns the plan", async () => {
    const { engine, seen } = recording("qwen2.5-math-1.5b:Q8_0");
    const r = await solve(engine, "What is 2+2?", { n: 3, sampling: { seed: 11, maxTokens: 64 } });
    const request = seen[0]!;
    assert.deepEqual(request.stop, r.plan.stop);
    assert.equal(r.plan.promptFormat, "few-shot"); // the base model's own format
    assert.ok(promptText(request.prompt).includes("Question: What is 2+2?"));
    assert.deepEqual(
      { n: request.n, temperature: request.temperature, topP: request.topP, topK: request.topK, seed: request.seed, maxTokens: request.maxTokens },
      { n: 3, temperature: 0.7, topP: 0.8, topK: 0, seed: 11, maxTokens: 64 },
    );
    assert.equal(r.promptFormat, r.plan.promptFormat);
  });

  it("runEval() records exactly the plan it ran in config.json, and every problem ran it", async () => {
    const { engine, seen } = recording("scripted");
    const out = mkdtempSync(join(tmpdir(), "qmath-plan-"));
    const mini = join(repoRoot, "test", "fixtures", "eval", "mini.jsonl");
    const r = await runEval(engine, { data: [mini], questionField: "q", answerField: "a", out, n: 2, limit: 3, sampling: { topK: 20 } });
    const written = JSON.parse(readFileSync(join(out, "config.json"), "utf8")).config;
    assert.deepEqual(written, JSON.parse(JSON.stringify(r.config)));
    assert.deepEqual(written.plan, resolveRunPlan({ n: 2, sampling: { topK: 20 } }, { model: "scripted", reproducible: true }));
    assert.equal(seen.length, 3);
    for (const request of seen) {
      assert.deepEqual(request.stop, written.plan.stop);
      assert.deepEqual([request.temperature, request.topP, request.topK, request.seed], [0.7, 0.8, 20, 0]);
    }
  });
});

describe("withEngine", () => {
  it("closes the engine it created, also when the work fails", async () => {
    const mini = join(repoRoot, "test", "fixtures", "models", "tiny-qwen2.gguf");
    let engine: Engine | undefined;
    await assert.rejects(
      withEngine({ model: mini, threads: 1, maxParallel: 1 }, async (created) => {
        engine = created.engine;
        throw new Error("work failed");
      }),
      /work failed/,
    );
    await assert.rejects(engine!.open({ prompt: "x" }), /closed/);
  });
});
