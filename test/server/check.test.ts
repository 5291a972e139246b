/** POST /v1/check on a real server: single and batch, the answers of checkSolution(), bad bodies refused. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { checkSolution } from "../../src/check/index.js";
import { createScriptedEngine } from "../../src/engine/scripted.js";
import { createServer, type QmathServer } from "../../src/server/app.js";

async function post(url: string, body: unknown) {
  const res = await fetch(url + "/v1/check", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const WRONG = { problem: "Solve $2x + 3 = 7$.", solution: "$2x + 3 = 7$, so $2x = 10$ and $x = 5$. The answer is $\\boxed{5}$." };
const RIGHT = { problem: "Solve $2x + 3 = 7$.", solution: "$2x + 3 = 7$, so $2x = 4$ and $x = 2$. The answer is $\\boxed{2}$.", reference: "2" };

describe("POST /v1/check", () => {
  let server: QmathServer;
  let url: string;
  before(async () => {
    server = createServer({ engine: createScriptedEngine({ scripts: ["4"] }), threads: 2 });
    url = await server.listen(0);
  });
  after(async () => {
    await server.close();
  });

  it("checks one solution as checkSolution() does (snake_case fields)", async () => {
    const r = await post(url, WRONG);
    assert.equal(r.status, 200);
    const want = checkSolution(WRONG);
    assert.deepEqual(r.json, { steps: want.steps, first_error: 1, final_answer: want.finalAnswer });
    assert.match(String((r.json.steps as { reason: string }[])[1]!.reason), /subtracting \$3\$ from both sides gives \$2x = 4\$/);
  });

  it("checks a batch in order", async () => {
    const items = [WRONG, RIGHT, { ...RIGHT, reference: 3 }, { problem: "p", solution: "$1 + 1 = 2$", reference: null }];
    const r = await post(url, { items });
    assert.equal(r.status, 200);
    const results = r.json.results as { first_error: number | null; final_answer: { verdict: string } }[];
    assert.deepEqual(results.map((x) => x.first_error), [1, null, null, null]);
    assert.deepEqual(results.map((x) => x.final_answer.verdict), ["incorrect", "correct", "incorrect", "unknown"]);
  });

  it("explain: the server's model words each first error, labelled as the model's", async () => {
    const r = await post(url, { ...WRONG, explain: true });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.explanation, { by: "model", model: "scripted", step: 1, text: "4", finish_reason: "eos" });
    const batch = await post(url, { items: [RIGHT, WRONG], explain: true });
    const results = batch.json.results as { explanation?: { step: number } }[];
    assert.equal(results[0]!.explanation, undefined);
    assert.equal(results[1]!.explanation!.step, 1);
  });

  it("vote: the server's model judges a final answer nothing exact can, by majority, and says so", async () => {
    const r = await post(url, { problem: "How many divisors does 6 have?", solution: "They are 1, 2, 3, 6: $\\boxed{4}$.", vote: 3 });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.final_answer, { answer: "4", verdict: "correct", method: "model-vote", reason: "the model's majority answer: 3 of 3 samples of scripted agree on $4$ (a vote, not an exact check)" });
    const exact = await post(url, { ...RIGHT, vote: 3 });
    assert.equal((exact.json.final_answer as { method: string }).method, "reference");
    assert.equal((await post(url, { ...RIGHT, vote: 65 })).status, 400);
  });

  it("POST /v1/hint: one hint from the server's model, with the work checked", async () => {
    const res = await fetch(url + "/v1/hint", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ problem: "Solve $2x + 3 = 7$.", work: "$2x + 3 = 7$, so $2x = 10$.", level: 2, n: 2 }) });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { hint: Record<string, unknown>; work: { first_error: number } };
    assert.deepEqual(body.hint, { level: 2, text: "4", by: "model", model: "scripted", attempts: 1, cut: false });
    assert.equal(body.work.first_error, 1);
    const bad = await fetch(url + "/v1/hint", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ problem: "p", level: 4 }) });
    assert.equal(bad.status, 400);
  });

  it("refuses a body without a solution, naming the field", async () => {
    const r = await post(url, { problem: "p" });
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.json), /solution/);
    const bad = await post(url, { problem: "p", solution: ["x"] });
    assert.equal(bad.status, 400);
  });
});
