/**
 * npm run bench:server — the HTTP server's own cost.
 *
 * 1. Overhead per request: /v1/chat/completions on the scripted engine (whose generation
 *    takes microseconds), one client, against a bare node:http server that answers the
 *    same JSON in the same run. The difference is what the server adds per request
 *    (routing, validation, auth, admission, rendering the prompt, the response).
 * 2. /v1/grade throughput: 64 concurrent keep-alive clients for a few seconds against a
 *    `qmath serve` process (on the tiny test model), with a bare node:http server that
 *    answers a fixed body as the baseline.
 * 3. /health latency while a maximal /v1/grade batch runs (200 pairs of 300-element sets,
 *    0.9 MB, each pair running into the grading time bound: about 10 s of grading) on the same
 *    `qmath serve` process, polled by 4 clients; the baseline is /health on the idle server.
 */
import { spawn, execFileSync } from "node:child_process";
import { createServer as createHttpServer, request as httpRequest, Agent } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { packageRoot } from "../src/config.js";
import { createScriptedEngine } from "../src/engine/scripted.js";
import { createServer } from "../src/server/app.js";
import { largeSetPairs } from "../test/answers/slow-inputs.js";

const root = packageRoot();

const agent = new Agent({ keepAlive: true, maxSockets: 128 });

function call(url: string, path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = httpRequest(
      { host: u.hostname, port: u.port, path, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function latencies(url: string, path: string, body: string, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count + 200; i++) {
    const t = performance.now();
    const status = await call(url, path, body);
    if (status !== 200) throw new Error(`${path} answered ${status}`);
    if (i >= 200) out.push(performance.now() - t); // the first 200 warm up
  }
  return out;
}

async function throughput(url: string, path: string, body: string, clients: number, seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        if ((await call(url, path, body)) !== 200) throw new Error(`${path} failed`);
        done++;
      }
    }),
  );
  return done / seconds;
}

function get(url: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = httpRequest({ host: u.hostname, port: u.port, path, method: "GET", agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

/** /health latencies from `clients` clients, each polling one request after another until `until` settles. */
async function healthLatencies(url: string, clients: number, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true)).catch(() => {});
  const out: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (!done) {
        const t = performance.now();
        if ((await get(url, "/health")) !== 200) throw new Error("/health failed");
        out.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 2));
      }
    }),
  );
  return out;
}

async function bareServer(reply: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(reply));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** The address a child server prints on stderr ("... at http://127.0.0.1:PORT"). */
function addressOf(child: import("node:child_process").ChildProcessWithoutNullStreams | import("node:child_process").ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let err = "";
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /at (http:\/\/[\d.:]+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.on("exit", () => reject(new Error(`server exited: ${err}`)));
  });
}

async function main(): Promise<void> {
  const rows: string[][] = [["measure", "baseline (bare node:http)", "qmath", "difference / ratio", "target"]];

  // 1. Overhead per request, in-process, one client.
  const chatBody = JSON.stringify({ model: "scripted", messages: [{ role: "user", content: "What is 2+2?" }], max_tokens: 16 });
  const engine = createScriptedEngine({ scripts: ["The answer is $\\boxed{4}$."] });
  const server = createServer({ engine, modelId: "scripted" });
  const url = await server.listen(0);
  const sampleReply = JSON.stringify({ id: "x", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "The answer is $\\boxed{4}$." } }] });
  const bare = await bareServer(sampleReply);
  const baseLat = await latencies(bare.url, "/", chatBody, 2000);
  const qLat = await latencies(url, "/v1/chat/completions", chatBody, 2000);
  await bare.close();
  await server.close();
  const f = (x: number) => x.toFixed(3);
  rows.push(["chat completion latency p50 (ms)", f(pct(baseLat, 50)), f(pct(qLat, 50)), `+${f(pct(qLat, 50) - pct(baseLat, 50))} ms overhead`, "< 1 ms"]);
  rows.push(["chat completion latency p99 (ms)", f(pct(baseLat, 99)), f(pct(qLat, 99)), `+${f(pct(qLat, 99) - pct(baseLat, 99))} ms`, "-"]);

  // 2. /v1/grade with 64 concurrent clients against a qmath serve process.
  const model = join(root, "test", "fixtures", "models", "tiny-qwen2.gguf");
  execFileSync(process.execPath, [join(root, "dist", "scripts", "make-test-model.js"), "--out", model, "--shape", "tiny", "--if-missing"]);
  const child = spawn(process.execPath, [join(root, "dist", "src", "cli", "main.js"), "serve", "--model", model, "--port", "0", "--threads", "1"], { stdio: ["ignore", "ignore", "pipe"] });
  const serveUrl = await addressOf(child);
  const gradeBody = JSON.stringify({ pred: "\\frac{1}{2}", gold: "0.5" });
  // The baseline server runs in its own process too, so both sides get the same two cores.
  const bareScript =
    "const s=require('node:http').createServer((q,r)=>{q.resume();q.on('end',()=>r.writeHead(200,{'content-type':'application/json'}).end('{\"equivalent\":true,\"reason\":\"equal\"}'))});" +
    "s.keepAliveTimeout=60000;s.listen(0,'127.0.0.1',()=>process.stderr.write('at http://127.0.0.1:'+s.address().port+'\\n'))";
  const bareChild = spawn(process.execPath, ["-e", bareScript], { stdio: ["ignore", "ignore", "pipe"] });
  const bareUrl = await addressOf(bareChild);
  await throughput(bareUrl, "/", gradeBody, 64, 1); // warm up
  const baseRps = await throughput(bareUrl, "/", gradeBody, 64, 5);
  bareChild.kill("SIGTERM");
  await throughput(serveUrl, "/v1/grade", gradeBody, 64, 1);
  const gradeRps = await throughput(serveUrl, "/v1/grade", gradeBody, 64, 5);
  rows.push(["/v1/grade requests/s, 64 clients", baseRps.toFixed(0), gradeRps.toFixed(0), `${(gradeRps / baseRps).toFixed(2)}x`, "> 5,000"]);

  // 3. /health while a maximal /v1/grade batch runs; the baseline is the idle server.
  await healthLatencies(serveUrl, 4, new Promise((r) => setTimeout(r, 500))); // warm up
  const idle = await healthLatencies(serveUrl, 4, new Promise((r) => setTimeout(r, 3000)));
  const batchBody = JSON.stringify({ items: largeSetPairs(200) });
  let batchMs = 0;
  const batches = (async () => {
    for (let round = 0; round < 2; round++) {
      const t = performance.now();
      if ((await call(serveUrl, "/v1/grade", batchBody)) !== 200) throw new Error("the /v1/grade batch failed");
      batchMs += performance.now() - t;
    }
  })();
  const busy = await healthLatencies(serveUrl, 4, batches);
  await batches;
  child.kill("SIGTERM");
  rows.push([
    `/health p99 (ms) while a maximal /v1/grade batch runs (${(batchBody.length / 1e6).toFixed(2)} MB, ${(batchMs / 2000).toFixed(1)} s)`,
    `${f(pct(idle, 99))} (idle)`,
    f(pct(busy, 99)),
    `max ${f(Math.max(...busy))} ms over ${busy.length} requests`,
    "< 100 ms",
  ]);

  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(" | ")} |`;
  process.stdout.write([line(rows[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n") + "\n");
  process.stdout.write("(servers in their own processes for the throughput row; the load client shares the same 2 cores)\n");
  agent.destroy();
}

await main();
