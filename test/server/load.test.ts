/**
 * Load on loopback: 200 concurrent streaming clients against a queue of 16, on the tiny
 * model. Every request completes or is refused with 429; nothing hangs; the admission
 * count, the engine's samples and the heap return to where they started.
 */
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, it } from "node:test";
import { createEmbeddedEngine } from "../../src/engine/embedded/llama-engine.js";
import { createServer } from "../../src/server/app.js";
import { requireTinyModel } from "../helpers.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function streamOnce(url: string, i: number): Promise<{ status: number; done: boolean }> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "tiny-qwen2.gguf", messages: [{ role: "user", content: `Problem ${i}: what is ${i} + 1?` }], max_tokens: 8, temperature: 1, seed: i, stream: true }),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  return { status: res.status, done: res.status === 200 && text.trimEnd().endsWith("data: [DONE]") };
}

describe("load", () => {
  it("200 concurrent streaming clients against a queue of 16", async () => {
    const engine = await createEmbeddedEngine({ modelPath: requireTinyModel(), threads: 2, maxParallel: 8, gpu: false });
    const server = createServer({ engine, queueSize: 16 });
    const url = await server.listen(0);
    try {
      await streamOnce(url, -1); // warm up
      const before = heapAfterGc();
      for (let round = 0; round < 2; round++) {
        const results = await Promise.all(Array.from({ length: 200 }, (_, i) => streamOnce(url, round * 1000 + i)));
        const completed = results.filter((r) => r.done).length;
        const refused = results.filter((r) => r.status === 429).length;
        assert.equal(completed + refused, 200, `statuses: ${JSON.stringify(results.map((r) => r.status))}`);
        assert.ok(completed >= 16, `${completed} completed`);
        assert.equal(server.gate.depth, 0);
      }
      // Every sample slot is free again: a request for all 8 at once is served at once.
      const all = await engine.open({ prompt: "hi", n: 8, maxTokens: 1 });
      await Promise.all(all.map((s) => s.close()));
      const grown = heapAfterGc() - before;
      assert.ok(grown < 8 * 1024 * 1024, `the heap grew by ${(grown / 1024 / 1024).toFixed(1)} MiB over 400 requests`);
    } finally {
      await server.close();
    }
  });
});
