/**
 * The remote engine against real OpenAI-compatible peers: qmath's own server on the tiny model
 * (in this process), compared with the embedded engine it serves; and small node:http
 * stand-ins for what a healthy server cannot show (a 500 then a 200, a stream that breaks
 * off, servers that are down, a server that does not report stop strings).
 */
import assert from "node:assert/strict";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createEngine } from "../../src/engine/create.js";
import { createEmbeddedEngine } from "../../src/engine/embedded/llama-engine.js";
import { createRemoteEngine, type RemoteEngineOptions } from "../../src/engine/remote/openai-engine.js";
import type { Engine, OpenRequest } from "../../src/engine/types.js";
import { isQmathError } from "../../src/errors.js";
import { runEval } from "../../src/eval/runner.js";
import { createServer, type QmathServer } from "../../src/server/app.js";
import { solve } from "../../src/solve/solve.js";
import { assertUserError, closedPort, repoRoot, requireTinyModel, runCli } from "../helpers.js";

const PROMPT = "<|im_start|>system\nPlease reason step by step.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n";

/** A fetch that records the JSON bodies of the completions requests it sends. */
function recordingFetch() {
  const bodies: Record<string, unknown>[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    if (String(input).endsWith("/v1/completions") && typeof init?.body === "string") bodies.push(JSON.parse(init.body) as Record<string, unknown>);
    return globalThis.fetch(input, init);
  };
  return { fetch, bodies };
}

async function generateAll(engine: Engine, request: OpenRequest) {
  const samples = await engine.open(request);
  try {
    return await Promise.all(
      samples.map(async (s) => {
        let streamed = "";
        const seg = await s.generate({ onText: (d) => (streamed += d) });
        return { seg, streamed, text: s.text, usage: { ...s.usage } };
      }),
    );
  } finally {
    await Promise.all(samples.map((s) => s.close()));
  }
}

