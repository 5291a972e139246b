/**
 * The HTTP API, for real: qmath's server on the tiny model, driven by the official `openai`
 * client for the OpenAI routes and by raw HTTP for the errors and the math endpoints.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import OpenAI from "openai";
import { createEmbeddedEngine } from "../../src/engine/embedded/llama-engine.js";
import { createServer, type QmathServer } from "../../src/server/app.js";
import { requireTinyModel } from "../helpers.js";

const KEY = "test-key";
const MODEL = "tiny-qwen2.gguf";

async function startServer(options: { queueSize?: number; bodyLimit?: number; maxParallel?: number } = {}): Promise<{ server: QmathServer; url: string }> {
  const engine = await createEmbeddedEngine({ modelPath: requireTinyModel(), threads: 2, maxParallel: options.maxParallel ?? 4, gpu: false });
  const server = createServer({ engine, apiKeys: [KEY], queueSize: options.queueSize, bodyLimit: options.bodyLimit });
  const url = await server.listen(0);
  return { server, url };
}

async function post(url: string, path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }) {
  const res = await fetch(url + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

/**
 * One request written byte for byte over a socket, so that no client normalises the target
 * (fetch would decode %6D or turn "http://x/metrics" into "/metrics"); resolves to the status.
 */
function rawGet(url: string, target: string, headers: Record<string, string> = {}): Promise<number> {
  const { hostname, port } = new URL(url);
  const head = [`GET ${target} HTTP/1.1`, `Host: ${hostname}:${port}`, "Connection: close", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(head.join("\r\n") + "\r\n\r\n"));
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (d: string) => (answer += d));
    socket.on("error", reject);
    socket.on("close", () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (status) resolve(Number(status[1]));
      else reject(new Error(`no HTTP answer to GET ${target}: ${JSON.stringify(answer.slice(0, 80))}`));
    });
  });
}

/** Server-sent events of a response body, parsed. */
function events(text: string): unknown[] {
  return text
    .split("\n\n")
    .map((block) => block.replace(/^data: /, "").trim())
    .filter((data) => data && data !== "[DONE]")
    .map((data) => JSON.parse(data) as unknown);
}

function assertOpenAiError(r: { status: number; json: () => Record<string, unknown> }, status: number, code?: string) {
  assert.equal(r.status, status);
  const body = r.json() as { error: { message: string; type: string; code: string | null } };
  assert.equal(typeof body.error.message, "string");
  assert.ok(body.error.message.length > 0);
  assert.equal(typeof body.error.type, "string");
  if (code !== undefined) assert.equal(body.error.code, code);
}

