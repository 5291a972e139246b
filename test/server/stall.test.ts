/**
 * The attack of issue 11: requests whose grading or extraction takes seconds of CPU, sent to
 * a `qmath serve` process while other clients poll /health and stream a completion. Before
 * grading and extraction left the event loop, a 0.9 MB /v1/grade batch held /health for
 * 11 s. Now every /health answer must come back within HEALTH_BOUND_MS (far above the
 * < 100 ms p99 that bench:server measures, so a loaded 2-core machine passes; far below the
 * seconds of the old stall), and a stream must keep flowing.
 */
import assert from "node:assert/strict";
import { after, before, describe, it, type TestContext } from "node:test";
import { extractAnswer } from "../../src/answers/extract.js";
import { answerStyleOf } from "../../src/datasets/registry.js";
import { requireTinyModel, spawnServe, type ServeProcess } from "../helpers.js";
import { backtrackingChoices, largeSetPairs, slowExtractions } from "../answers/slow-inputs.js";

const HEALTH_BOUND_MS = 500;
const BODY_LIMIT = 1024 * 1024;

async function post(url: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown>; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(120_000) });
  const json = (await res.json()) as Record<string, unknown>;
  return { status: res.status, json, ms: performance.now() - started };
}

/** Latencies of GET /health from `clients` clients polling one after another until `work` settles. */
async function healthWhile(url: string, work: Promise<unknown>, clients = 4): Promise<number[]> {
  let done = false;
  void work.finally(() => (done = true)).catch(() => {});
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (!done) {
        const started = performance.now();
        // A health check that does not answer within 10 s counts as 10 s.
        const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) }).catch(() => null);
        if (res) assert.equal(((await res.json()) as { status: string }).status, "ok");
        latencies.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 5));
      }
    }),
  );
  return latencies;
}

function assertQuick(t: TestContext, latencies: number[], what: string): void {
  const sorted = [...latencies].sort((a, b) => a - b);
  const summary = `${latencies.length} /health answers while ${what}: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`;
  t.diagnostic(summary);
  assert.ok(sorted.at(-1)! < HEALTH_BOUND_MS, summary);
  assert.ok(latencies.length >= 10, `too few answers to judge: ${summary}`);
}

describe("no request stalls the server", () => {
  let serve: ServeProcess;
  before(async () => {
    serve = await spawnServe(["--model", requireTinyModel(), "--port", "0", "--threads", "1"]);
  });
  after(async () => {
    serve.child.kill("SIGTERM");
    await new Promise((r) => serve.child.on("exit", r));
  });

  it("/health answers at once while a maximal /v1/grade batch of large sets runs", async (t) => {
    const body = { items: largeSetPairs(200) };
    assert.ok(JSON.stringify(body).length < BODY_LIMIT);
    const grading = post(serve.url, "/v1/grade", body);
    const latencies = await healthWhile(serve.url, grading);
    const graded = await grading;
    assert.equal(graded.status, 200, JSON.stringify(graded.json).slice(0, 300));
    const results = graded.json.results as { equivalent: boolean; reason: string }[];
    assert.equal(results.length, 200);
    // Each pair runs into (or up to) the grading bound: the batch is seconds of real work, answered, not refused.
    assert.ok(results.every((r) => !r.equivalent && (r.reason === "timeout" || r.reason === "different")), JSON.stringify(results.slice(0, 3)));
    assert.ok(graded.ms > 1000, `the batch took only ${graded.ms.toFixed(0)} ms: not the attack`);
    assertQuick(t, latencies, `a ${(JSON.stringify(body).length / 1e6).toFixed(2)} MB grade batch ran for ${graded.ms.toFixed(0)} ms`);
  });

  it("/health answers at once while four 1 MB /v1/extract bodies run", async (t) => {
    // each body: the quadratic shapes at 200 kB each, and the backtracking multiple-choice ones
    const items = [...slowExtractions(200_000), ...slowExtractions(200_000), ...backtrackingChoices(300)];
    const body = { items: items.map(({ response, dataset }) => ({ response, ...(dataset && { dataset }) })) };
    assert.ok(JSON.stringify(body).length < BODY_LIMIT);
    const extracting = Promise.all(Array.from({ length: 4 }, () => post(serve.url, "/v1/extract", body)));
    const latencies = await healthWhile(serve.url, extracting);
    const want = items.map((it) => extractAnswer(it.response, { answerStyle: answerStyleOf(it.dataset) }));
    for (const r of await extracting) {
      assert.equal(r.status, 200);
      assert.deepEqual((r.json.results as { answer: string | null }[]).map((x) => x.answer), want);
    }
    assertQuick(t, latencies, "four 1 MB extraction bodies ran");
  });

  it("a streamed completion keeps flowing while a maximal /v1/grade batch runs", async (t) => {
    const grading = post(serve.url, "/v1/grade", { items: largeSetPairs(200) });
    await new Promise((r) => setTimeout(r, 200)); // the batch is in the workers
    const started = performance.now();
    const res = await fetch(`${serve.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "tiny-qwen2.gguf", messages: [{ role: "user", content: "What is 2+2?" }], max_tokens: 16, stream: true, seed: 1 }),
    });
    assert.equal(res.status, 200);
    const gaps: number[] = []; // the first is the time to the first chunk
    let last = started;
    let text = "";
    for await (const chunk of res.body!) {
      const now = performance.now();
      gaps.push(now - last);
      last = now;
      text += Buffer.from(chunk).toString();
    }
    const total = performance.now() - started;
    assert.ok(text.trimEnd().endsWith("data: [DONE]"), text.slice(-200));
    const graded = await grading;
    assert.equal(graded.status, 200);
    assert.ok(graded.ms > total, `the stream (${total.toFixed(0)} ms) did not overlap the batch (${graded.ms.toFixed(0)} ms)`);
    t.diagnostic(`stream of ${gaps.length} chunks in ${total.toFixed(0)} ms during the batch; largest gap ${Math.max(...gaps).toFixed(0)} ms`);
    assert.ok(Math.max(...gaps) < HEALTH_BOUND_MS, `gaps between stream chunks: ${gaps.map((g) => g.toFixed(0)).join(", ")} ms`);
  });
});