describe("remote engine on qmath serve (tiny model)", () => {
  let local: Engine;
  let server: QmathServer;
  let url: string;
  const remote = (options: Partial<RemoteEngineOptions> = {}) => createRemoteEngine({ baseUrls: [`${url}/v1`], ...options });

  before(async () => {
    local = await createEmbeddedEngine({ modelPath: requireTinyModel(), threads: 1, maxParallel: 4 });
    server = createServer({ engine: local, modelId: "tiny-qwen2", queueSize: 64 });
    url = await server.listen(0);
  });
  after(async () => {
    await server.close();
  });

  it("finds the model and its context length at /v1/models, with or without /v1 in the URL", async () => {
    for (const base of [url, `${url}/`, `${url}/v1`, `${url}/v1/`]) {
      const engine = await createRemoteEngine({ baseUrls: [base] });
      assert.deepEqual(engine.info, { kind: "openai", model: "tiny-qwen2", contextSize: local.info.contextSize, maxParallel: 64 });
      await engine.close();
    }
  });

  it("repeats under a seed, N samples get seed + i, and matches the engine behind the server", async () => {
    const engine = await remote();
    const request: OpenRequest = { prompt: PROMPT, n: 3, seed: 11, temperature: 1, maxTokens: 24 };
    const a = await generateAll(engine, request);
    const b = await generateAll(engine, request);
    const direct = await generateAll(local, request);
    assert.equal(a.length, 3);
    assert.deepEqual(a.map((x) => x.text), b.map((x) => x.text));
    assert.deepEqual(a.map((x) => x.text), direct.map((x) => x.text));
    assert.deepEqual(a.map((x) => x.seg.finishReason), direct.map((x) => x.seg.finishReason));
    assert.ok(new Set(a.map((x) => x.text)).size > 1, "samples with different seeds differ");
    // Sample 1 of a request seeded 11 is sample 0 of a request seeded 12.
    const shifted = await generateAll(engine, { ...request, n: 1, seed: 12 });
    assert.equal(shifted[0]!.text, a[1]!.text);
    for (const x of a) assert.equal(x.streamed, x.seg.text, "streamed text equals the returned text");
    await engine.close();
  });

  it("counts usage as the server reports it", async () => {
    const engine = await remote();
    const [r] = await generateAll(engine, { prompt: PROMPT, seed: 1, temperature: 0, maxTokens: 10 });
    const [d] = await generateAll(local, { prompt: PROMPT, seed: 1, temperature: 0, maxTokens: 10 });
    assert.equal(r!.usage.promptTokens, await local.countTokens(PROMPT));
    assert.equal(r!.usage.completionTokens, d!.usage.completionTokens);
    assert.equal(r!.seg.tokens, d!.seg.tokens);
    assert.ok(r!.usage.promptTokensEvaluated >= 1 && r!.usage.promptTokensEvaluated <= r!.usage.promptTokens);
    assert.equal(r!.usage.evaluatedTokens, r!.usage.promptTokensEvaluated);
    assert.ok(r!.usage.promptMs > 0 && r!.usage.generateMs >= 0);
    // qmath serve reports cached prompt tokens: the same prompt again is evaluated from the server's cache.
    const [again] = await generateAll(engine, { prompt: PROMPT, seed: 1, temperature: 0, maxTokens: 10 });
    assert.equal(again!.usage.promptTokensEvaluated, 1);
    assert.equal(again!.usage.evaluatedTokens, 1);
    // qmath serve has vLLM's /tokenize: counts are the model's.
    for (const text of ["12345678", PROMPT]) assert.equal(await engine.countTokens(text), await local.countTokens(text));
    await engine.close();
  });

  for (const serverStops of [true, false]) {
    it(`stops at stop strings and says which fired (${serverStops ? "reported by the server" : "found in the stream"})`, async () => {
      const engine = await remote({ serverStops });
      const [full] = await generateAll(engine, { prompt: PROMPT, temperature: 0, maxTokens: 30 });
      const whole = full!.text;
      // A stop string from the middle of the greedy text, and one that never occurs.
      const at = Math.floor(whole.length / 2);
      const stopString = whole.slice(at, at + 2);
      const expected = whole.slice(0, whole.indexOf(stopString));
      const [r] = await generateAll(engine, { prompt: PROMPT, temperature: 0, maxTokens: 30, stop: ["never seen §§", stopString] });
      assert.equal(r!.seg.finishReason, "stop");
      assert.equal(r!.seg.stop, stopString);
      assert.equal(r!.text, expected);
      assert.equal(r!.streamed, expected);
      assert.ok(r!.seg.tokens > 0 && r!.seg.tokens <= full!.seg.tokens);
      // Without a stop the tiny model ends its turn, or runs out of budget.
      assert.ok(full!.seg.finishReason === "eos" ? full!.seg.stop === "<|im_end|>" : full!.seg.finishReason === "length");
      await engine.close();
    });
  }

  it("pauses at a stop, takes appended text, and continues from prompt + everything so far within one budget", async () => {
    const rec = recordingFetch();
    const engine = await remote({ fetch: rec.fetch });
    const [full] = await generateAll(engine, { prompt: PROMPT, temperature: 0, maxTokens: 40 });
    const stopString = full!.text.slice(4, 6);
    rec.bodies.length = 0;
    const [sample] = await engine.open({ prompt: PROMPT, temperature: 0, maxTokens: 40, stop: [stopString] });
    const first = await sample!.generate();
    assert.equal(first.finishReason, "stop");
    const appended = "\n```output\n4\n```\n";
    sample!.append(appended);
    let streamed = "";
    const second = await sample!.generate({ onText: (d) => (streamed += d) });
    assert.equal(streamed, second.text);
    assert.equal(sample!.text, first.text + appended + second.text);
    assert.equal(rec.bodies.length, 2);
    assert.equal(rec.bodies[0]!.prompt, PROMPT);
    assert.equal(rec.bodies[1]!.prompt, PROMPT + first.text + appended, "the continuation sends the prompt, the text so far and the appended text");
    assert.equal(rec.bodies[0]!.max_tokens, 40);
    assert.equal(rec.bodies[1]!.max_tokens, 40 - first.tokens, "the budget counts across segments");
    assert.equal(sample!.usage.completionTokens, first.tokens + second.tokens);
    assert.ok(sample!.usage.appendedTokens > 0);
    assert.ok(sample!.usage.evaluatedTokens > sample!.usage.promptTokensEvaluated, "the continuation evaluates the appended text");
    assert.ok(sample!.usage.evaluatedTokens < sample!.usage.promptTokensEvaluated + 40, "but not the whole text again");
    await sample!.close();
    await engine.close();
  });

  it("aborts the HTTP request when the signal fires", async () => {
    const engine = await remote();
    const stop = new AbortController();
    const [sample] = await engine.open({ prompt: PROMPT, temperature: 1, seed: 3, maxTokens: 200, signal: stop.signal });
    let streamed = "";
    const seg = await sample!.generate({
      onText: (d) => {
        streamed += d;
        stop.abort();
      },
    });
    assert.equal(seg.finishReason, "abort");
    assert.equal(streamed, seg.text);
    assert.ok(seg.tokens >= 1 && seg.tokens < 200);
    const again = await sample!.generate();
    assert.deepEqual(again, { text: "", finishReason: "abort", tokens: 0 });
    await sample!.close();
    await engine.close();
  });

  it("refuses an unknown model with model_not_found", async () => {
    await assert.rejects(remote({ model: "qwen2.5-math-72b-instruct" }), (e) => isQmathError(e) && e.code === "model_not_found" && /tiny-qwen2/.test(e.message));
  });

  it("runs solve() (CoT, N samples with a vote) exactly as the engine behind the server does", async () => {
    const engine = await remote();
    const options = { n: 3, sampling: { seed: 5, maxTokens: 30 } };
    const r = await solve(engine, "What is 2+2?", options);
    const d = await solve(local, "What is 2+2?", options);
    assert.equal(r.samples.length, 3);
    assert.deepEqual(r.samples.map((s) => s.text), d.samples.map((s) => s.text));
    assert.deepEqual(r.samples.map((s) => s.usage.completionTokens), d.samples.map((s) => s.usage.completionTokens));
    assert.equal(r.answer, d.answer);
    await engine.close();
  });

  it("runs TIR through solve() (mechanics: segments, stops, the sandbox) on the remote engine", async () => {
    const engine = await remote();
    const r = await solve(engine, "What is 2+2?", { mode: "tir", n: 2, sampling: { seed: 2, maxTokens: 30 } });
    assert.equal(r.samples.length, 2);
    const d = await solve(local, "What is 2+2?", { mode: "tir", n: 2, sampling: { seed: 2, maxTokens: 30 } });
    assert.deepEqual(r.samples.map((s) => s.text), d.samples.map((s) => s.text));
    await engine.close();
  });

  it("runs an evaluation through the remote engine", async () => {
    const engine = await remote();
    const out = mkdtempSync(join(tmpdir(), "qmath-remote-eval-"));
    const mini = join(repoRoot, "test", "fixtures", "eval", "mini.jsonl");
    const r = await runEval(engine, { data: [mini], questionField: "q", answerField: "a", out, n: 2, sampling: { seed: 1, maxTokens: 20 }, limit: 4 });
    assert.equal(r.records.length, 4);
    assert.ok(r.records.every((x) => x.samples.length === 2 && x.samples.every((s) => s.tokens > 0)));
    await engine.close();
  });

  it("is built by createEngine and the CLI flags", async () => {
    const created = await createEngine({ engineKind: "openai", baseUrls: [`${url}/v1`] });
    assert.equal(created.engine.info.kind, "openai");
    assert.deepEqual(created.model, { path: "", name: "tiny-qwen2" });
    await created.engine.close();
    await assert.rejects(createEngine({ engineKind: "openai" }), (e) => isQmathError(e) && e.code === "bad_input");
    const cli = await runCli(["solve", "--engine", "openai", "--base-url", `${url}/v1`, "--max-tokens", "8", "--seed", "1", "--json", "What is 2+2?"]);
    assert.equal(cli.code, 0, cli.stderr);
    const json = JSON.parse(cli.stdout) as { model: string; samples: { usage: { completionTokens: number } }[] };
    assert.equal(json.model, "tiny-qwen2");
    assert.ok(json.samples[0]!.usage.completionTokens > 0);
    assertUserError(await runCli(["solve", "--engine", "openai", "What is 2+2?"]), /--engine openai needs the server's address/);
    assertUserError(await runCli(["solve", "--engine", "gpu", "What is 2+2?"]), /Unknown --engine 'gpu'/);
  });
});

/** A stand-in OpenAI-compatible server: `handle` answers POST /v1/completions. */
async function standIn(handle: (body: Record<string, unknown>, res: ServerResponse, call: number) => void, models: unknown = { data: [{ id: "m", owned_by: "vllm", max_model_len: 1000 }] }) {
  let calls = 0;
  const bodies: Record<string, unknown>[] = [];
  const server: Server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.on("data", (d: Buffer) => (raw += d.toString()));
    req.on("end", () => {
      if (req.method === "GET" && req.url === "/v1/models") {
        res.writeHead(models ? 200 : 404, { "content-type": "application/json" }).end(JSON.stringify(models ?? { error: "no route" }));
        return;
      }
      const body = JSON.parse(raw || "{}") as Record<string, unknown>;
      bodies.push(body);
      handle(body, res, calls++);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    bodies,
    get calls() {
      return calls;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function sse(res: ServerResponse, events: unknown[], end = true): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  for (const e of events) res.write(`data: ${JSON.stringify(e)}\n\n`);
  if (end) res.end("data: [DONE]\n\n");
}
const piece = (text: string, finish: string | null = null, stopReason?: string | null) => ({ choices: [{ index: 0, text, finish_reason: finish, ...(stopReason !== undefined && { stop_reason: stopReason }) }] });
const usage = (prompt: number, completion: number) => ({ choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } });

describe("remote engine: failures, retries, servers that say less", () => {
  it("retries a 500 and counts the sample once", async () => {
    const s = await standIn((_b, res, call) => {
      if (call === 0) return void res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "CUDA out of memory", type: "server_error" } }));
      sse(res, [piece("Hello"), piece(" world"), piece("", "stop", null), usage(5, 2)]);
    });
    const engine = await createRemoteEngine({ baseUrls: [s.url], backoffMs: 5 });
    const [sample] = await engine.open({ prompt: "Say hi", seed: 9 });
    let streamed = "";
    const seg = await sample!.generate({ onText: (d) => (streamed += d) });
    assert.deepEqual(seg, { text: "Hello world", finishReason: "eos", stop: "<|im_end|>", tokens: 2 });
    assert.equal(streamed, "Hello world");
    assert.equal(s.calls, 2);
    assert.equal(sample!.usage.completionTokens, 2);
    assert.equal(sample!.usage.promptTokens, 5);
    assert.deepEqual(s.bodies[1], s.bodies[0], "the retry is the same request");
    assert.equal(s.bodies[0]!.seed, 9);
    assert.equal(s.bodies[0]!.temperature, 0);
    assert.deepEqual(s.bodies[0]!.stream_options, { include_usage: true });
    await engine.close();
    await s.close();
  });

  it("resumes a stream that broke off from the text received, without repeating or losing text", async () => {
    const s = await standIn((body, res, call) => {
      if (call === 0) {
        sse(res, [piece("The answer"), piece(" is")], false);
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      assert.equal(body.prompt, "Q: 2+2?\nA:The answer is");
      sse(res, [piece(" 4."), piece("", "length", null), usage(9, 1)]);
    });
    const engine = await createRemoteEngine({ baseUrls: [s.url], backoffMs: 5 });
    const [sample] = await engine.open({ prompt: "Q: 2+2?\nA:", maxTokens: 3 });
    let streamed = "";
    const seg = await sample!.generate({ onText: (d) => (streamed += d) });
    assert.equal(seg.text, "The answer is 4.");
    assert.equal(streamed, seg.text);
    assert.equal(seg.finishReason, "length");
    assert.equal(seg.tokens, 3, "two chunks of the broken attempt and one token of the resumed one");
    assert.equal(s.bodies[0]!.max_tokens, 3);
    assert.equal(s.bodies[1]!.max_tokens, 1, "the resumed attempt asks only for what the budget leaves");
    assert.equal(sample!.usage.promptTokens, 7);
    await engine.close();
    await s.close();
  });

  it("reports which stop string fired from stop_reason, and finds it in the stream when the server does not say", async () => {
    const reporting = await standIn((_b, res) => sse(res, [piece("x = 1\n```"), piece("", "stop", "```output"), usage(3, 4)]));
    const engine = await createRemoteEngine({ baseUrls: [reporting.url] });
    const [a] = await engine.open({ prompt: "p", stop: ["<|im_end|>", "```output"] });
    assert.deepEqual(await a!.generate(), { text: "x = 1\n```", finishReason: "stop", stop: "```output", tokens: 4 });
    assert.deepEqual(reporting.bodies[0]!.stop, ["<|im_end|>", "```output"]);
    await engine.close();
    await reporting.close();

    // llama-server-like: owned_by llamacpp, no stop_reason. qmath keeps the stop strings and cuts the stream itself.
    const silent = await standIn((_b, res) => sse(res, [piece("x = 1\n``"), piece("`out"), piece("put\nmore"), piece("", "stop"), usage(3, 5)]), { data: [{ id: "q", owned_by: "llamacpp" }] });
    const engine2 = await createRemoteEngine({ baseUrls: [silent.url] });
    assert.equal(engine2.info.contextSize, 4096);
    const [b] = await engine2.open({ prompt: "p", stop: ["```output"] });
    let streamed = "";
    const seg = await b!.generate({ onText: (d) => (streamed += d) });
    assert.deepEqual(seg, { text: "x = 1\n", finishReason: "stop", stop: "```output", tokens: 3 });
    assert.equal(streamed, "x = 1\n");
    assert.equal(silent.bodies[0]!.stop, undefined);
    await engine2.close();
    await silent.close();
  });

  it("fails with one clear error naming every replica when all are down", async () => {
    const ports = [await closedPort(), await closedPort()];
    const urls = ports.map((p) => `http://127.0.0.1:${p}/v1`);
    await assert.rejects(createRemoteEngine({ baseUrls: urls }), (e) => {
      assert.ok(isQmathError(e) && e.code === "engine_failed");
      for (const p of ports) assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${p} \\(connection refused\\)`));
      return true;
    });
    // Named model: the engine starts, and generation fails after its retries.
    const engine = await createRemoteEngine({ baseUrls: urls, model: "m", backoffMs: 5, cooldownMs: 5 });
    const [sample] = await engine.open({ prompt: "p" });
    const started = performance.now();
    await assert.rejects(sample!.generate(), (e) => {
      assert.ok(isQmathError(e) && e.code === "engine_failed");
      assert.match(e.message, /after 4 attempts/);
      for (const p of ports) assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${p} \\(connection refused\\)`));
      return true;
    });
    assert.ok(performance.now() - started < 5000);
    await engine.close();
  });

  it("refuses a wait a timer cannot hold, before any request (it would fire after 1 ms)", async () => {
    const baseUrls = [`http://127.0.0.1:${await closedPort()}/v1`];
    const refusedOption = (name: string) => (e: unknown) =>
      isQmathError(e) && e.code === "bad_input" && e.message.startsWith(`remote engine option ${name} must be`) && e.message.includes("2147483647");
    await assert.rejects(createRemoteEngine({ baseUrls, model: "m", timeoutMs: 2 ** 31 }), refusedOption("timeoutMs"));
    await assert.rejects(createRemoteEngine({ baseUrls, model: "m", timeoutMs: 0 }), refusedOption("timeoutMs"));
    await assert.rejects(createRemoteEngine({ baseUrls, model: "m", backoffMs: 2 ** 31 }), refusedOption("backoffMs"));
  });

  it("names the server's message for errors in the request (4xx), without retrying", async () => {
    const s = await standIn((body, res) => {
      if (body.model !== "m")
        return void res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `The model '${String(body.model)}' does not exist.`, code: "model_not_found" } }));
      res.writeHead(400, { "content-type": "application/json" }).end(
        JSON.stringify({ object: "error", message: "This model's maximum context length is 1000 tokens. However, you requested 1200 tokens.", type: "BadRequestError", code: 400 }),
      );
    }, null);
    const other = await createRemoteEngine({ baseUrls: [s.url], model: "other" });
    const [x] = await other.open({ prompt: "p" });
    await assert.rejects(x!.generate(), (e) => isQmathError(e) && e.code === "model_not_found" && /does not exist/.test(e.message));
    const engine = await createRemoteEngine({ baseUrls: [s.url], model: "m" });
    const [y] = await engine.open({ prompt: "p", maxTokens: 800 });
    await assert.rejects(y!.generate(), (e) => isQmathError(e) && e.code === "context_overflow" && /maximum context length is 1000/.test(e.message));
    // Once with max_tokens, once without (the server then generates what the context leaves): no retries.
    assert.equal(s.calls, 3);
    assert.equal(s.bodies[1]!.max_tokens, 800);
    assert.equal(s.bodies[2]!.max_tokens, undefined);
    await s.close();
  });
});
