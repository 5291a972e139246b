/**
 * The evaluation runner: exact accuracy on recorded answers played back by the scripted
 * engine, resume after an interruption with nothing lost or repeated, refusal of a run
 * folder made with another configuration, and a crash-truncated results file.
 */
import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createScriptedEngine } from "../../src/engine/scripted.js";
import { QmathError } from "../../src/errors.js";
import { runEval, type EvalOptions } from "../../src/eval/runner.js";
import type { ProblemRecord } from "../../src/eval/record.js";
import { summarize } from "../../src/eval/summary.js";
import { sampleMetrics } from "../../src/select/metrics.js";
import { datasetDescriptor, fewShotsFor } from "../../src/datasets/index.js";
import { DEFAULT_SHOTS, fewShotPrompt, type Shot } from "../../src/prompts/fewshot.js";
import { HarnessExamples } from "../../src/prompts/harness-examples.js";
import { repoRoot } from "../helpers.js";
import { fewShotFixture, fixtureDataDir } from "../datasets/fixtures.js";

const mini = join(repoRoot, "test", "fixtures", "eval", "mini.jsonl");

/** Answers by question: right for all but "What is 3*3?" (says 8), and 1/2 written as 0.5. */
const ANSWERS: Record<string, string> = {
  "What is 2+3?": "5",
  "What is half of 1?": "0.5",
  "Solve x+1=3 for x.": "x = 2",
  "What is 3*3?": "8",
  "What is 10-4?": "6",
  "What is 2^5?": "32",
};

function answeringEngine() {
  return createScriptedEngine({
    scripts: (prompt) => {
      const question = Object.keys(ANSWERS).find((q) => prompt.includes(q));
      return question ? `Step by step.\nThe answer is $\\boxed{${ANSWERS[question]}}$.` : "I do not know.";
    },
  });
}

