/** qmath serve as a user runs it: the built binary on the tiny model, then SIGTERM. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { assertUserError, requireTinyModel, runCli, spawnServe } from "../helpers.js";
import { startStandIn } from "../rewards/standin.js";

const model = requireTinyModel();

describe("qmath serve", () => {
  it("serves with keys from a file, and stops cleanly on SIGTERM", async () => {
    const keys = join(mkdtempSync(join(tmpdir(), "qmath-serve-")), "keys.txt");
    writeFileSync(keys, "# one key per line\nalpha\nbeta\n");
    const { child, url, stderr } = await spawnServe(["--model", model, "--port", "0", "--api-key-file", keys, "--threads", "1"]);
    assert.match(stderr(), /2 API key\(s\)/);
    assert.equal((await fetch(`${url}/health`)).status, 200);
    assert.equal((await fetch(`${url}/v1/models`)).status, 401);
    assert.equal((await fetch(`${url}/v1/models`, { headers: { authorization: "Bearer beta" } })).status, 200);
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", (c) => resolve(c));
      child.kill("SIGTERM");
    });
    assert.equal(code, 0);
    assert.match(stderr(), /SIGTERM: finishing running requests, then stopping/);
  });

  it("--served-model-name, --cors-origin and the sampling flags as request defaults", async () => {
    const { child, url } = await spawnServe([
      "--model", model, "--port", "0", "--threads", "1",
      "--served-model-name", "qwen-math", "--served-model-name", "Qwen/Qwen2.5-Math-7B-Instruct",
      "--cors-origin", "http://page.example", "--max-tokens", "3", "--temperature", "0",
    ]);
    try {
      const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: { id: string }[] };
      assert.deepEqual(models.data.map((m) => m.id), ["qwen-math", "Qwen/Qwen2.5-Math-7B-Instruct"]);
      const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const chat = (await (await post("/v1/chat/completions", { model: "Qwen/Qwen2.5-Math-7B-Instruct", messages: [{ role: "user", content: "1+1?" }] })).json()) as {
        model: string;
        usage: { completion_tokens: number };
        choices: { message: { content: string } }[];
      };
      assert.equal(chat.model, "Qwen/Qwen2.5-Math-7B-Instruct");
      assert.equal(chat.usage.completion_tokens, 3, "--max-tokens is the default");
      // --temperature 0: requests that set none are greedy, so they repeat.
      const again = (await (await post("/v1/chat/completions", { model: "qwen-math", messages: [{ role: "user", content: "1+1?" }] })).json()) as typeof chat;
      assert.equal(again.choices[0]!.message.content, chat.choices[0]!.message.content);
      const responses = (await (await post("/v1/responses", { model: "qwen-math", input: "1+1?" })).json()) as { output: { content: { text: string }[] }[] };
      assert.equal(responses.output[0]!.content[0]!.text, chat.choices[0]!.message.content);
      assert.equal((await post("/v1/chat/completions", { model: "other", messages: [{ role: "user", content: "x" }] })).status, 404);
      const preflight = await fetch(`${url}/v1/chat/completions`, {
        method: "OPTIONS",
        headers: { origin: "http://page.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get("access-control-allow-origin"), "http://page.example");
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.on("exit", r));
    }
  });

  it("shapes /v1/reward with a reward model given by --rm-url", async () => {
    const rm = await startStandIn({ kind: "pool", model: "Qwen/Qwen2.5-Math-RM-72B", pooled: () => [[0], [0.5]] });
    const { child, url } = await spawnServe(["--model", model, "--port", "0", "--threads", "1", "--rm-url", rm.url]);
    try {
      const res = await fetch(`${url}/v1/reward`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ items: [{ problem: "p", response: "so $\\boxed{4}$", reference: "4" }] }),
      });
      assert.equal(res.status, 200);
      const [result] = ((await res.json()) as { results: { rule: number; rm: number; reward: number }[] }).results;
      assert.deepEqual([result!.rule, result!.rm, result!.reward], [1, 0.5, 0.75]); // 0.5 * 0.5 + 0.5 * 1
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.on("exit", r));
      await rm.close();
    }
  });

  it("answers bad flags with one clear line", async () => {
    assertUserError(await runCli(["serve", "--model", model, "--port", "http"]), /--port must be a whole number from 0 to 65535, not 'http'/);
    assertUserError(await runCli(["serve", "--model", model, "--api-key-file", "/nonexistent/keys"]), /Cannot read the API key file \/nonexistent\/keys/);
    assertUserError(await runCli(["serve", "--model", model, "--queue", "0"]), /--queue must be a whole number from 1 to 4096, not '0'/);
    assertUserError(await runCli(["serve", "--model", model, "--parallel", "512"]), /--parallel 512 is more than the embedded engine decodes at once/);
    // --rm-url is checked before the model loads and the server starts.
    const notRm = await startStandIn({ kind: "raw", status: 404, body: JSON.stringify({ detail: "Not Found" }) });
    try {
      assertUserError(await runCli(["serve", "--model", model, "--rm-url", notRm.url]), /has no Pooling API \(HTTP 404: Not Found\), so it does not serve a reward model/);
    } finally {
      await notRm.close();
    }
  });
});
