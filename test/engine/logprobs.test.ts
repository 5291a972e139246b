/**
 * Log-probabilities from the embedded engine on the tiny model with the real Qwen2.5
 * vocabulary: one entry per token of the text, the chosen token's probability in the
 * distribution it was drawn from, its likeliest alternatives, and the token's own bytes.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createEmbeddedEngine } from "../../src/engine/embedded/llama-engine.js";
import { createScriptedEngine } from "../../src/engine/scripted.js";
import type { Engine, OpenRequest, Segment } from "../../src/engine/types.js";
import { QmathError } from "../../src/errors.js";
import { requireTinyQwen25Model } from "../helpers.js";

const PROMPT = "<|im_start|>user\nWhat is 12 * 7? Écris la réponse en français, s'il vous plaît: ∑ ∫ √<|im_end|>\n<|im_start|>assistant\n";

async function one(engine: Engine, request: Omit<OpenRequest, "prompt">): Promise<Segment> {
  const [sample] = await engine.open({ prompt: PROMPT, ...request });
  try {
    return await sample!.generate();
  } finally {
    await sample!.close();
  }
}

const bytesOf = (seg: Segment) => Buffer.from(seg.logprobs!.flatMap((e) => e.bytes));

describe("embedded engine: logprobs", () => {
  let engine: Engine;
  before(async () => {
    engine = await createEmbeddedEngine({ modelPath: requireTinyQwen25Model(), threads: 2, maxParallel: 2, gpu: false });
  });
  after(() => engine.close());

  it("greedy: one entry per generated token; the chosen token is the likeliest of the vocabulary", async () => {
    const seg = await one(engine, { temperature: 0, maxTokens: 12, logprobs: 4 });
    assert.notEqual(seg.finishReason, "stop");
    assert.ok(seg.tokens > 0);
    assert.equal(seg.logprobs!.length, seg.tokens);
    for (const e of seg.logprobs!) {
      assert.ok(e.logprob <= 0 && e.logprob > -9999, `logprob ${e.logprob}`);
      assert.equal(e.top.length, 4);
      for (let i = 1; i < e.top.length; i++) assert.ok(e.top[i - 1]!.logprob >= e.top[i]!.logprob, "alternatives most likely first");
      assert.deepEqual(e.top[0]!.bytes, e.bytes);
      assert.ok(Math.abs(e.top[0]!.logprob - e.logprob) < 1e-6);
      assert.ok(e.top.reduce((a, t) => a + Math.exp(t.logprob), 0) <= 1 + 1e-6);
    }
  });

  // Sampled under a seed, the random-weight model writes tokens of many scripts (multi-byte characters).
  const SAMPLED = { temperature: 1, seed: 3, maxTokens: 24 } as const;

  it("sampled: the tokens' own bytes, joined, are the text's UTF-8; asking for logprobs changes no token", async () => {
    const seg = await one(engine, { ...SAMPLED, logprobs: 2 });
    assert.equal(seg.logprobs!.length, seg.tokens);
    assert.ok(Buffer.byteLength(seg.text, "utf8") > seg.text.length, "the text has multi-byte characters");
    assert.deepEqual(bytesOf(seg), Buffer.from(seg.text, "utf8"));
    assert.equal(seg.logprobs!.map((e) => e.token).join(""), seg.text);
    const without = await one(engine, SAMPLED);
    assert.equal(without.text, seg.text);
    assert.equal(without.logprobs, undefined);
  });

  it("sampling: the probabilities are those of the distribution sampled from (top-k keeps k tokens)", async () => {
    const seg = await one(engine, { temperature: 0.8, topK: 3, seed: 7, maxTokens: 8, logprobs: 5 });
    for (const e of seg.logprobs!) {
      assert.ok(e.top.length <= 3, "only the top-k tokens have any probability");
      const total = e.top.reduce((a, t) => a + Math.exp(t.logprob), 0);
      assert.ok(Math.abs(total - 1) < 1e-4, `the kept tokens' probabilities sum to 1 (got ${total})`);
      assert.ok(e.top.some((t) => t.token === e.token && Math.abs(t.logprob - e.logprob) < 1e-6), "the chosen token is among them");
    }
  });

  it("a stop string: entries for the tokens whose text starts before it, the cut token included", async () => {
    const full = await one(engine, { ...SAMPLED, logprobs: 0 });
    // Cut near the middle, at a place whose next characters occur nowhere earlier.
    let cut = Math.floor(full.text.length / 2);
    const stopAt = (c: number) => full.text.slice(c, c + 2);
    while (full.text.indexOf(stopAt(cut)) !== cut) cut++;
    const seg = await one(engine, { ...SAMPLED, logprobs: 0, stop: [stopAt(cut)] });
    assert.equal(seg.finishReason, "stop");
    assert.equal(seg.text, full.text.slice(0, cut));
    const textBytes = Buffer.byteLength(seg.text, "utf8");
    let start = 0;
    let expected = 0;
    for (const e of full.logprobs!) {
      if (start < textBytes) expected++;
      start += e.bytes.length;
    }
    assert.ok(expected < full.logprobs!.length);
    assert.equal(seg.logprobs!.length, expected);
    assert.deepEqual(seg.logprobs, full.logprobs!.slice(0, expected));
  });

  it("a bad number of alternatives is refused naming the field", async () => {
    await assert.rejects(engine.open({ prompt: PROMPT, logprobs: 21 }), (e: unknown) => e instanceof QmathError && e.code === "bad_input" && /logprobs = 21/.test(e.message));
  });

  it("the scripted engine refuses logprobs (recorded text has none)", async () => {
    const scripted = createScriptedEngine({ scripts: ["42"] });
    await assert.rejects(scripted.open({ prompt: "x", logprobs: 0 }), (e: unknown) => e instanceof QmathError && e.code === "bad_input" && /logprobs/.test(e.message));
    await scripted.close();
  });
});