describe("the OpenAI-compatible API, through the official client", () => {
  let server: QmathServer;
  let client: OpenAI;
  before(async () => {
    const started = await startServer();
    server = started.server;
    client = new OpenAI({ apiKey: KEY, baseURL: `${started.url}/v1`, maxRetries: 0 });
  });
  after(() => server.close());

  it("lists the model", async () => {
    const models = await client.models.list();
    assert.deepEqual(models.data.map((m) => m.id), [MODEL]);
  });

  it("answers a chat completion with n choices and usage", async () => {
    const r = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "What is 2+2?" }], n: 3, max_tokens: 6, temperature: 1, seed: 4 });
    assert.equal(r.object, "chat.completion");
    assert.equal(r.choices.length, 3);
    for (const c of r.choices) {
      assert.equal(c.message.role, "assistant");
      assert.equal(typeof c.message.content, "string");
      assert.ok(["length", "stop"].includes(c.finish_reason));
    }
    assert.ok(r.usage!.prompt_tokens > 5);
    assert.ok(r.usage!.completion_tokens >= 3 && r.usage!.completion_tokens <= 18);
    assert.equal(r.usage!.total_tokens, r.usage!.prompt_tokens + r.usage!.completion_tokens);
  });

  it("repeats itself under a seed", async () => {
    const ask = () => client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Hi" }], max_tokens: 12, temperature: 1, seed: 9 });
    const [a, b] = await Promise.all([ask(), ask()]);
    assert.equal(a.choices[0]!.message.content, b.choices[0]!.message.content);
  });

  it("streams chat completions, with a usage chunk when asked", async () => {
    const full = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Count." }], max_tokens: 10, temperature: 1, seed: 2 });
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Count." }],
      max_tokens: 10,
      temperature: 1,
      seed: 2,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      for (const c of chunk.choices) {
        text += c.delta.content ?? "";
        finish = c.finish_reason ?? finish;
      }
      usage = chunk.usage ?? usage;
    }
    assert.equal(text, full.choices[0]!.message.content);
    assert.equal(finish, full.choices[0]!.finish_reason);
    assert.equal(usage?.completion_tokens, full.usage?.completion_tokens);
  });

  it("stops at a stop string and names it", async () => {
    const free = await client.completions.create({ model: MODEL, prompt: "<|im_start|>user\nGo<|im_end|>\n<|im_start|>assistant\n", max_tokens: 40, temperature: 1, seed: 11 });
    const text = free.choices[0]!.text;
    assert.ok(text.length > 20, JSON.stringify(text));
    const stop = text.slice(Math.floor(text.length / 2), Math.floor(text.length / 2) + 3);
    const stopped = await client.completions.create({
      model: MODEL,
      prompt: "<|im_start|>user\nGo<|im_end|>\n<|im_start|>assistant\n",
      max_tokens: 40,
      temperature: 1,
      seed: 11,
      stop: [stop],
    });
    const choice = stopped.choices[0]! as OpenAI.CompletionChoice & { stop_reason?: string };
    assert.equal(choice.finish_reason, "stop");
    assert.equal(choice.stop_reason, stop);
    assert.equal(choice.text, text.slice(0, text.indexOf(stop)));
  });

  it("streams completions with n samples", async () => {
    const stream = await client.completions.create({ model: MODEL, prompt: "2+2=", max_tokens: 5, n: 2, temperature: 1, seed: 3, stream: true });
    const texts = ["", ""];
    const finished = new Set<number>();
    for await (const chunk of stream)
      for (const c of chunk.choices) {
        texts[c.index] += c.text;
        if (c.finish_reason) finished.add(c.index);
      }
    assert.deepEqual([...finished].sort(), [0, 1]);
    assert.ok(texts.every((t) => t.length > 0));
  });
});

