/** qmath score end to end: the built CLI against a stand-in for vLLM's Pooling API. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { assertUserError, runCli } from "../helpers.js";
import { startStandIn, type StandIn } from "../rewards/standin.js";

describe("qmath score", () => {
  let orm: StandIn;
  let prm: StandIn;
  before(async () => {
    orm = await startStandIn({ kind: "pool", model: "Qwen/Qwen2.5-Math-RM-72B", pooled: (input) => [[0], [input.length % 7]] });
    prm = await startStandIn({
      kind: "pool",
      model: "Qwen/Qwen2.5-Math-PRM-7B",
      pooled: (input) => input.split("<extra_0>").slice(0, -1).map((_, k) => [0.25 * k, 1 - 0.25 * k]),
    });
  });
  after(async () => {
    await orm.close();
    await prm.close();
  });

  it("writes one score per line in order, and an error line for a malformed line", async () => {
    const lines = [
      JSON.stringify({ problem: "What is 2+2?", response: "\\boxed{4}" }),
      "{not json",
      "",
      JSON.stringify({ problem: "What is 2+2?", response: "It is \\boxed{5}" }),
      JSON.stringify({ problem: "p" }),
    ];
    const r = await runCli(["score", "--rm-url", orm.url, "--batch-size", "1"], { input: lines.join("\n") + "\n" });
    assert.equal(r.code, 1, r.stderr);
    const len = (response: string) =>
      `<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n${response}<|im_end|>\n`.length % 7;
    assert.deepEqual(
      r.stdout.trim().split("\n").map((l) => JSON.parse(l)),
      [{ score: len("\\boxed{4}") }, { error: "line 2: not valid JSON" }, { score: len("It is \\boxed{5}") }, { error: "line 5: 'response' must be a string" }],
    );
    assert.match(r.stderr, /2 malformed lines/);
    assert.equal(orm.requests.length, 2); // batch size 1, two good lines
  });

  it("--prm writes the step probabilities and their minimum (or product), reading --file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmath-score-"));
    const file = join(dir, "in.jsonl");
    writeFileSync(file, JSON.stringify({ problem: "p", response: "a\n\nb\n\nc" }) + "\n" + JSON.stringify({ problem: "p", response: "one" }) + "\n");
    const r = await runCli(["score", "--rm-url", prm.url, "--prm", "--file", file]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.stdout.trim().split("\n").map((l) => JSON.parse(l)),
      [
        { score: 0.5, steps: [1, 0.75, 0.5] },
        { score: 1, steps: [1] },
      ],
    );
    const p = await runCli(["score", "--rm-url", prm.url, "--prm", "--prm-reduce", "product", "--file", file]);
    assert.equal(JSON.parse(p.stdout.split("\n")[0]!).score, 0.375);
  });

  it("stops with one line when the server is not a reward model", async () => {
    const r = await runCli(["score", "--rm-url", prm.url], { input: JSON.stringify({ problem: "p", response: "r" }) + "\n" });
    assertUserError(r, /^qmath score: The reward model server refused the request \(HTTP 404: The model `Qwen\/Qwen2.5-Math-RM-72B` does not exist\.\)/);
    const flags = await runCli(["score"], { input: "" });
    assertUserError(flags, /--rm-url is required/);
    assertUserError(await runCli(["score", "--rm-url", prm.url, "--prm-reduce", "product"], { input: "" }), /--prm-reduce is only used with a process reward model/);
    assertUserError(await runCli(["score", "--rm-url", prm.url, "--prm", "--prm-reduce", "mean"], { input: "" }), /Unknown --prm-reduce 'mean'\. Use one of min, product\./);
  });
});