const base = (out: string): EvalOptions => ({ data: [mini], questionField: "q", answerField: "a", out });
const results = (out: string): ProblemRecord[] =>
  readFileSync(join(out, "results.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as ProblemRecord);

describe("runEval", () => {
  it("grades every sample and gets the accuracy exactly right", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-"));
    const r = await runEval(answeringEngine(), { ...base(out), n: 2, concurrency: 3 });
    assert.equal(r.records.length, 6);
    assert.equal(r.records.filter((x) => x.correct).length, 5);
    assert.deepEqual(r.records.map((x) => x.question), Object.keys(ANSWERS)); // in data order
    const half = r.records[1]!;
    assert.equal(half.answer, "0.5");
    assert.equal(half.reference, "\\frac{1}{2}");
    assert.equal(half.correct, true);
    assert.equal(half.samples.length, 2);
    assert.deepEqual(half.samples.map((s) => s.reason), ["equal", "equal"]);
    assert.equal(r.records[3]!.correct, false);
    assert.equal(results(out).length, 6);
    const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8"));
    assert.equal(config.config.plan.n, 2);
    assert.equal(config.config.plan.sampling.temperature, 0.7); // the resolved plan, as executed
    assert.equal(config.config.plan.sampling.seed, 0);
    assert.equal(config.config.model, "scripted");
  });

  it("runs benchmark sets by name, with their own answer fields", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-"));
    // An engine that copies the reference of each problem into its answer: 100% by construction.
    const references: Record<string, string> = { "A farmer packs": "12", "Mia reads": "140", "A school buys": "850" };
    const engine = createScriptedEngine({
      scripts: (prompt) => `So the answer is $\\boxed{${Object.entries(references).find(([q]) => prompt.includes(q))?.[1] ?? "?"}}$.`,
    });
    const r = await runEval(engine, { data: ["gsm8k"], dataDir: fixtureDataDir, limit: 3, out });
    assert.equal(r.records.length, 3);
    assert.equal(r.records[0]!.dataset, "gsm8k");
    assert.deepEqual(r.records.map((x) => [x.reference, x.correct]), [["12", true], ["140", true], ["850", true]]);
  });

  it("runs a local file with the usual field names without being told its fields", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-"));
    const file = join(mkdtempSync(join(tmpdir(), "qmath-eval-data-")), "plain.jsonl");
    writeFileSync(file, [JSON.stringify({ question: "What is 2+3?", answer: "5" }), JSON.stringify({ problem: "What is 3*3?", gt: "9" })].join("\n"));
    const r = await runEval(answeringEngine(), { data: [file], out });
    assert.deepEqual(r.records.map((x) => [x.dataset, x.question, x.reference, x.correct]), [["plain", "What is 2+3?", "5", true], ["plain", "What is 3*3?", "9", false]]);
  });

  it("prompts base models with the harness's shots for each set, read from the examples file", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-"));
    const prompts: string[] = [];
    const engine = createScriptedEngine({ scripts: (prompt) => (prompts.push(prompt), "The answer is $\\boxed{1}$.") });
    const common = { out, dataDir: fixtureDataDir, promptFormat: "few-shot" as const, fewShotFile: fewShotFixture, concurrency: 1 };
    await runEval(engine, { ...common, data: ["gsm8k", "gaokao2024_I", "cmath"], limit: 2 });
    const shots = HarnessExamples.parse(readFileSync(fewShotFixture, "utf8"), fewShotFixture);
    const expected: [string, readonly Shot[]][] = [
      ...["A farmer packs 24 apples", "Mia reads 15 pages"].map((q): [string, readonly Shot[]] => [q, fewShotsFor(datasetDescriptor("gsm8k"), shots)!]),
      ["已知 $x+1=3$", shots.shots("gaokao")], // one choice letter: shots
      ["计算 $2^3=$", []], // not a choice letter: zero-shot
      // a set the harness has no shots for keeps the general worked examples, as before
      ["小明有5个苹果", DEFAULT_SHOTS],
      ["一本书有40页", DEFAULT_SHOTS],
    ];
    assert.equal(prompts.length, expected.length);
    for (const [i, [start, demos]] of expected.entries()) {
      const problem = prompts[i]!.slice(prompts[i]!.lastIndexOf("Question: ") + "Question: ".length);
      assert.ok(problem.includes(start), `${i}: ${problem}`);
      assert.equal(prompts[i], fewShotPrompt(problem.replace(/\nAnswer:$/, ""), demos), `prompt ${i}`);
    }
    // a run that needs shots and cannot find the file says so before running anything
    await assert.rejects(
      runEval(engine, { ...common, out: mkdtempSync(join(tmpdir(), "qmath-eval-")), data: ["gsm8k"], fewShotFile: "/nonexistent/examples.py" }),
      /Cannot read the few-shot examples file \/nonexistent\/examples\.py/,
    );
  });

  it("continues an interrupted run without losing or repeating a problem", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-"));
    const stop = new AbortController();
    await assert.rejects(
      runEval(answeringEngine(), { ...base(out), concurrency: 1, signal: stop.signal, onProgress: (p) => p.done === 2 && stop.abort() }),
      (e: unknown) => e instanceof QmathError && e.code === "aborted" && /Run the same command again/.test(e.hint ?? ""),
    );
    assert.equal(results(out).length, 2);
    const again = await runEval(answeringEngine(), { ...base(out), concurrency: 1 });
    assert.equal(again.resumed, 2);
    assert.equal(again.ran, 4);
    const lines = results(out);
    assert.equal(lines.length, 6);
    assert.equal(new Set(lines.map((l) => l.id)).size, 6);
  });

  it("drops a last line cut short by a crash and runs that problem again", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-"));
    await runEval(answeringEngine(), { ...base(out), limit: 3 });
    appendFileSync(join(out, "results.jsonl"), '{"dataset": "mini", "id": "3", "quest');
    // Same settings but another limit would be another configuration: the limit is part of it.
    const again = await runEval(answeringEngine(), { ...base(out), limit: 3 });
    assert.equal(again.resumed, 3);
    assert.equal(again.ran, 0);
    assert.equal(results(out).length, 3);
  });

  it("refuses a run folder made with another configuration, naming the difference", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-"));
    await runEval(answeringEngine(), { ...base(out), limit: 1 });
    await assert.rejects(
      runEval(answeringEngine(), { ...base(out), limit: 1, n: 2 }),
      (e: unknown) => e instanceof QmathError && /another configuration \(plan\.n: 1 there, 2 now; .*plan\.sampling\.temperature: 0 there, 0\.7 now/.test(e.message),
    );
  });

  it("lets one run at a time into a folder, refusing the second by the pid that holds it", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-"));
    const slow = () => createScriptedEngine({ pieceDelayMs: 2, scripts: () => "step step step\nThe answer is $\\boxed{1}$." });
    const runs = await Promise.allSettled([runEval(slow(), { ...base(out), concurrency: 1 }), runEval(slow(), { ...base(out), concurrency: 1 })]);
    const done = runs.filter((r) => r.status === "fulfilled");
    const refused = runs.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    assert.equal(done.length, 1);
    assert.equal(refused.length, 1);
    const e = refused[0];
    assert.ok(e instanceof QmathError && e.code === "bad_input", String(e));
    assert.match(e.message, new RegExp(`in use by another qmath eval \\(pid ${process.pid}, since `));
    assert.equal(results(out).length, 6, "every problem written once");
    assert.ok(!existsSync(join(out, "run.lock")), "released when the run ends");
    // released on an error too: a refused configuration leaves the folder free
    await assert.rejects(runEval(answeringEngine(), { ...base(out), n: 2 }), /another configuration/);
    assert.ok(!existsSync(join(out, "run.lock")));
    // ... and when interrupted
    const stop = new AbortController();
    await assert.rejects(runEval(answeringEngine(), { ...base(mkdtempSync(join(tmpdir(), "qmath-eval-"))), signal: stop.signal, onProgress: () => stop.abort() }), /Interrupted/);
  });

  it("takes over the lock of a run that was killed, and refuses one held by a live process", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-"));
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!; // a process that has exited
    writeFileSync(join(out, "run.lock"), JSON.stringify({ pid: dead, host: hostname(), started: "2020-01-01T00:00:00.000Z", token: "old" }));
    const r = await runEval(answeringEngine(), { ...base(out), limit: 2 });
    assert.equal(r.ran, 2);
    assert.ok(!existsSync(join(out, "run.lock")));
    // a live process (this one's parent) holding it: refused, naming it
    writeFileSync(join(out, "run.lock"), JSON.stringify({ pid: process.ppid, host: hostname(), started: "2020-01-01T00:00:00.000Z", token: "live" }));
    await assert.rejects(
      runEval(answeringEngine(), { ...base(out), limit: 2 }),
      (e: unknown) => e instanceof QmathError && e.code === "bad_input" && e.message.includes(`pid ${process.ppid}`),
    );
    assert.ok(existsSync(join(out, "run.lock")), "another run's lock is left alone");
  });

  it("refuses to continue a run whose data file was edited in place, naming the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmath-eval-"));
    const data = join(dir, "edited.jsonl");
    writeFileSync(data, JSON.stringify({ question: "What is 2+3?", answer: "5" }) + "\n");
    const out = join(dir, "run");
    await runEval(answeringEngine(), { data: [data], out });
    const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8"));
    assert.match(config.dataFiles[data].sha256, /^[0-9a-f]{64}$/);
    await runEval(answeringEngine(), { data: [data], out }); // unchanged: continues
    writeFileSync(data, JSON.stringify({ question: "What is 2+3?", answer: "6" }) + "\n"); // a corrected reference
    await assert.rejects(
      runEval(answeringEngine(), { data: [data], out }),
      (e: unknown) => e instanceof QmathError && e.code === "bad_input" && e.message.includes(`The data file ${data} has changed`),
    );
    assert.ok(!existsSync(join(out, "run.lock")));
  });

  it("records the resolved file of a benchmark set and notices it changing", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "qmath-eval-sets-"));
    mkdirSync(join(dataDir, "gsm8k"));
    const file = join(dataDir, "gsm8k", "test.jsonl");
    writeFileSync(file, readFileSync(join(fixtureDataDir, "gsm8k", "test.jsonl")));
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-"));
    await runEval(answeringEngine(), { data: ["gsm8k"], dataDir, limit: 1, out });
    assert.equal(JSON.parse(readFileSync(join(out, "config.json"), "utf8")).dataFiles.gsm8k.path, file);
    writeFileSync(file, readFileSync(file, "utf8").replace("A farmer packs", "A farmer carefully packs")); // the first problem edited
    await assert.rejects(
      runEval(answeringEngine(), { data: ["gsm8k"], dataDir, limit: 1, out }),
      (e: unknown) => e instanceof QmathError && e.message.includes(`The data file ${file} has changed`),
    );
  });

  it("a folder that cannot be made is one line naming it, not an internal error", async () => {
    // Root writes through chmod 0o555, so the attack is a path through a regular file (ENOTDIR).
    const file = join(mkdtempSync(join(tmpdir(), "qmath-eval-")), "a-file");
    writeFileSync(file, "");
    await assert.rejects(
      runEval(answeringEngine(), { ...base(join(file, "run")) }),
      (e: unknown) => e instanceof QmathError && e.code === "bad_input" && !e.message.includes("\n") && e.message.includes(`Cannot write the run folder ${join(file, "run")}`) && /ENOTDIR/.test(e.message),
    );
  });

  it("a disk that fills mid-run ends in one line with every finished problem kept whole and no temporary files", () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-"));
    // A run in a child process whose files may not grow past 2 KiB (ulimit -f: EFBIG, as ENOSPC
    // for a full disk; works as root, where permissions do not stop writes).
    const runner = new URL("../../src/eval/runner.js", import.meta.url).href;
    const scripted = new URL("../../src/engine/scripted.js", import.meta.url).href;
    const child = `
      const { runEval } = await import(${JSON.stringify(runner)});
      const { createScriptedEngine } = await import(${JSON.stringify(scripted)});
      const engine = createScriptedEngine({ scripts: () => "x".repeat(300) + " The answer is $\\\\boxed{1}$." });
      try {
        await runEval(engine, { data: [${JSON.stringify(mini)}], questionField: "q", answerField: "a", out: ${JSON.stringify(out)}, concurrency: 2 });
        console.log("finished");
      } catch (e) {
        console.log(e.name === "QmathError" ? "QmathError " + e.code + ": " + e.toLine() : "internal error: " + e.stack);
      }`;
    const r = spawnSync("bash", ["-c", 'ulimit -f 2 && exec "$0" --input-type=module -e "$1"', process.execPath, child], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.equal(lines.length, 1, r.stdout);
    assert.match(lines[0]!, /^QmathError bad_input: Cannot write the run folder .*EFBIG.*Every problem finished before is kept/);
    const text = readFileSync(join(out, "results.jsonl"), "utf8");
    assert.ok(text.endsWith("\n"), "no cut-short last line");
    const kept = results(out);
    assert.ok(kept.length >= 1 && kept.length < 6, `${kept.length} problems kept`);
    assert.deepEqual(readdirSync(out).sort(), ["config.json", "results.jsonl"], "no lock, no temporary files");
    // With room again, the same run continues from the kept problems.
    const again = spawnSync(process.execPath, ["--input-type=module", "-e", child], { encoding: "utf8" });
    assert.equal(again.stdout.trim(), "finished", again.stderr);
    assert.equal(results(out).length, 6);
  });

  it("reports broken lines of a local file by number and scores the rest", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-"));
    const r = await runEval(answeringEngine(), { ...base(out), data: [join(repoRoot, "test", "fixtures", "eval", "broken.jsonl")] });
    assert.equal(r.records.length, 2);
    assert.equal(r.dataErrors.length, 1);
    assert.equal(r.dataErrors[0]!.line, 2);
  });
});

