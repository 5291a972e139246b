/**
 * Grading, extraction and rule rewards in worker threads, through the server: the answers are
 * the in-thread functions' answers (tiny requests inline, batches in chunks over two workers);
 * a worker that dies or hangs fails its request with a clear 500 and the server goes on
 * serving; a response too long to read is refused naming the field.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { equivalent } from "../../src/answers/equivalent.js";
import { extractAnswer, MAX_RESPONSE_CHARS } from "../../src/answers/extract.js";
import { answerStyleOf } from "../../src/datasets/registry.js";
import { createScriptedEngine } from "../../src/engine/scripted.js";
import { computeRewards } from "../../src/rewards/grpo.js";
import { createServer, type QmathServer } from "../../src/server/app.js";
import { CHUNK_ITEMS, INLINE_EXTRACT_CHARS, MathWorkers } from "../../src/server/math-work.js";

async function post(url: string, path: string, body: unknown) {
  const res = await fetch(url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function start(options: { work?: MathWorkers; threads?: number; bodyLimit?: number } = {}): Promise<{ server: QmathServer; url: string }> {
  const server = createServer({ engine: createScriptedEngine({ scripts: ["4"] }), ...options });
  return { server, url: await server.listen(0) };
}

/** Answers in many notations, and variants of each that are and are not the same. */
const ANSWERS = [
  "\\frac{1}{2}", "0.5", "3\\sqrt{2}", "\\sqrt{18}", "x^2+1", "1+x^2", "(1, 2)", "[0, 1)", "\\{1,2,3\\}", "\\{3,2,1\\}",
  "12\\%", "0.12", "2\\pi", "\\pi/3", "60^\\circ", "e^{i\\pi}", "-1", "10{,}000", "10000", "\\text{(C)}", "C", "4:30 p.m.",
  "16:30", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "x = 12", "12", "\\dfrac{3}{4}", "0.75", "2^{10}", "1024", "yes", "\\infty",
  "a+b", "b+a", "\\sin x", "-\\frac{1}{3}", "1\\frac{1}{2}", "3/2", "\\$18.00", "18", "5\\text{ cm}", "x\\in[1,3]",
];

const RESPONSES = [
  "We simplify step by step.\n\nThus the answer is $\\boxed{\\frac{1}{2}}$.",
  "The solutions are $\\boxed{2}$ and $\\boxed{3}$.",
  "Final Answer: The final answer is $\\frac{3}{4}$. I hope it is correct.",
  "She has 5 + 3 = <<5+3=8>>8 apples.\n#### 8",
  "9 + 6 = <<9+6=15>>15 liters of water out of the 24 liters.",
  "Therefore, the answer is (B).",
  "blah 4 and 5\nAnswer: Option C",
  "所以答案是 12。",
  "I do not know.",
  "First 3 then 4, finally we get 1,234 apples",
];
const DATASETS = [undefined, "math500", "gsm8k", "aqua", "mmlu_stem"];