describe("errors, math endpoints and operations (raw HTTP)", () => {
  let server: QmathServer;
  let url: string;
  before(async () => {
    ({ server, url } = await startServer({ bodyLimit: 16 * 1024 }));
  });
  after(() => server.close());

  const chat = { model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 2 };

  it("answers bad requests with the OpenAI error body and the right status", async () => {
    assertOpenAiError(await post(url, "/v1/chat/completions", "{not json"), 400);
    assertOpenAiError(await post(url, "/v1/chat/completions", { ...chat, n: "two" }), 400, "invalid_request");
    assertOpenAiError(await post(url, "/v1/chat/completions", { ...chat, messages: "hi" }), 400, "invalid_request");
    assertOpenAiError(await post(url, "/v1/chat/completions", { ...chat, temperature: -1 }), 400, "invalid_request");
    assertOpenAiError(await post(url, "/v1/chat/completions", { ...chat, messages: [{ role: "user", content: "x".repeat(20_000) }] }), 413, "body_too_large");
    assertOpenAiError(await post(url, "/v1/chat/completions", chat, {}), 401, "invalid_api_key");
    assertOpenAiError(await post(url, "/v1/chat/completions", chat, { authorization: "Bearer wrong" }), 401, "invalid_api_key");
    assertOpenAiError(await post(url, "/v1/chat/completions", { ...chat, model: "gpt-4" }), 404, "model_not_found");
    assertOpenAiError(await post(url, "/v1/nothing", {}), 404, "not_found");
    const long = { ...chat, messages: [{ role: "user", content: "{}|~".repeat(1500) }] }; // about 6000 tokens, under the body limit
    assertOpenAiError(await post(url, "/v1/chat/completions", long), 400, "context_overflow");
  });

  it("refuses values of the wrong JSON type with a 400 naming the field, instead of converting them", async () => {
    const refused: [path: string, body: unknown, param: string][] = [
      ["/v1/chat/completions", { ...chat, messages: [{ role: "user", content: null }] }, "messages[0].content"],
      ["/v1/chat/completions", { ...chat, messages: [{ role: "system", content: "s" }, { role: "user", content: 5 }] }, "messages[1].content"],
      // Content parts are objects ({type: "text", text}); a bare string in the list is not one.
      ["/v1/chat/completions", { ...chat, messages: [{ role: "user", content: ["hi"] }] }, "messages[0].content[0]"],
      ["/v1/chat/completions", { ...chat, messages: [{ role: "function", content: "hi" }] }, "messages[0].role"],
      ["/v1/chat/completions", { ...chat, stop: 5 }, "stop"],
      ["/v1/chat/completions", { ...chat, stop: ["a", 5] }, "stop[1]"],
      ["/v1/chat/completions", { ...chat, stop: true }, "stop"],
      ["/v1/chat/completions", { ...chat, n: "2" }, "n"],
      ["/v1/chat/completions", { ...chat, stream: "false" }, "stream"],
      ["/v1/chat/completions", { ...chat, temperature: "0.5" }, "temperature"],
      ["/v1/chat/completions", { ...chat, max_tokens: [2] }, "max_tokens"],
      ["/v1/chat/completions", { ...chat, model: 5 }, "model"],
      ["/v1/chat/completions", { ...chat, stream_options: { include_usage: "yes" } }, "stream_options.include_usage"],
      ["/v1/completions", { model: MODEL, prompt: 5, max_tokens: 2 }, "prompt"],
      ["/v1/completions", { model: MODEL, prompt: null, max_tokens: 2 }, "prompt"],
      ["/v1/completions", { model: MODEL, prompt: [5], max_tokens: 2 }, "prompt[0]"],
      ["/tokenize", { model: MODEL, prompt: 5 }, "prompt"],
      ["/v1/solve", { problem: 5 }, "problem"],
      ["/v1/solve", { problem: null }, "problem"],
      ["/v1/solve", { problem: "1+1", n: "2" }, "n"],
      ["/v1/solve", { problem: "1+1", early_stop: "yes" }, "early_stop"],
      ["/v1/grade", { pred: true, gold: "1" }, "pred"],
      ["/v1/grade", { pred: { x: 1 }, gold: "1" }, "pred"],
      ["/v1/grade", { pred: "1", gold: null }, "gold"],
      ["/v1/grade", { pred: "1" }, "gold"],
      ["/v1/grade", { items: [{ pred: "1", gold: "1" }, { pred: ["1"], gold: "1" }] }, "items[1].pred"],
      ["/v1/extract", { response: 5 }, "response"],
      ["/v1/extract", { response: null }, "response"],
      ["/v1/extract", { response: "x", dataset: 5 }, "dataset"],
      ["/v1/extract", { items: [{ response: null }] }, "items[0].response"],
      ["/v1/reward", { items: [{ problem: 5, response: "r", reference: "1" }] }, "items[0].problem"],
      ["/v1/reward", { items: [{ problem: "p", response: "r", reference: "1" }], use_rm: "false" }, "use_rm"],
    ];
    for (const [path, body, param] of refused) {
      const r = await post(url, path, body);
      const what = `${path} ${JSON.stringify(body)}`;
      assert.equal(r.status, 400, `${what}: ${r.text}`);
      const error = (r.json() as { error: { message: string; type: string; code: string; param: string | null } }).error;
      assert.equal(error.type, "invalid_request_error", what);
      assert.equal(error.code, "invalid_request", what);
      assert.equal(error.param, param, `${what}: ${error.message}`);
      assert.ok(error.message.includes(`'${param}'`), `${what}: the message names the field: ${error.message}`);
      assert.ok(!error.message.includes("\n"), `${what}: one line`);
    }
  });

  it("still accepts the nulls and numbers the API documents", async () => {
    // stop: null is "no stop strings", as in OpenAI's API.
    assert.equal((await post(url, "/v1/chat/completions", { ...chat, stop: null })).status, 200);
    // OpenAI's nullable sampling fields: null is "not set", the default applies (temperature 1, no seed, the context's budget).
    const nulls = { n: null, stream: null, stream_options: null, temperature: null, top_p: null, top_k: null, seed: null, max_tokens: null, max_completion_tokens: null };
    const withNulls = await post(url, "/v1/chat/completions", { ...chat, ...nulls, max_tokens: 2 });
    assert.equal(withNulls.status, 200, withNulls.text);
    assert.equal((await post(url, "/v1/completions", { model: MODEL, prompt: "2+2=", ...nulls, max_tokens: 2 })).status, 200);
    assert.equal((await post(url, "/v1/chat/completions", { ...chat, temperature: "0" })).status, 400, "a wrong type is still refused");
    // /v1/grade: pred null is "nothing extracted" (what /v1/extract answers), never the string "".
    assert.deepEqual((await post(url, "/v1/grade", { pred: null, gold: "" })).json(), (await post(url, "/v1/grade", { pred: null, gold: "1" })).json());
    const nothing = (await post(url, "/v1/grade", { pred: null, gold: "1" })).json() as { equivalent: boolean; reason: string };
    assert.equal(nothing.equivalent, false);
    assert.notEqual(nothing.reason, "different");
    assert.deepEqual((await post(url, "/v1/grade", { pred: 0.5, gold: "\\frac{1}{2}" })).json(), { equivalent: true, reason: "equal" });
    assert.deepEqual((await post(url, "/v1/grade", { items: [{ pred: null, gold: 4 }] })).json(), { results: [nothing] });
  });

  it("keeps serving after bad requests", async () => {
    const r = await post(url, "/v1/chat/completions", chat);
    assert.equal(r.status, 200);
  });

  it("health needs no key; metrics count requests and tokens", async () => {
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, "ok");
    assert.equal((await fetch(`${url}/metrics`)).status, 401);
    const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })).text();
    assert.match(metrics, /qmath_requests_total\{route="\/v1\/chat\/completions",status="200"\} [1-9]/);
    assert.match(metrics, /qmath_requests_total\{route="\/v1\/chat\/completions",status="401"\} 2/);
    assert.match(metrics, /qmath_generated_tokens_total [1-9]/);
    assert.match(metrics, /qmath_queue_depth 0/);
    assert.match(metrics, /qmath_sandbox_executions_total 0/);
  });

  it("solves a problem, and streams the solution as events", async () => {
    const r = await post(url, "/v1/solve", { problem: "What is 2+2?", n: 3, max_tokens: 8, temperature: 1, seed: 1 });
    assert.equal(r.status, 200);
    const body = r.json() as { samples: unknown[]; usage: { completion_tokens: number }; mode: string; select: string };
    assert.equal(body.samples.length, 3);
    assert.equal(body.mode, "cot");
    assert.equal(body.select, "maj");
    assert.ok(body.usage.completion_tokens > 0);

    const s = await post(url, "/v1/solve", { problem: "What is 2+2?", n: 2, max_tokens: 8, temperature: 1, seed: 1, stream: true });
    assert.equal(s.status, 200);
    assert.match(s.headers.get("content-type") ?? "", /text\/event-stream/);
    const evs = events(s.text) as { type: string; sample?: number; delta?: string; result?: { samples: { text: string }[] } }[];
    const result = evs.at(-1)!;
    assert.equal(result.type, "result");
    for (const i of [0, 1]) {
      const streamed = evs.filter((e) => e.type === "text" && e.sample === i).map((e) => e.delta).join("");
      assert.equal(streamed, result.result!.samples[i]!.text);
    }
    assert.ok(s.text.trimEnd().endsWith("data: [DONE]"));
    assertOpenAiError(await post(url, "/v1/solve", { problem: "" }), 400);
  });

  it("grades and extracts, one at a time or in batches", async () => {
    assert.deepEqual((await post(url, "/v1/grade", { pred: "0.5", gold: "\\frac{1}{2}" })).json(), { equivalent: true, reason: "equal" });
    assert.deepEqual((await post(url, "/v1/grade", { items: [{ pred: "4", gold: "4\\sqrt{2}" }, { pred: "(1,2)", gold: "(1, 2)" }] })).json(), {
      results: [
        { equivalent: false, reason: "different" },
        { equivalent: true, reason: "equal" },
      ],
    });
    assert.deepEqual((await post(url, "/v1/extract", { response: "so it is $\\boxed{\\frac{5}{6}}$." })).json(), { answer: "\\frac{5}{6}" });
    assert.deepEqual((await post(url, "/v1/extract", { items: [{ response: "#### 42", dataset: "gsm8k" }] })).json(), { results: [{ answer: "42" }] });
    assertOpenAiError(await post(url, "/v1/grade", { pred: "1" }), 400);
  });

  it("computes rule rewards and GRPO advantages at /v1/reward", async () => {
    const r = await post(url, "/v1/reward", {
      items: [
        { problem: "p", response: "so $\\boxed{4}$", reference: "4", group: "a" },
        { problem: "p", response: "so $\\boxed{5}$", reference: "4", group: "a" },
      ],
    });
    assert.equal(r.status, 200);
    const results = (r.json() as { results: { rule: number; reward: number; advantage: number }[] }).results;
    assert.deepEqual(results.map((x) => x.rule), [1, 0]);
    assert.ok(Math.abs(results[0]!.advantage - 1) < 1e-5 && Math.abs(results[1]!.advantage + 1) < 1e-5);
  });

  it("serves the chat page and its libraries without a key", async () => {
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    assert.equal((await fetch(`${url}/vendor/katex/katex.min.js`)).status, 200);
    assert.equal((await fetch(`${url}/vendor/marked.esm.js`)).status, 200);
    assert.equal((await fetch(`${url}/vendor/katex/../../package.json`)).status, 404);
  });
});

