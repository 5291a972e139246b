/**
 * The embedded llama.cpp engine, run for real on the tiny random-weight Qwen2 model that
 * `npm run make-test-model:tiny` writes: what only this engine does (the prompt state copied
 * to N samples, waiting for free sequences, model files). What every engine does (stops,
 * append and continue, seeds, aborts, usage, limits) is the engine contract
 * (contract.ts, contract-embedded.test.ts).
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
    engine = await createEmbeddedEngine({ modelPath: requireTinyModel(), threads: 1, maxParallel: 4, gpu: false });
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

  it("refuses more samples at once than llama.cpp holds, before loading the model", async () => {
    await assert.rejects(
      createEmbeddedEngine({ modelPath: requireTinyModel(), threads: 1, maxParallel: 257, gpu: false }),
      (e: unknown) => e instanceof QmathError && e.code === "bad_input" && /^maxParallel = 257 is not allowed: .*from 1 to 256/.test(e.message),
    );
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
