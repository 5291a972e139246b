/**
 * Replicas: two `qmath serve` processes on the tiny model behind the remote engine, one killed
 * with SIGKILL in the middle of an evaluation. The run finishes; every problem and sample is
 * there once; samples that were not cut off are exactly what the model writes, and the ones
 * cut off were resumed from the text they had (nothing lost, nothing repeated).
 *
 * Each replica sits behind a small recording proxy in this process that slows the stream
 * (so that the kill lands while answers are streaming) and records the requests; when the
 * replica dies, the connections through its proxy break, as they would without the proxy.
 * The replicas and the reference run one sequence at a time (--parallel 1), so that sampled
 * text does not depend on how sequences happen to be batched together.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createEmbeddedEngine } from "../../src/engine/embedded/llama-engine.js";
import { createRemoteEngine } from "../../src/engine/remote/openai-engine.js";
import type { ProblemRecord } from "../../src/eval/record.js";
import { runEval, type EvalOptions } from "../../src/eval/runner.js";
import { repoRoot, requireTinyModel, spawnServe } from "../helpers.js";

const model = requireTinyModel();
const mini = join(repoRoot, "test", "fixtures", "eval", "mini.jsonl");

interface Replica {
  child: ChildProcess;
  url: string;
}

function spawnReplica(): Promise<Replica> {
  return spawnServe(["--model", model, "--port", "0", "--threads", "1", "--parallel", "1", "--queue", "64"]);
}

/** Forwards to `target`, delaying each response chunk by `delayMs`, recording request bodies and streams in flight. */
async function proxy(target: string, delayMs: number) {
  const bodies: Record<string, unknown>[] = [];
  /** Chunks forwarded so far by each response in flight. */
  const streaming = new Set<{ chunks: number }>();
  const open = new Set<import("node:http").ServerResponse>();
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (d: Buffer) => (raw += d.toString()));
    req.on("end", () => {
      if (req.url === "/v1/completions") bodies.push(JSON.parse(raw) as Record<string, unknown>);
      const state = { chunks: 0 };
      open.add(res);
      const up = httpRequest(target + req.url, { method: req.method, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        streaming.add(state);
        let queue = Promise.resolve();
        upRes.on("data", (chunk: Buffer) => {
          queue = queue.then(() => new Promise((r) => setTimeout(r, delayMs))).then(() => {
            state.chunks++;
            if (!res.destroyed) res.write(chunk);
          });
        });
        upRes.on("close", () => {
          // A replica that dies mid-answer: the client sees its connection break.
          if (!upRes.complete) return res.destroy();
          void queue.then(() => res.end());
        });
      });
      up.on("error", () => res.destroy());
      res.on("close", () => {
        open.delete(res);
        streaming.delete(state);
        up.destroy();
      });
      up.end(raw);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`,
    bodies,
    streaming,
    /** The replica died: the connections through it break, including answers still being delivered. */
    breakAll: () => {
      for (const res of open) res.destroy();
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("remote engine: replicas", () => {
  const replicas: Replica[] = [];
  before(async () => {
    replicas.push(...(await Promise.all([spawnReplica(), spawnReplica()])));
  });
  after(async () => {
    await Promise.all(
      replicas.map(
        (r) =>
          new Promise<void>((resolve) => {
            if (r.child.exitCode !== null || r.child.signalCode !== null) return resolve();
            r.child.once("exit", () => resolve());
            r.child.kill("SIGKILL");
          }),
      ),
    );
  });

  it("finishes an evaluation when a replica is killed mid-run, with nothing lost or repeated", { timeout: 120_000 }, async () => {
    const [a, b] = replicas as [Replica, Replica];
    const pa = await proxy(a.url, 8);
    const pb = await proxy(b.url, 8);
    const engine = await createRemoteEngine({ baseUrls: [pa.url, pb.url], maxParallel: 8, backoffMs: 20 });
    const options = (out: string): EvalOptions => ({ data: [mini], questionField: "q", answerField: "a", out, n: 2, sampling: { seed: 1, temperature: 0.8, maxTokens: 40 } });

    let killedWith: number[] | undefined;
    const watcher = setInterval(() => {
      const inFlight = [...pa.streaming].map((s) => s.chunks);
      if (killedWith === undefined && inFlight.some((c) => c >= 2)) {
        killedWith = inFlight;
        a.child.once("exit", () => pa.breakAll());
        a.child.kill("SIGKILL");
      }
    }, 2);
    const out = mkdtempSync(join(tmpdir(), "qmath-replicas-"));
    let result;
    try {
      result = await runEval(engine, options(out));
    } finally {
      clearInterval(watcher);
    }
    assert.ok(killedWith, "the replica was killed during the run");
    assert.ok(killedWith.some((c) => c >= 2), "with answers streaming from it");
    assert.notEqual(a.child.exitCode ?? a.child.signalCode, null);

    // Every problem once, every sample there.
    const lines = readFileSync(join(out, "results.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as ProblemRecord);
    assert.equal(result.records.length, 6);
    assert.equal(lines.length, 6);
    assert.equal(new Set(lines.map((l) => l.id)).size, 6);
    for (const r of result.records) {
      assert.equal(r.samples.length, 2);
      for (const s of r.samples) assert.notEqual(s.finishReason, "abort");
    }
    assert.ok(pb.bodies.length > 0 && pa.bodies.length > 0, "both replicas served");

    // The same evaluation on the model directly: the reference texts.
    const local = await createEmbeddedEngine({ modelPath: model, threads: 1, maxParallel: 1 });
    const reference = await runEval(local, options(mkdtempSync(join(tmpdir(), "qmath-replicas-ref-"))));
    await local.close();

    // Requests that resumed a cut-off answer: their prompt is a problem's prompt plus the text received.
    const firstPrompts = new Map<string, string>(); // question → its prompt
    for (const body of [...pa.bodies, ...pb.bodies]) {
      const prompt = String(body.prompt);
      const question = result.records.find((r) => prompt.includes(r.question))!.question;
      const known = firstPrompts.get(question);
      if (known === undefined || prompt.length < known.length) firstPrompts.set(question, prompt);
    }
    const resumed = new Map<string, string>(); // "question/sample" → text received before the cut
    for (const body of [...pa.bodies, ...pb.bodies]) {
      const prompt = String(body.prompt);
      const question = result.records.find((r) => prompt.includes(r.question))!.question;
      const base = firstPrompts.get(question)!;
      if (prompt !== base) resumed.set(`${question}/${Number(body.seed) - 1}`, prompt.slice(base.length));
    }
    assert.ok(resumed.size > 0, "at least one answer was resumed on the other replica");
    for (const [i, r] of result.records.entries()) {
      const ref = reference.records[i]!;
      assert.equal(r.question, ref.question);
      for (const [k, s] of r.samples.entries()) {
        const cut = resumed.get(`${r.question}/${k}`);
        if (cut === undefined) {
          assert.equal(s.text, ref.samples[k]!.text, `${r.question} sample ${k}`);
        } else {
          assert.ok(s.text.startsWith(cut), "a resumed sample keeps the text it had");
          assert.ok(!s.text.slice(cut.length).startsWith(cut), "and does not repeat it");
          assert.ok(ref.samples[k]!.text.startsWith(cut), "which is what the model wrote");
          assert.ok(s.tokens <= 40, "within its budget");
        }
      }
    }
    await engine.close();
    await pa.close();
    await pb.close();
  });
});