describe("the API key holds on every spelling of a protected route (raw HTTP over a socket)", () => {
  let server: QmathServer;
  let url: string;
  before(async () => {
    ({ server, url } = await startServer());
  });
  after(() => server.close());
  const auth = { authorization: `Bearer ${KEY}` };

  it("refuses encoded, absolute-form and odd spellings of /metrics and /v1/models without the key", async () => {
    const spellings = [
      "/metrics",
      "/%6Detrics",
      "/%6detrics",
      "/metric%73",
      "/%6D%65%74%72%69%63%73",
      "/metrics?x=1",
      "/metrics#frag",
      "http://x/metrics",
      "HTTP://x/metrics",
      "http://x/%6Detrics",
      "/v1/models",
      "/%76%31/models",
      "/v1%2Fmodels",
      "/v1%2fmodels",
      "/%76%31%2F%6D%6F%64%65%6C%73",
      "http://x/v1/models",
      "http://x/%76%31/models",
      "/v1/models/",
      "/v1//models",
      "//metrics",
      "//v1/models",
      "/./metrics",
      "/v1/../metrics",
      "/%2E/metrics",
      "/%2e%2e/metrics",
      "/%256Detrics",
      "/%2576%2531/models",
      "/METRICS",
      "/V1/MODELS",
      "/metrics%00",
      "/metrics;x",
    ];
    for (const target of spellings) {
      const without = await rawGet(url, target);
      const wrongKey = await rawGet(url, target, { authorization: "Bearer wrong" });
      const withKey = await rawGet(url, target, auth);
      if (withKey === 200) {
        // The spelling reaches a protected route: the key must decide.
        assert.equal(without, 401, `GET ${target} without a key`);
        assert.equal(wrongKey, 401, `GET ${target} with a wrong key`);
      } else {
        // It reaches no protected route: nothing is served, with a key or without.
        assert.ok(without !== 200 && wrongKey !== 200, `GET ${target} answered 200 without a key (${without}, ${wrongKey})`);
      }
    }
    // The spellings the issue names do reach the routes, so the checks above are not vacuous.
    for (const target of ["/metrics", "/%6Detrics", "/%76%31/models", "http://x/metrics", "http://x/v1/models"]) {
      assert.equal(await rawGet(url, target, auth), 200, `GET ${target} with the key`);
      assert.equal(await rawGet(url, target), 401, `GET ${target} without a key`);
    }
  });

  it("keeps health and the chat page public, in any spelling", async () => {
    // ("*", asterisk-form, lands on the page's catch-all route and is served the page.)
    for (const target of ["/health", "/%68ealth", "http://x/health", "/", "*", "/index.html", "/%69ndex.html", "/vendor/marked.esm.js", "/vendor/katex/katex.min.js"])
      assert.equal(await rawGet(url, target), 200, `GET ${target} without a key`);
  });
});

