/**
 * qmath eval end to end on the tiny model: concurrency, the run folder and reports, a run
 * killed mid-way and continued with nothing lost or repeated, and bad input.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { assertUserError, cliPath, repoRoot, requireTinyModel, runCli, startCli } from "../helpers.js";
import { startStandIn } from "../rewards/standin.js";
import { createEmbeddedEngine } from "../../src/engine/embedded/llama-engine.js";
import { createServer } from "../../src/server/app.js";
import { fixtureDataDir } from "../datasets/fixtures.js";

const model = requireTinyModel();
const mini = join(repoRoot, "test", "fixtures", "eval", "mini.jsonl");
const fields = ["--question-field", "q", "--answer-field", "a"];
const lines = (out: string) => (existsSync(join(out, "results.jsonl")) ? readFileSync(join(out, "results.jsonl"), "utf8").split("\n").filter(Boolean) : []);

describe("qmath eval (tiny model)", () => {
  it("runs problems concurrently, writes results, config and reports, and prints the table", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-cli-"));
    const r = await runCli(["eval", "--model", model, "--data", mini, ...fields, "--out", out, "--max-tokens", "6", "--n", "2", "--concurrency", "3", "--temperature", "0.8", "--seed", "1"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lines(out).length, 6);
    for (const file of ["config.json", "summary.json", "report.md"]) assert.ok(existsSync(join(out, file)), file);
    assert.match(r.stdout, /mini/);
    assert.match(r.stdout, /report\.md/);
    const record = JSON.parse(lines(out)[0]!);
    assert.equal(record.samples.length, 2);
    assert.equal(typeof record.samples[0].text, "string");
  });

  it("prints breakdowns by level and subject where the data has them", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-cli-"));
    // the project's own math500-layout fixture; --no-download: a missing file must fail, never fetch
    const r = await runCli(["eval", "--model", model, "--data", "math500", "--data-dir", fixtureDataDir, "--no-download", "--out", out, "--max-tokens", "2"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^math500 by level\s+problems\s+accuracy$/m);
    assert.match(r.stdout, /^math500 by subject\s+problems\s+accuracy$/m);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    assert.equal(summary.datasets[0].byLevel.reduce((a: number, g: { problems: number }) => a + g.problems, 0), 3);
  });

  it("continues a run killed mid-way, with nothing lost or repeated", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-cli-"));
    const args = ["eval", "--model", model, "--data", mini, ...fields, "--out", out, "--max-tokens", "60", "--concurrency", "1"];
    const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, QMATH_THREADS: "2" }, stdio: "ignore" });
    const deadline = Date.now() + 60_000;
    while (lines(out).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGKILL");
    await new Promise((r) => child.on("close", r));
    const before = lines(out).length;
    assert.ok(before >= 2 && before < 6, `${before} problems were done when the run was killed`);
    const again = await runCli(args);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, new RegExp(`Continued a run: ${before} problems were already done, ${6 - before} ran now`));
    const ids = lines(out).map((l) => JSON.parse(l).id);
    assert.equal(ids.length, 6);
    assert.equal(new Set(ids).size, 6);
  });

  it("stops on Ctrl-C with exit code 130 and one line, keeping every finished problem", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-cli-"));
    const args = ["eval", "--model", model, "--data", mini, ...fields, "--out", out, "--max-tokens", "60", "--concurrency", "1"];
    const cli = startCli(args);
    const deadline = Date.now() + 60_000;
    while (lines(out).length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    cli.ctrlC();
    const r = await cli.exited;
    assert.equal(r.code, 130, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const last = r.stderr.trimEnd().split("\n").at(-1)!;
    const m = /^qmath eval: Interrupted after (\d) of 6 problems; they are saved in (.+)\. Run the same command again to continue\.$/.exec(last);
    assert.ok(m, last);
    assert.equal(m[2], out);
    const saved = lines(out).length;
    assert.equal(Number(m[1]), saved, "the line counts what is saved");
    assert.ok(saved >= 1 && saved < 6, `${saved} saved`);
    const again = await runCli(args);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(new Set(lines(out).map((l) => JSON.parse(l).id)).size, 6);
  });

  it("checks the reward model server before running a problem", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-cli-"));
    const notRm = await startStandIn({ kind: "raw", status: 404, body: JSON.stringify({ detail: "Not Found" }) });
    try {
      const r = await runCli(["eval", "--model", model, "--data", mini, ...fields, "--out", out, "--n", "2", "--select", "rm", "--rm-url", notRm.url, "--max-tokens", "4"]);
      assertUserError(r, /has no Pooling API \(HTTP 404: Not Found\), so it does not serve a reward model/);
      assert.equal(lines(out).length, 0);
    } finally {
      await notRm.close();
    }
  });

  it("runs on a remote OpenAI-compatible server with --engine openai", async () => {
    const server = createServer({ engine: await createEmbeddedEngine({ modelPath: model, threads: 1, maxParallel: 2, gpu: false }) });
    const url = await server.listen(0);
    try {
      const out = mkdtempSync(join(tmpdir(), "qmath-eval-cli-"));
      const r = await runCli(["eval", "--engine", "openai", "--base-url", url, "--data", mini, ...fields, "--out", out, "--max-tokens", "4", "--limit", "3"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(lines(out).length, 3);
      assert.equal(JSON.parse(readFileSync(join(out, "config.json"), "utf8")).config.model, "tiny-qwen2.gguf");
      assert.ok(server.metrics.generatedTokens > 0, "the remote server did the generating");
    } finally {
      await server.close();
    }
  });

  it("answers bad input with one clear line", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-cli-"));
    assertUserError(await runCli(["eval", "--model", model, "--data", "nosuchset", "--out", out]), /Unknown dataset 'nosuchset'/);
    assertUserError(await runCli(["eval", "--model", model, "--data", mini, "--out", out]), /mini\.jsonl has no usable lines: .*--question-field and --answer-field/);
    assertUserError(
      await runCli(["eval", "--model", model, "--data", "gsm8k", "--data-dir", fixtureDataDir, "--prompt-format", "few-shot", "--fewshot-file", "/nonexistent/examples.py", "--out", out]),
      /Cannot read the few-shot examples file \/nonexistent\/examples\.py \(ENOENT\)/,
    );
    assertUserError(await runCli(["eval", "--model", model, "--out", out]), /No data given/);
    assertUserError(await runCli(["eval", "--model", model, "--data", mini, ...fields]), /No run folder given/);
    const ok = await runCli(["eval", "--model", model, "--data", mini, ...fields, "--out", out, "--max-tokens", "2", "--limit", "1"]);
    assert.equal(ok.code, 0, ok.stderr);
    assertUserError(
      await runCli(["eval", "--model", model, "--data", mini, ...fields, "--out", out, "--max-tokens", "3", "--limit", "1"]),
      /made with another configuration \(plan\.sampling\.maxTokens: 2 there, 3 now\)/,
    );
  });

  it("scores a file with broken lines, naming each, and the rest", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-cli-"));
    const r = await runCli(["eval", "--model", model, "--data", join(repoRoot, "test", "fixtures", "eval", "broken.jsonl"), ...fields, "--out", out, "--max-tokens", "2"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /broken\.jsonl line 2: /);
    assert.equal(lines(out).length, 2);
  });

  it("--percent-scale reaches the grading, the vote and the table of --from-outputs", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "qmath-eval-cli-")), "outputs.jsonl");
    writeFileSync(file, JSON.stringify({ idx: 0, gt: "25", code: ["\\boxed{30}", "\\boxed{0.25}", "\\boxed{25}"] }) + "\n");
    const lenient = await runCli(["eval", "--from-outputs", file, "--k", "3", "--json", "--percent-scale"]);
    assert.equal(lenient.code, 0, lenient.stderr);
    const round = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([key, v]) => [key, Math.round(v * 1e6) / 1e6]));
    assert.deepEqual(round(JSON.parse(lenient.stdout)), round({ "pass@1": 200 / 3, "maj@3": 100, "pass@3": 100 }));
    const table = await runCli(["eval", "--from-outputs", file, "--k", "3", "--percent-scale"]);
    assert.match(table.stdout, /^outputs\s+1\s+100\.0\s+66\.7\s+100\.0\s+100\.0$/m, "accuracy and maj@3 of the summary table agree");
    const strict = await runCli(["eval", "--from-outputs", file, "--k", "3", "--json"]);
    assert.deepEqual(round(JSON.parse(strict.stdout)), round({ "pass@1": 100 / 3, "maj@3": 0, "pass@3": 100 }));
  });

  it("--tolerance reaches the grading and the vote of --from-outputs (1e-4: the harness's rule for decimals)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "qmath-eval-cli-")), "outputs.jsonl");
    writeFileSync(file, JSON.stringify({ idx: 0, gt: "\\frac{1}{3}", code: ["\\boxed{0.333}", "\\boxed{0.333}", "\\boxed{0.5}"] }) + "\n");
    const round = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([key, v]) => [key, Math.round(v * 1e6) / 1e6]));
    const shown = await runCli(["eval", "--from-outputs", file, "--k", "3", "--json"]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.deepEqual(round(JSON.parse(shown.stdout)), round({ "pass@1": 200 / 3, "maj@3": 100, "pass@3": 100 }));
    const harness = await runCli(["eval", "--from-outputs", file, "--k", "3", "--json", "--tolerance", "1e-4"]);
    assert.equal(harness.code, 0, harness.stderr);
    assert.deepEqual(round(JSON.parse(harness.stdout)), round({ "pass@1": 0, "maj@3": 0, "pass@3": 0 }));
  });

  it("--from-outputs says how many references it read from the set's own fields and how many differ from gt", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "qmath-eval-cli-")), "math500");
    mkdirSync(dir);
    const file = join(dir, "test_outputs.jsonl");
    writeFileSync(file, JSON.stringify({ idx: 0, gt: "4:30p..", answer: "\\text{4:30 p.m.}", code: ["\\boxed{4:30 \\text{ p.m.}}"] }) + "\n");
    const table = await runCli(["eval", "--from-outputs", file, "--k", "1"]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^references: 1 read from the set's own fields, 1 of them differ from the harness's gt$/m);
    assert.match(table.stdout, /pass@1: 100\.0/);
    const json = await runCli(["eval", "--from-outputs", file, "--k", "1", "--json"]);
    assert.equal(JSON.parse(json.stdout)["pass@1"], 100);
    assert.match(json.stderr, /references: 1 read from the set's own fields, 1 of them differ/);
  });
});
