/**
 * The embedded llama.cpp engine, run for real on the tiny random-weight Qwen2 model that
 * `npm run make-test-model:tiny` writes. The model's text is noise, so the tests compare
 * runs with each other (same seed, shared vs separate prompt evaluation, paused vs fresh)
 * rather than with fixed strings.
 */
import assert from "node:assert/strict";
import { writeFileSync, readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createEmbeddedEngine } from "../../src/engine/embedded/llama-engine.js";
import { generateAll } from "../../src/engine/generate.js";
import type { Engine, OpenRequest } from "../../src/engine/types.js";
import { QmathError } from "../../src/errors.js";
import { renderChatML } from "../../src/prompts/chatml.js";
import { requireTinyModel } from "../helpers.js";

const PROMPT = renderChatML([
  { role: "system", content: "Please reason step by step, and put your final answer within \\boxed{}." },
  { role: "user", content: "What is the sum of the first ten positive integers?" },
]);

describe("embedded llama.cpp engine (tiny model)", () => {
  let engine: Engine;
  before(async () => {
    engine = await createEmbeddedEngine({ modelPath: requireTinyModel(), threads: 2, maxParallel: 4, gpu: false });
  });
  after(() => engine.close());

  const one = async (request: OpenRequest) => (await generateAll(engine, request))[0]!;

  it("describes itself", () => {
    assert.equal(engine.info.kind, "llama.cpp");
    assert.equal(engine.info.model, "tiny-qwen2.gguf");
    assert.equal(engine.info.maxParallel, 4);
    assert.ok(engine.info.contextSize >= 4096);
  });

  it("parses ChatML special tokens as single tokens", async () => {
    assert.equal(await engine.countTokens("<|im_start|>"), 1);
    assert.equal(await engine.countTokens("<|im_end|>"), 1);
  });

  it("is deterministic under a seed and differs across seeds", async () => {
    const request = { prompt: PROMPT, maxTokens: 24, temperature: 1, seed: 7 };
    const a = await one(request);
    const b = await one(request);
    assert.equal(a.text, b.text);
    assert.ok(a.usage.completionTokens > 0);
    const others = await Promise.all([8, 9, 10].map((seed) => one({ ...request, seed })));
    assert.ok(others.some((o) => o.text !== a.text), "three other seeds all gave the same text");
  });

  it("evaluates the prompt once for N samples, and the copied prompt state is exact", async () => {
    const single = await one({ prompt: PROMPT, maxTokens: 20, temperature: 0 });
    const four = await generateAll(engine, { prompt: PROMPT, n: 4, maxTokens: 20, temperature: 0 });
    const promptTokens = await engine.countTokens(PROMPT);
    assert.equal(four.length, 4);
    // Greedy decoding from a copied KV cache must equal decoding from an evaluated one.
    for (const s of four) assert.equal(s.text, single.text);
    assert.equal(four[0]!.usage.promptTokens, promptTokens);
    assert.ok(four[0]!.usage.promptTokensEvaluated <= promptTokens);
    for (const s of four.slice(1)) assert.equal(s.usage.promptTokensEvaluated, 1, "followers evaluate only the last prompt token");
  });

  it("gives N sampled samples different texts, each repeatable under the seed", async () => {
    const request = { prompt: PROMPT, n: 4, maxTokens: 16, temperature: 1, seed: 3 };
    const a = await generateAll(engine, request);
    const b = await generateAll(engine, request);
    assert.deepEqual(a.map((s) => s.text), b.map((s) => s.text));
    assert.ok(new Set(a.map((s) => s.text)).size >= 2, "all four samples were identical");
  });

  it("streams exactly the text it returns, and counts tokens", async () => {
    let streamed = "";
    const [sample] = await engine.open({ prompt: PROMPT, maxTokens: 12, temperature: 0 });
    const segment = await sample!.generate({ onText: (d) => (streamed += d) });
    await sample!.close();
    assert.equal(streamed, segment.text);
    assert.equal(segment.finishReason, "length");
    assert.equal(segment.tokens, 12);
    assert.equal(sample!.usage.completionTokens, segment.tokens);
    assert.ok(sample!.usage.generateMs > 0);
  });

  // Sampled (temperature 1) under a fixed seed: repeatable, and varied enough to cut at a stop string.
  const SAMPLED = { prompt: PROMPT, temperature: 1, seed: 11 };

  it("stops before a stop string and reports which one fired", async () => {
    const free = await one({ ...SAMPLED, maxTokens: 40 });
    assert.ok(free.text.trim().length > 20, `free text too short: ${JSON.stringify(free.text)}`);
    // A stop string taken from the middle of the free-running text.
    const at = Math.floor(free.text.length / 2);
    const stop = free.text.slice(at, at + 3);
    const stopped = await one({ ...SAMPLED, maxTokens: 40, stop: ["never-produced", stop] });
    assert.equal(stopped.finishReason, "stop");
    assert.equal(stopped.stop, stop);
    assert.equal(stopped.text, free.text.slice(0, free.text.indexOf(stop)));
  });

  async function pauseAppendContinue(stop: string, appended: string): Promise<string> {
    const [sample] = await engine.open({ ...SAMPLED, maxTokens: 60, stop: [stop] });
    await sample!.generate();
    sample!.append(appended);
    const segment = await sample!.generate();
    await sample!.close();
    return segment.text;
  }

  it("pauses at a stop, appends text, and continues without re-evaluating the prefix", async () => {
    const free = await one({ ...SAMPLED, maxTokens: 30 });
    const stop = free.text.slice(10, 13);
    const [sample] = await engine.open({ ...SAMPLED, maxTokens: 60, stop: [stop] });
    const first = await sample!.generate();
    assert.equal(first.finishReason, "stop");
    const appended = "\n```output\n55\n```\n";
    sample!.append(appended);
    const before = sample!.usage.evaluatedTokens;
    const appendedTokens = await engine.countTokens(appended);
    const second = await sample!.generate();
    await sample!.close();
    assert.equal(sample!.text, first.text + appended + second.text);
    assert.ok(second.tokens > 0);
    assert.ok(first.text.length >= 10, "the stop fired where it was taken from");
    const evaluatedForContinue = sample!.usage.evaluatedTokens - before;
    assert.ok(
      evaluatedForContinue <= appendedTokens + 4,
      `continuing evaluated ${evaluatedForContinue} tokens for ${appendedTokens} appended ones`,
    );
    // The continuation depends on the appended text: the same text continues the same way, other text differently.
    const again = await pauseAppendContinue(stop, appended);
    assert.equal(again, second.text);
    const others = await Promise.all(["\n```output\n7\n```\n", "\nSo the answer is 3.\n", "\n```output\nNameError\n```\n"].map((t) => pauseAppendContinue(stop, t)));
    assert.ok(others.some((o) => o !== second.text), "the continuation ignored the appended text");
  });

  it("ends a sample at an end-of-generation token and names it", async () => {
    const samples = await generateAll(engine, { prompt: PROMPT, n: 4, maxTokens: 200, temperature: 1, seed: 1 });
    const ended = samples.filter((s) => s.finishReason === "eos");
    assert.ok(ended.length > 0, "no sample of the random model reached an end-of-generation token");
    for (const s of ended) {
      assert.match(s.stop!, /^<\|[a-z_]+\|>$/);
      assert.ok(!s.text.includes(s.stop!));
      assert.ok(s.usage.completionTokens < 200);
    }
  });

  it("stops at the token budget with finish reason 'length'", async () => {
    const s = await one({ prompt: PROMPT, maxTokens: 5, temperature: 0, stop: [] });
    assert.equal(s.finishReason, "length");
    assert.equal(s.usage.completionTokens, 5);
  });

  it("aborts a running sample", async () => {
    const controller = new AbortController();
    let pieces = 0;
    const [sample] = await engine.open({ prompt: PROMPT, maxTokens: 2000, temperature: 1, seed: 1, signal: controller.signal });
    const segment = await sample!.generate({
      onText: () => {
        if (++pieces === 3) controller.abort();
      },
    });
    await sample!.close();
    assert.equal(segment.finishReason, "abort");
    assert.ok(segment.tokens < 50, `aborted after ${segment.tokens} tokens`);
  });

  it("makes a request wait for free samples instead of failing", async () => {
    const held = await engine.open({ prompt: PROMPT, n: 4, maxTokens: 1 });
    let served = false;
    const waiting = engine.open({ prompt: PROMPT, n: 1, maxTokens: 1 }).then((s) => {
      served = true;
      return s;
    });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(served, false);
    await held[0]!.close();
    const [s] = await waiting;
    assert.equal(served, true);
    await s!.close();
    await Promise.all(held.map((h) => h.close()));
  });

  it("refuses a prompt longer than the context with a clear error", async () => {
    const long = "integer sum ".repeat(6000);
    await assert.rejects(
      engine.open({ prompt: long }),
      (e: unknown) => e instanceof QmathError && e.code === "context_overflow" && /context holds/.test(e.message),
    );
  });

  it("refuses more samples than it runs at once", async () => {
    await assert.rejects(engine.open({ prompt: PROMPT, n: 5 }), (e: unknown) => e instanceof QmathError && /at most 4/.test(e.message));
  });
});

describe("loading bad model files", () => {
  const dir = mkdtempSync(join(tmpdir(), "qmath-bad-"));

  it("reports a truncated GGUF instead of crashing", async () => {
    const path = join(dir, "truncated.gguf");
    const full = readFileSync(requireTinyModel());
    writeFileSync(path, full.subarray(0, Math.floor(full.length * 0.7)));
    await assert.rejects(
      createEmbeddedEngine({ modelPath: path, threads: 1, gpu: false }),
      (e: unknown) => e instanceof QmathError && e.code === "model_invalid" && /truncated/.test(e.message),
    );
  });

  it("reports a file that is not GGUF", async () => {
    const path = join(dir, "junk.gguf");
    writeFileSync(path, "this is not a model".repeat(100));
    await assert.rejects(createEmbeddedEngine({ modelPath: path, threads: 1, gpu: false }), (e: unknown) => e instanceof QmathError && e.code === "model_invalid");
  });

  it("reports a missing file", async () => {
    await assert.rejects(
      createEmbeddedEngine({ modelPath: join(dir, "absent.gguf"), threads: 1, gpu: false }),
      (e: unknown) => e instanceof QmathError && e.code === "model_not_found",
    );
  });
});