describe("admission, disconnects and shutdown", () => {
  it("refuses requests beyond the queue with 429 and Retry-After, and completes the others", async () => {
    const { server, url } = await startServer({ queueSize: 2, maxParallel: 2 });
    try {
      const requests = Array.from({ length: 8 }, () =>
        post(url, "/v1/chat/completions", { model: MODEL, messages: [{ role: "user", content: "go" }], max_tokens: 40, temperature: 1, seed: 1, stream: true }),
      );
      const results = await Promise.all(requests);
      const ok = results.filter((r) => r.status === 200);
      const busy = results.filter((r) => r.status === 429);
      assert.equal(ok.length + busy.length, 8);
      assert.ok(ok.length >= 2 && busy.length >= 1, `${ok.length} completed, ${busy.length} refused`);
      for (const r of busy) {
        assert.equal(r.headers.get("retry-after"), "1");
        assert.equal((r.json() as { error: { code: string } }).error.code, "server_busy");
      }
      for (const r of ok) assert.ok(r.text.trimEnd().endsWith("data: [DONE]"));
      assert.equal(server.gate.depth, 0);
    } finally {
      await server.close();
    }
  });

  it("frees a client's slot when it disconnects mid-stream", async () => {
    const { server, url } = await startServer({ queueSize: 1, maxParallel: 1 });
    try {
      const controller = new AbortController();
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "go" }], max_tokens: 3000, temperature: 1, seed: 5, stream: true }),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      await reader.read(); // the first chunk arrived: generation is running
      assert.equal(server.gate.depth, 1);
      controller.abort();
      const deadline = Date.now() + 10_000;
      while (server.gate.depth > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(server.gate.depth, 0);
      const next = await post(url, "/v1/chat/completions", { model: MODEL, messages: [{ role: "user", content: "again" }], max_tokens: 3 });
      assert.equal(next.status, 200);
    } finally {
      await server.close();
    }
  });

  it("shuts down gracefully: a running request finishes, new ones are refused", async () => {
    const { server, url } = await startServer();
    const running = post(url, "/v1/chat/completions", { model: MODEL, messages: [{ role: "user", content: "go" }], max_tokens: 200, temperature: 1, seed: 5 });
    while (server.gate.depth === 0) await new Promise((r) => setTimeout(r, 5));
    const closing = server.close();
    const r = await running;
    assert.equal(r.status, 200);
    assert.ok(((r.json() as { usage: { completion_tokens: number } }).usage.completion_tokens) > 0);
    await closing;
    await assert.rejects(fetch(`${url}/health`));
  });
});
