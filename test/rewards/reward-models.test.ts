/**
 * The reward model clients against a stand-in for vLLM's Pooling API: the exact request
 * (ChatML conversation, model, <extra_0> layout), the scores taken from the response, and
 * the errors when the server does not serve a reward model.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { isQmathError } from "../../src/errors.js";
import { createOutcomeRewardModel } from "../../src/rewards/clients/outcome-rm.js";
import { createProcessRewardModel, splitSteps } from "../../src/rewards/clients/process-rm.js";
import { solve } from "../../src/solve/solve.js";
import { createScriptedEngine } from "../../src/engine/scripted.js";
import { closedPort } from "../helpers.js";
import { startStandIn, type StandIn } from "./standin.js";

const SYSTEM = "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n";
const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} is not ${b}`);

/** An outcome RM stand-in: one 1-vector per "token" (character here), the last one the score, read from the response's last line. */
function ormPooled(input: string): number[][] {
  const m = /score=(-?[\d.]+)<\|im_end\|>\n$/.exec(input);
  const score = m ? Number(m[1]) : 0;
  return [[0.5], [-3], [score]];
}

describe("Qwen2.5-Math-RM-72B over /pooling", () => {
  let rm: StandIn;
  before(async () => {
    rm = await startStandIn({ kind: "pool", model: "Qwen/Qwen2.5-Math-RM-72B", pooled: ormPooled });
  });
  after(() => rm.close());

  it("sends the ChatML conversation and takes the value at the last token", async () => {
    const scorer = createOutcomeRewardModel({ baseUrl: rm.url, apiKey: "k1" });
    const scores = await scorer.score([
      { problem: "What is 2+2?", response: "2+2=4.\n\n\\boxed{4} score=3.25" },
      { problem: "What is 1+1?", response: "\\boxed{3} score=-1.5" },
    ]);
    assert.deepEqual(scores, [3.25, -1.5]);
    assert.equal(rm.requests.length, 1);
    const req = rm.requests[0]!;
    assert.equal(req.path, "/pooling");
    assert.equal(req.headers.authorization, "Bearer k1");
    assert.deepEqual(req.body, {
      model: "Qwen/Qwen2.5-Math-RM-72B",
      input: [
        `${SYSTEM}<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n2+2=4.\n\n\\boxed{4} score=3.25<|im_end|>\n`,
        `${SYSTEM}<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\n\\boxed{3} score=-1.5<|im_end|>\n`,
      ],
    });
  });

  it("batches requests by batchSize and keeps the order", async () => {
    rm.requests.length = 0;
    const scorer = createOutcomeRewardModel({ baseUrl: `${rm.url}/v1/`, batchSize: 2 });
    const items = [1, 2, 3, 4, 5].map((i) => ({ problem: "p", response: `score=${i}` }));
    assert.deepEqual(await scorer.score(items), [1, 2, 3, 4, 5]);
    assert.deepEqual(
      rm.requests.map((r) => (r.body.input as string[]).length),
      [2, 2, 1],
    );
  });

  it("drives solve()'s select 'rm'", async () => {
    const engine = createScriptedEngine({ scripts: ["\\boxed{5} score=0.1", "\\boxed{4} score=2", "\\boxed{5} score=0.3"] });
    const r = await solve(engine, "What is 2+2?", { n: 3, selection: { method: "rm", rewardScorer: createOutcomeRewardModel({ baseUrl: rm.url }) } });
    assert.deepEqual(r.scores, [0.1, 2, 0.3]);
    assert.equal(r.answer, "4");
  });

  it("names the served model in a model mismatch", async () => {
    const scorer = createOutcomeRewardModel({ baseUrl: rm.url, model: "other" });
    await assert.rejects(scorer.score([{ problem: "p", response: "r" }]), (e: unknown) => {
      assert.ok(isQmathError(e));
      assert.equal(e.code, "engine_failed");
      assert.match(e.message, /HTTP 404: The model `other` does not exist/);
      return true;
    });
  });
});

