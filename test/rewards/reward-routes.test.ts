/** POST /v1/reward on a bare Fastify app with the reward routes (and qmath's error handler). */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { toHttpError } from "../../src/server/errors.js";
import { MathWorkers } from "../../src/server/math-work.js";
import { registerRewardRoutes } from "../../src/server/reward-routes.js";
import { createOutcomeRewardModel } from "../../src/rewards/clients/outcome-rm.js";
import { startStandIn, type StandIn } from "./standin.js";

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} is not ${b}`);

async function app(ctx: Omit<Parameters<typeof registerRewardRoutes>[1], "work">): Promise<{ app: FastifyInstance; url: string }> {
  const a = Fastify();
  const work = new MathWorkers(1);
  a.addHook("onClose", () => work.close());
  a.setErrorHandler((error, _request, reply) => {
    const { status, body } = toHttpError(error);
    return reply.code(status).send(body);
  });
  registerRewardRoutes(a, { ...ctx, work });
  const url = await a.listen({ port: 0, host: "127.0.0.1" });
  return { app: a, url };
}

async function post(url: string, body: unknown) {
  const res = await fetch(`${url}/v1/reward`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

type Result = { rule: number; rm?: number; reward: number; advantage: number; correct: boolean; answer: string | null };

describe("POST /v1/reward", () => {
  let rule: { app: FastifyInstance; url: string };
  let shaped: { app: FastifyInstance; url: string };
  let rm: StandIn;
  before(async () => {
    rule = await app({ maxBatch: 4 });
    rm = await startStandIn({ kind: "pool", model: "Qwen/Qwen2.5-Math-RM-72B", pooled: (input) => [[input.includes("\\boxed{4}") ? 0.6 : -0.2]] });
    shaped = await app({ scorer: createOutcomeRewardModel({ baseUrl: rm.url }) });
  });
  after(async () => {
    await rule.app.close();
    await shaped.app.close();
    await rm.close();
  });

  it("rule reward with format bonus and GRPO advantages per group", async () => {
    const r = await post(rule.url, {
      items: [
        { problem: "2+2", response: "\\boxed{4}", reference: "4", group: "g1" },
        { problem: "2+2", response: "\\boxed{5}", reference: 4, group: "g1" },
        { problem: "2+2", response: "4, so \\boxed{4} or \\boxed{4}", reference: "4", group: "g1" },
        { problem: "1+1", response: "\\boxed{2}", reference: "2" },
      ],
      format_reward: 0.5,
      epsilon: 0,
    });
    assert.equal(r.status, 200);
    const results = r.body.results as Result[];
    assert.deepEqual(
      results.map((x) => x.rule),
      [1.5, 0.5, 1, 1.5],
    );
    // g1 rewards [1.5, 0.5, 1]: mean 1, std sqrt(1/6)
    const std = Math.sqrt(1 / 6);
    close(results[0]!.advantage, 0.5 / std);
    close(results[1]!.advantage, -0.5 / std);
    assert.equal(results[2]!.advantage, 0);
    assert.equal(results[3]!.advantage, 0);
    assert.ok(!("rm" in results[0]!));
  });

  it("length penalty", async () => {
    const r = await post(rule.url, { items: [{ problem: "p", response: `${"x".repeat(90)}\\boxed{4}`, reference: "4" }], length: { budget: 49, penalty: 1, window: 100 } });
    close((r.body.results as Result[])[0]!.rule, 1 - 0.5); // 99 characters: 50 over a window of 100
  });

  it("shaped reward with the reward model (alpha 0.5 by default)", async () => {
    const items = [
      { problem: "2+2", response: "\\boxed{4}", reference: "4" },
      { problem: "2+2", response: "\\boxed{3}", reference: "4" },
    ];
    const r = await post(shaped.url, { items, epsilon: 0 });
    const results = r.body.results as Result[];
    assert.deepEqual(
      results.map((x) => x.rm),
      [0.6, -0.2],
    );
    close(results[0]!.reward, 0.8);
    close(results[1]!.reward, -0.1);
    close(results[0]!.advantage, 1);
    close(results[1]!.advantage, -1);
    const a = await post(shaped.url, { items, alpha: 1 });
    close((a.body.results as Result[])[1]!.reward, -0.2);
    const off = await post(shaped.url, { items, use_rm: false });
    assert.deepEqual(
      (off.body.results as Result[]).map((x) => [x.reward, x.rm]),
      [
        [1, undefined],
        [0, undefined],
      ],
    );
  });

  it("validates the body (OpenAI-style 400s)", async () => {
    for (const body of [
      {},
      { items: [{ problem: "p", response: "r" }] },
      { items: [], alpha: 2 },
      { items: [], length: { budget: 0, penalty: 1 } },
      { items: Array.from({ length: 5 }, () => ({ problem: "p", response: "r", reference: "1" })) },
    ]) {
      const r = await post(rule.url, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal((r.body.error as { code: string }).code, "invalid_request");
    }
    const noRm = await post(rule.url, { items: [], use_rm: true });
    assert.equal(noRm.status, 400);
    assert.match((noRm.body.error as { message: string }).message, /no reward model/);
  });

  it("a reward model server that fails is a 500 naming its answer", async () => {
    const broken = await startStandIn({ kind: "raw", status: 404, body: '{"detail":"Not Found"}' });
    const a = await app({ scorer: createOutcomeRewardModel({ baseUrl: broken.url }) });
    try {
      const r = await post(a.url, { items: [{ problem: "p", response: "r", reference: "1" }] });
      assert.equal(r.status, 500);
      assert.equal((r.body.error as { code: string }).code, "engine_failed");
      assert.match((r.body.error as { message: string }).message, /has no Pooling API \(HTTP 404: Not Found\)/);
    } finally {
      await a.app.close();
      await broken.close();
    }
  });
});