describe("runEval records and the summary agree", () => {
  /** Four samples per question: ties that finish-order voting would settle the other way (the slow samples come first). */
  const VOTES: Record<string, [string, number][]> = {
    "What is 2+3?": [["6", 40], ["5", 0], ["5", 1], ["6", 40]], // tie, earliest is 6: wrong
    "What is half of 1?": [["0.5", 40], ["1/3", 0], ["\\frac{1}{2}", 40], ["1/3", 1]], // tie, earliest is 0.5: right
    "Solve x+1=3 for x.": [["x = 2", 30], ["3", 0], ["2", 20], ["4", 1]], // 2 wins
    "What is 3*3?": [["8", 0], ["9", 30], ["9", 30], ["8", 1]], // tie, earliest is 8: wrong
    "What is 10-4?": [["6", 5], ["6", 0], ["6", 9], ["6", 2]],
    "What is 2^5?": [["32", 30], ["16", 0], ["64", 1], ["32", 30]],
  };

  it("the selected answer is maj@N's winner for every problem, however the samples finish", async () => {
    const out = mkdtempSync(join(tmpdir(), "qmath-eval-"));
    const engine = createScriptedEngine({
      pieceDelayMs: 1,
      scripts: (prompt, i) => {
        const [answer, words] = Object.entries(VOTES).find(([q]) => prompt.includes(q))![1][i]!;
        return `${"step ".repeat(words)}\nThe answer is $\\boxed{${answer}}$.`;
      },
    });
    const r = await runEval(engine, { data: [mini], questionField: "q", answerField: "a", out, n: 4 });
    for (const record of r.records) {
      const maj = sampleMetrics(record.samples, 4).atK.get(4)!;
      assert.equal(record.selected, maj.majWinner, record.question);
      assert.equal(record.correct, maj.maj, record.question);
    }
    assert.deepEqual(r.records.map((x) => x.selected), [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(r.records.map((x) => x.correct), [false, true, true, false, true, true]);
    const metrics = summarize(r.records).datasets[0]!.metrics;
    assert.equal(metrics["maj@k"], metrics.accuracy);
    assert.ok(Math.abs(metrics.accuracy - 200 / 3) < 1e-9);
  });

  it("grades, votes and records with the equivalence options it is given", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmath-eval-"));
    const data = join(dir, "percent.jsonl");
    writeFileSync(data, JSON.stringify({ q: "What share is a quarter, in percent?", a: "25" }) + "\n");
    const engine = () => createScriptedEngine({ scripts: ["30", "0.25", "25"].map((a) => `So $\\boxed{${a}}$.`) });
    const equivalence = { percentScale: true };
    const out = join(dir, "run");
    const r = await runEval(engine(), { data: [data], questionField: "q", answerField: "a", out, n: 3, selection: { equivalence } });
    const [record] = r.records;
    assert.deepEqual(record!.samples.map((x) => x.correct), [false, true, true]);
    assert.deepEqual([record!.selected, record!.answer, record!.correct], [1, "0.25", true], "0.25 and 25 are one answer: 2 votes to 1");
    assert.deepEqual(r.config.plan.selection.equivalence, { percentScale: true });
    const metrics = summarize(r.records, { equivalence }).datasets[0]!.metrics;
    assert.deepEqual([metrics.accuracy, metrics["maj@k"]], [100, 100]);
    await assert.rejects(
      runEval(engine(), { data: [data], questionField: "q", answerField: "a", out, n: 3 }),
      (e: unknown) => e instanceof QmathError && /plan\.selection\.equivalence\.percentScale: true there, \(unset\) now/.test(e.message),
    );
  });
});
