/** The qmath CLI end to end: the built bin, run as a user would, on the tiny model. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { assertUserError, closedPort, requireTinyModel, runCli } from "../helpers.js";
import { startStandIn } from "../rewards/standin.js";

const model = requireTinyModel();
const tmp = mkdtempSync(join(tmpdir(), "qmath-cli-"));
const offline = { HF_ENDPOINT: `http://127.0.0.1:${await closedPort()}`, QMATH_MODELS_DIR: join(tmp, "models") };


describe("qmath solve", () => {
  it("streams a solution and prints the final answer", async () => {
    const r = await runCli(["solve", "--model", model, "--max-tokens", "12", "--seed", "1", "What is 2+2?"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\nFinal answer: .+\n$/);
    assert.match(r.stderr, /\[tiny-qwen2\.gguf: \d+ prompt \+ \d+ generated tokens, [\d.]+ tokens\/s/);
  });

  it("prints one JSON object with --json, and repeats itself under a seed", async () => {
    const args = ["solve", "--json", "--model", model, "--max-tokens", "10", "--temperature", "0.9", "--seed", "5", "--n", "2", "What is 2+2?"];
    const [a, b] = await Promise.all([runCli(args), runCli(args)]);
    assert.equal(a.code, 0, a.stderr);
    const result = JSON.parse(a.stdout);
    assert.equal(result.problem, "What is 2+2?");
    assert.equal(result.model, "tiny-qwen2.gguf");
    assert.equal(result.mode, "cot");
    assert.equal(result.promptFormat, "qwen25-math-cot");
    assert.equal(result.samples.length, 2);
    assert.ok(result.usage.promptTokens > 10);
    assert.ok(result.usage.completionTokens >= 1 && result.usage.completionTokens <= 20);
    assert.equal(typeof result.timings.totalMs, "number");
    assert.ok("answer" in result && "text" in result);
    assert.equal(JSON.parse(b.stdout).text, result.text);
  });

  it("votes over N samples and prints the clusters", async () => {
    const r = await runCli(["solve", "--model", model, "--n", "3", "--max-tokens", "12", "--seed", "4", "What is 2+2?"]);
    assert.equal(r.code, 0, r.stderr);
    const json = await runCli(["solve", "--json", "--model", model, "--n", "3", "--max-tokens", "12", "--seed", "4", "What is 2+2?"]);
    const result = JSON.parse(json.stdout);
    assert.equal(result.select, "maj");
    const answered = result.samples.filter((s: { answer: string | null }) => s.answer !== null).length;
    assert.equal(result.vote.reduce((a: number, c: { size: number }) => a + c.size, 0), answered);
    assert.ok(result.vote.length > 0, "seed 4 gives at least one answer");
    assert.match(r.stdout, /\nVotes:\n {2}.+: \d of 3 \(samples [\d, ]+\)/);
    assert.match(r.stdout, /Final answer: /);
  });

  it("selects by a reward model's scores with --select rm --rm-url", async () => {
    // The stand-in reward model prefers longer conversations: the score is the input's length.
    const rm = await startStandIn({ kind: "pool", model: "Qwen/Qwen2.5-Math-RM-72B", pooled: (input) => [[0], [input.length]] });
    try {
      const r = await runCli(["solve", "--json", "--model", model, "--n", "3", "--max-tokens", "12", "--seed", "4", "--select", "rm", "--rm-url", rm.url, "What is 2+2?"]);
      assert.equal(r.code, 0, r.stderr);
      const result = JSON.parse(r.stdout);
      assert.equal(result.select, "rm");
      assert.equal(result.scores.length, 3);
      const best = result.scores.indexOf(Math.max(...result.scores));
      assert.equal(result.selected, best);
      assert.equal(rm.requests.length >= 1, true);
    } finally {
      await rm.close();
    }
    assertUserError(await runCli(["solve", "--model", model, "--select", "prm", "x"]), /--select prm needs a reward model server.*Qwen2\.5-Math-PRM-7B/);
  });

  it("reads the problem from stdin and from a file", async () => {
    const fromStdin = await runCli(["solve", "--json", "--model", model, "--max-tokens", "4"], { input: "What is 3+3?\n" });
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    assert.equal(JSON.parse(fromStdin.stdout).problem, "What is 3+3?");
    const file = join(tmp, "problem.txt");
    writeFileSync(file, "Compute $\\frac{1}{2}+\\frac{1}{3}$.");
    const fromFile = await runCli(["solve", "--json", "--model", model, "--max-tokens", "4", "--file", file]);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.equal(JSON.parse(fromFile.stdout).problem, "Compute $\\frac{1}{2}+\\frac{1}{3}$.");
  });

  it("answers bad input with one clear line and exit code 2", async () => {
    const cases: [string[], RegExp, string?][] = [
      [["solve", "--model", "qwen9-math", "x"], /Unknown model 'qwen9-math'.*qmath models/],
      [["solve", "--model", join(tmp, "absent.gguf"), "x"], /No model file at .*absent\.gguf/],
      [["solve", "--model", model, "--n", "abc", "x"], /--n must be a whole number of at least 1, not 'abc'/],
      [["solve", "--model", model, "--n", "0", "x"], /--n must be a whole number/],
      [["solve", "--model", model, "--temperature=-1", "x"], /--temperature must be a number of at least 0/],
      [["solve", "--model", model, "--frobnicate", "x"], /Unknown option '--frobnicate'.*--help/],
      [["solve", "--model", model, "   "], /The problem is empty/],
      [["solve", "--model", model], /problem is empty/, ""],
      [["solve", "--model", model, "--mode", "magic", "x"], /Unknown --mode 'magic'/],
      [["solve", "--model", model, "--select", "best", "x"], /Unknown --select 'best'/],
      [["solve", "--model", model, "--select", "rm", "x"], /--select rm needs a reward model server/],
      [["solve", "--model", model, "--rm-url", "http://127.0.0.1:1", "x"], /--rm-url is only used with --select rm or --select prm/],
      [["solve", "--model", model, "--select", "first", "--early-stop", "x"], /--early-stop works with --select maj only/],
      [["solve", "--model", model, "sum ".repeat(6000)], /prompt takes \d+ tokens, but the model's context holds \d+/],
      [["frobnicate"], /unknown command 'frobnicate'/],
    ];
    for (const [args, pattern, input] of cases) {
      const r = await runCli(args, { input });
      assert.equal(r.code, 2, `${args.join(" ").slice(0, 80)}: exit ${r.code}, stderr ${r.stderr}`);
      assertUserError(r, pattern);
    }
  });

  it("runs in TIR mode, and refuses a missing sandbox Python with one line", async () => {
    const r = await runCli(["solve", "--json", "--mode", "tir", "--model", model, "--max-tokens", "6", "What is 2+2?"]);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.equal(result.mode, "tir");
    assert.equal(result.promptFormat, "qwen25-math-tir");
    assert.deepEqual(result.samples[0].cells, []);
    assertUserError(await runCli(["solve", "--mode", "tir", "--python", "/nonexistent/python3", "--model", model, "x"]), /Python not found at \/nonexistent\/python3/);
    assertUserError(await runCli(["solve", "--mode", "tir", "--max-calls", "0", "--model", model, "x"]), /--max-calls must be a whole number/);
  });

  it("reports a corrupt model file", async () => {
    const corrupt = join(tmp, "corrupt.gguf");
    writeFileSync(corrupt, Buffer.from("GGUF\x03\x00\x00\x00garbage"));
    assertUserError(await runCli(["solve", "--model", corrupt, "x"]), /corrupt\.gguf is not a usable GGUF model/);
  });

  it("says what could not be fetched, and how to use a local file, without network", async () => {
    const r = await runCli(["solve", "What is 2+2?"], { env: offline });
    assertUserError(r, /Could not fetch .*Qwen2\.5-Math-1\.5B-Instruct-Q4_K_M\.gguf.*--model \/path\/to\/file\.gguf/);
  });
});

describe("qmath models and pull", () => {
  it("lists the family with context, memory and install state", async () => {
    const r = await runCli(["models"], { env: offline });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ID\s+KIND\s+QUANTS/);
    assert.match(r.stdout, /qwen2\.5-math-1\.5b-instruct\s+instruct\s+Q4_K_M,Q5_K_M,Q6_K,Q8_0\s+4096\s+~\d\.\d GiB\s+-/);
    assert.match(r.stdout, /qwen2\.5-math-rm-72b\s+reward\s+vLLM only/);
    const json = JSON.parse((await runCli(["models", "--json"], { env: offline })).stdout);
    assert.equal(json.length, 14);
    assert.equal(json[0].source, "Qwen/Qwen2.5-Math-1.5B-Instruct");
  });

  it("pull fails clearly without network and for unknown ids", async () => {
    assertUserError(await runCli(["pull", "qwen2-math-7b-instruct"], { env: offline }), /Could not fetch .*Qwen2-Math-7B-Instruct-Q4_K_M\.gguf/);
    assertUserError(await runCli(["pull"], { env: offline }), /Name one model/);
    assertUserError(await runCli(["pull", "nope"], { env: offline }), /Unknown model 'nope'/);
  });
});

describe("qmath chat", () => {
  it("holds a multi-turn conversation from piped input", async () => {
    const r = await runCli(["chat", "--model", model, "--max-tokens", "6", "--seed", "2"], { input: "What is 2+2?\nexplain step 3\n/reset\nhi\n/exit\n" });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /qmath chat with tiny-qwen2\.gguf/);
    assert.match(r.stdout, /\(new conversation\)/);
  });
});