describe("math work in worker threads", () => {
  let server: QmathServer;
  let url: string;
  before(async () => {
    ({ server, url } = await start({ threads: 3 })); // two workers
  });
  after(async () => {
    await server.close();
  });

  it("grades exactly as equivalent() does, one pair at a time and in chunked batches", async () => {
    const pairs = ANSWERS.flatMap((pred) => ANSWERS.map((gold) => ({ pred, gold })));
    assert.ok(pairs.length > 10 * CHUNK_ITEMS);
    const want = pairs.map((p) => equivalent(p.pred, p.gold));
    assert.ok(want.every((r) => r.reason !== "timeout"));
    const batch = await post(url, "/v1/grade", { items: pairs });
    assert.equal(batch.status, 200);
    assert.deepEqual(batch.json.results, want);
    for (let k = 0; k < pairs.length; k += 37) assert.deepEqual((await post(url, "/v1/grade", pairs[k])).json, want[k], JSON.stringify(pairs[k]));
    assert.ok(server.work.stats.workers >= 1);
  });

  it("extracts exactly as extractAnswer() does, inline and in workers", async () => {
    const items = DATASETS.flatMap((dataset) => RESPONSES.map((response) => ({ response, ...(dataset && { dataset }) })));
    // long responses go to the workers
    const long = items.map((it, k) => ({ ...it, response: `${`Some reasoning ${k}. `.repeat(400)}${it.response}` }));
    assert.ok(long[0]!.response.length > INLINE_EXTRACT_CHARS);
    for (const set of [items, long]) {
      const want = set.map((it) => ({ answer: extractAnswer(it.response, { answerStyle: answerStyleOf(it.dataset) }) }));
      const r = await post(url, "/v1/extract", { items: set });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.results, want);
      for (let k = 0; k < set.length; k += 7) assert.deepEqual((await post(url, "/v1/extract", set[k])).json, want[k]);
    }
  });

  it("computes rule rewards exactly as computeRewards() does", async () => {
    const items = RESPONSES.flatMap((response, k) => ANSWERS.slice(0, 12).map((reference) => ({ problem: `p${k}`, response, reference })));
    const options = { format: 0.1, length: { budget: 40, penalty: 0.5 } };
    const want = await computeRewards(items, options);
    const r = await post(url, "/v1/reward", { items, format_reward: 0.1, length: { budget: 40, penalty: 0.5 } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.results, want);
  });

  it("refuses a response longer than extraction reads, naming the field", async () => {
    const big = await start({ bodyLimit: 4 * MAX_RESPONSE_CHARS });
    try {
      const response = "x".repeat(MAX_RESPONSE_CHARS + 1);
      const r = await post(big.url, "/v1/extract", { items: [{ response: "1" }, { response }] });
      assert.equal(r.status, 400);
      const error = r.json.error as { message: string; param: string };
      assert.equal(error.param, "items[1].response");
      assert.match(error.message, /must NOT have more than 1000000 characters/);
      const reward = await post(big.url, "/v1/reward", { items: [{ problem: "p", response, reference: "1" }] });
      assert.equal(reward.status, 400);
      assert.equal((reward.json.error as { param: string }).param, "items[0].response");
    } finally {
      await big.server.close();
    }
  });
});

describe("a worker that dies or hangs", () => {
  const faulty = new URL(`./faulty-math-worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);
  // more than the inline limit, so the pairs go to a worker
  const batch = (pred: string) => ({ items: [{ pred, gold: "1" }, ...Array.from({ length: 5 }, () => ({ pred: "0.5", gold: "\\frac{1}{2}" }))] });
  const EQUAL = { equivalent: true, reason: "equal" };

  for (const [fault, message] of [
    ["exit", /The worker thread stopped \(exit code 3\)\. The request was not finished\./],
    ["spin", /The worker thread did not finish its task within \d+ ms and was replaced\. The request was not finished\./],
  ] as const) {
    it(`${fault}: its request is answered with a 500 naming it, and the server goes on serving`, async () => {
      const work = new MathWorkers(1, faulty);
      const { server, url } = await start({ work });
      try {
        const failing = post(url, "/v1/grade", batch(fault));
        const health = await fetch(`${url}/health`);
        assert.equal(health.status, 200);
        const r = await failing;
        assert.equal(r.status, 500);
        const error = r.json.error as { message: string; code: string; type: string };
        assert.equal(error.code, "worker_failed");
        assert.equal(error.type, "server_error");
        assert.match(error.message, message);
        const next = await post(url, "/v1/grade", batch("0.5"));
        assert.equal(next.status, 200);
        assert.deepEqual(next.json.results, Array(6).fill(EQUAL).map((e, k) => (k === 0 ? { equivalent: false, reason: "different" } : e)));
        assert.equal(work.stats.replaced, 1);
      } finally {
        await server.close();
        await work.close();
      }
    });
  }
});