describe("Qwen2.5-Math-PRM-7B over /pooling", () => {
  let prm: StandIn;
  // STEP pooling: one [negative, positive] probability pair per <extra_0>; step k gets positive 0.9 - 0.2k.
  before(async () => {
    prm = await startStandIn({
      kind: "pool",
      model: "Qwen/Qwen2.5-Math-PRM-7B",
      pooled: (input) => input.split("<extra_0>").slice(0, -1).map((_, k) => [0.1 + 0.2 * k, 0.9 - 0.2 * k]),
    });
  });
  after(() => prm.close());

  it("splits steps on blank lines and ends each with <extra_0>", async () => {
    assert.deepEqual(splitSteps("a\n\nb\n\n\n\nc\n"), ["a", "b", "c"]);
    assert.deepEqual(splitSteps(""), [""]);
    const scorer = createProcessRewardModel({ baseUrl: prm.url });
    const steps = await scorer.scoreSteps("What is 2+2?", "First, 2+2.\n\nThat is 4.\n\nSo \\boxed{4}.");
    assert.equal(steps.length, 3);
    close(steps[0]!, 0.9);
    close(steps[1]!, 0.7);
    close(steps[2]!, 0.5);
    assert.deepEqual(prm.requests[0]!.body, {
      model: "Qwen/Qwen2.5-Math-PRM-7B",
      input: [`${SYSTEM}<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\nFirst, 2+2.<extra_0>That is 4.<extra_0>So \\boxed{4}.<extra_0><|im_end|>\n`],
    });
  });

  it("reduces step scores by min (default) or product", async () => {
    const items = [
      { problem: "p", response: "a\n\nb" },
      { problem: "p", response: "only" },
    ];
    const min = await createProcessRewardModel({ baseUrl: prm.url }).score(items);
    close(min[0]!, 0.7);
    close(min[1]!, 0.9);
    const product = await createProcessRewardModel({ baseUrl: prm.url, reduce: "product" }).score(items);
    close(product[0]!, 0.9 * 0.7);
    close(product[1]!, 0.9);
  });

  it("applies a softmax to step vectors that are logits", async () => {
    const logits = await startStandIn({ kind: "pool", model: "Qwen/Qwen2.5-Math-PRM-7B", pooled: () => [[0, Math.log(3)]] });
    try {
      const steps = await createProcessRewardModel({ baseUrl: logits.url }).scoreSteps("p", "one step");
      close(steps[0]!, 0.75); // e^ln3 / (1 + e^ln3)
    } finally {
      await logits.close();
    }
  });

  it("explains a server that pools every token instead of the step tags", async () => {
    const all = await startStandIn({ kind: "pool", model: "Qwen/Qwen2.5-Math-PRM-7B", pooled: () => [[0.2, 0.8], [0.3, 0.7], [0.4, 0.6], [0.5, 0.5]] });
    try {
      await assert.rejects(createProcessRewardModel({ baseUrl: all.url }).scoreSteps("p", "a\n\nb"), (e: unknown) => {
        assert.ok(isQmathError(e));
        assert.match(e.toLine(), /returned 4 step vectors for a response of 2 steps\. .*--pooler-config '\{"step_tag_id": 151651\}'/);
        return true;
      });
    } finally {
      await all.close();
    }
  });

  it("refuses a request time limit a timer cannot hold (it would fire after 1 ms)", () => {
    for (const create of [createOutcomeRewardModel, createProcessRewardModel])
      for (const timeoutMs of [2 ** 31, 2 ** 32, 0, NaN])
        assert.throws(
          () => create({ baseUrl: prm.url, timeoutMs }),
          (e: unknown) => isQmathError(e) && e.code === "bad_input" && e.message.startsWith("reward model option timeoutMs must be") && e.message.includes(`not ${timeoutMs}.`),
        );
  });

  it("refuses an outcome reward model's output", async () => {
    await assert.rejects(createProcessRewardModel({ baseUrl: prm.url.replace(/\d+$/, "1"), timeoutMs: 2000 }).score([{ problem: "p", response: "r" }]), /could not be reached/);
    const orm = await startStandIn({ kind: "pool", model: "Qwen/Qwen2.5-Math-PRM-7B", pooled: () => [[0.1], [2.5]] });
    try {
      await assert.rejects(createProcessRewardModel({ baseUrl: orm.url }).score([{ problem: "p", response: "r" }]), /did not return a 2-class vector per step/);
    } finally {
      await orm.close();
    }
  });
});

describe("servers that are not reward models", () => {
  const cases: { name: string; status: number; body: string; message: RegExp }[] = [
    { name: "no /pooling route (404)", status: 404, body: '{"detail":"Not Found"}', message: /has no Pooling API \(HTTP 404: Not Found\), so it does not serve a reward model/ },
    {
      name: "a generative model (vLLM's error body)",
      status: 400,
      body: '{"error":{"message":"The model does not support Pooling API","type":"BadRequestError","param":null,"code":400}}',
      message: /refused the request \(HTTP 400: The model does not support Pooling API\)/,
    },
    { name: "an older error body with status 200", status: 200, body: '{"object":"error","message":"pooling is disabled","type":"BadRequestError","code":400}', message: /answered with an error: pooling is disabled/ },
    { name: "a body without data", status: 200, body: '{"id":"x","object":"list","model":"m","usage":{}}', message: /has no pooling data for the 1 input sent/ },
    { name: "not JSON", status: 200, body: "<html>hello</html>", message: /not JSON: <html>hello<\/html>/ },
    { name: "data that are not vectors", status: 200, body: '{"data":[{"index":0,"object":"pooling","data":"AAAA"}]}', message: /not pooling output/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const s = await startStandIn({ kind: "raw", status: c.status, body: c.body });
      try {
        await assert.rejects(createOutcomeRewardModel({ baseUrl: s.url }).score([{ problem: "p", response: "r" }]), (e: unknown) => {
          assert.ok(isQmathError(e), String(e));
          assert.match(e.message, c.message);
          assert.match(e.toLine(), /vllm serve/);
          return true;
        });
      } finally {
        await s.close();
      }
    });
  }

  it("a closed port", async () => {
    const port = await closedPort();
    await assert.rejects(createOutcomeRewardModel({ baseUrl: `http://127.0.0.1:${port}` }).score([{ problem: "p", response: "r" }]), /could not be reached \(.*ECONNREFUSED/);
  });

  it("a URL that is not http", async () => {
    await assert.rejects(createOutcomeRewardModel({ baseUrl: "localhost:8000" }).score([{ problem: "p", response: "r" }]), /is not an http\(s\) URL/);
  });
});
