/** The qmath CLI end to end: the built bin, run as a user would, on the tiny model. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { assertUserError, closedPort, requireTinyModel, runCli, startCli } from "../helpers.js";
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
    // The streamed text is sample 0's, and the output says so before it.
    assert.ok(r.stdout.startsWith("[sample 0 of 3; the other 2 run alongside; the votes follow]\n"), r.stdout.slice(0, 100));
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

  it("runs more samples than --parallel in waves, and says so", async () => {
    const r = await runCli(["solve", "--model", model, "-n", "5", "--parallel", "2", "--max-tokens", "4", "--seed", "1", "What is 2+2?"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith("[sample 0 of 5; the others run in waves of 2; the votes follow]\n"), r.stdout.slice(0, 100));
    const json = JSON.parse((await runCli(["solve", "--json", "--model", model, "-n", "5", "--parallel", "2", "--max-tokens", "4", "--seed", "1", "What is 2+2?"])).stdout);
    assert.deepEqual(
      json.samples.map((s: { index: number }) => s.index),
      [0, 1, 2, 3, 4],
    );
  });

  it("runs more samples than decode at once in waves, and refuses a --parallel llama.cpp cannot hold before loading", async () => {
    const r = await runCli(["solve", "--model", model, "-n", "70", "--max-tokens", "1", "--json", "x"]);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.equal(result.samples.length, 70);
    assert.equal(result.plan.parallel, 64, "waves of 64");
    // The model path does not exist: the refusal comes first, so nothing was loaded.
    const absent = join(tmp, "never-loaded.gguf");
    assertUserError(await runCli(["solve", "--model", absent, "-n", "1000", "--parallel", "300", "x"]), /^qmath solve: --parallel 300 is more than .* at most 256 .*--parallel 256 or less; the samples then run in waves\.$/);
  });

  it("probes the reward model before generating, and ends streamed text before an error", async () => {
    // A loopback server that is not a reward model: the probe finds it before any sample is generated.
    const notRm = await startStandIn({ kind: "raw", status: 404, body: JSON.stringify({ detail: "Not Found" }) });
    try {
      const r = await runCli(["solve", "--model", model, "-n", "2", "--max-tokens", "40", "--select", "rm", "--rm-url", notRm.url, "What is 2+2?"]);
      assertUserError(r, /^qmath solve: The server at http:\/\/127\.0\.0\.1:\d+\/pooling has no Pooling API \(HTTP 404: Not Found\), so it does not serve a reward model\./);
      assert.equal(notRm.requests.length, 1);
      assert.equal(notRm.requests[0]!.path, "/pooling");
    } finally {
      await notRm.close();
    }
    // A server that answers the probe but breaks on the real scores: the error comes after the
    // streamed text, on a line of its own.
    const flaky = await startStandIn({ kind: "pool", model: "Qwen/Qwen2.5-Math-RM-72B", pooled: (input) => (input.includes("What is 1+1?") ? [[0], [1]] : "garbage") });
    try {
      const r = await runCli(["solve", "--model", model, "-n", "2", "--max-tokens", "12", "--seed", "3", "--select", "rm", "--rm-url", flaky.url, "What is 2+2?"]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stdout, /^\[sample 0 of 2; the other 1 run alongside; the selection follows\]\n/);
      assert.ok(r.stdout.endsWith("\n"), `the streamed text was left open: ${JSON.stringify(r.stdout)}`);
      assert.equal(r.stderr.split("\n").length, 2, r.stderr);
      assert.match(r.stderr, /^qmath solve: The reward model server's answer is not pooling output/);
    } finally {
      await flaky.close();
    }
  });

  it("stops on Ctrl-C while generating: one line, exit code 130", async () => {
    // Greedy decoding on the tiny model never ends a turn: it runs until Ctrl-C.
    const cli = startCli(["solve", "--model", model, "--max-tokens", "4000", "What is 2+2?"]);
    await cli.waitFor(({ stdout }) => stdout.length > 0);
    cli.ctrlC();
    const r = await cli.exited;
    assert.equal(r.code, 130, r.stderr);
    assert.equal(r.stderr, "qmath solve: Solving was interrupted.\n");
    assert.ok(r.stdout.endsWith("\n"));
  });

  it("stops on Ctrl-C while the model loads with one line, never a stack trace", async () => {
    // Ctrl-C goes to the whole process group, as a terminal sends it (it also hits
    // node-llama-cpp's binary test process). Each delay lands in a different phase.
    for (const delayMs of [150, 300, 450, 600, 800]) {
      const cli = startCli(["solve", "--model", model, "--max-tokens", "4000", "What is 2+2?"]);
      await new Promise((r) => setTimeout(r, delayMs));
      if (cli.stdout() !== "") {
        cli.ctrlC(); // already generating: the other test's case
        await cli.exited;
        continue;
      }
      cli.ctrlC();
      const r = await cli.exited;
      assert.doesNotMatch(r.stderr, /\n\s+at |node-llama-cpp|Reinstall/, `after ${delayMs} ms: ${r.stderr}`);
      if (r.signal === "SIGINT") {
        assert.equal(r.stderr, "", "killed before the handler was installed: nothing printed"); // node was still starting
        continue;
      }
      assert.equal(r.code, 130, `after ${delayMs} ms: ${r.stderr}`);
      assert.match(r.stderr, /^qmath solve: (interrupted|Interrupted while loading the model|Solving was interrupted)\.\n$/, `after ${delayMs} ms`);
    }
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
    const dash = await runCli(["solve", "--json", "--model", model, "--max-tokens", "4", "--file", "-"], { input: "What is 5+5?\n" });
    assert.equal(dash.code, 0, dash.stderr);
    assert.equal(JSON.parse(dash.stdout).problem, "What is 5+5?");
  });

  it("answers bad input with one clear line and exit code 2", async () => {
    const cases: [string[], RegExp, string?][] = [
      [["solve", "--model", "qwen9-math", "x"], /Unknown model 'qwen9-math'.*qmath models/],
      [["solve", "--model", join(tmp, "absent.gguf"), "x"], /No model file at .*absent\.gguf/],
      [["solve", "--model", model, "--n", "abc", "x"], /--n must be a whole number from 1 to 4096, not 'abc'/],
      [["solve", "--model", model, "--n", "0", "x"], /--n must be a whole number/],
      [["solve", "--model", model, "--temperature=-1", "x"], /--temperature must be a number from 0 to 2/],
      // Negative values are values, not options: the flag's own check answers.
      [["solve", "--model", model, "-t", "-1", "x"], /^qmath solve: --temperature must be a number from 0 to 2, not '-1'\.$/],
      [["solve", "--model", model, "--seed", "-5", "x"], /^qmath solve: --seed must be a whole number from 0 to 4294967295, not '-5'\.$/],
      [["solve", "--model", model, "--temprature", "0.5", "x"], /^qmath solve: Unknown option '--temprature' \(did you mean --temperature\?\)\. Run 'qmath solve --help'/],
      [["solve", "--model", model, "--select", "maj", "--prm-reduce", "min", "x"], /--prm-reduce is only used with --select prm/],
      [["solve", "--model", model, "--frobnicate", "x"], /Unknown option '--frobnicate'.*--help/],
      [["solve", "--model", model, "   "], /The problem is empty/],
      [["solve", "--model", model], /problem is empty/, ""],
      [["solve", "--model", model, "--mode", "magic", "x"], /Unknown --mode 'magic'/],
      [["solve", "--model", model, "--select", "best", "x"], /Unknown --select 'best'/],
      [["solve", "--model", model, "--select", "rm", "x"], /--select rm needs a reward model server/],
      [["solve", "--model", model, "--rm-url", "http://127.0.0.1:1", "x"], /--rm-url is only used with --select rm or --select prm/],
      [["solve", "--model", model, "--select", "first", "--early-stop", "x"], /Early stopping works with majority voting only/],
      [["solve", "--model", model, "sum ".repeat(6000)], /prompt takes \d+ tokens, but the model's context holds \d+/],
      [["frobnicate"], /unknown command 'frobnicate'\. Run 'qmath --help'/],
      [["slove", "x"], /unknown command 'slove'\. Did you mean 'solve'\?/],
      [["evl"], /unknown command 'evl'\. Did you mean 'eval'\?/],
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
    // The estimate counts the real vocabulary: 151,936 embedding rows (tied) and llama.cpp's tables for them.
    const memory = json[0].memory;
    assert.deepEqual(memory.vocabulary, { rows: 151936, embeddingParams: 151936 * 1536, tableBytes: 151936 * 1050 });
    assert.equal(memory.kvCacheBytes, 2 * 28 * 2 * 128 * 2 * 4096);
    assert.ok(json[0].memoryBytes > memory.weightBytes + memory.vocabulary.tableBytes + memory.kvCacheBytes);
  });

  it("pull fails clearly without network and for unknown ids", async () => {
    assertUserError(await runCli(["pull", "qwen2-math-7b-instruct"], { env: offline }), /Could not fetch .*Qwen2-Math-7B-Instruct-Q4_K_M\.gguf/);
    assertUserError(await runCli(["pull"], { env: offline }), /Name one model/);
    assertUserError(await runCli(["pull", "nope"], { env: offline }), /Unknown model 'nope'/);
  });
});

describe("qmath chat", () => {
  it("keeps the conversation on Ctrl-C at the prompt, and stops a reply on Ctrl-C", async () => {
    // No terminal here: stdin is a pipe, so Ctrl-C comes as SIGINT to the process group (on a
    // terminal readline reads the key and the same handler runs).
    const cli = startCli(["chat", "--model", model, "--max-tokens", "4000"]);
    await cli.waitFor(({ stderr }) => stderr.includes("qmath chat with"));
    cli.ctrlC(); // idle at the prompt
    await cli.waitFor(({ stderr }) => stderr.includes("(to quit, type /exit or press Ctrl-D)"));
    cli.child.stdin!.write("What is 2+2?\n"); // greedy: the reply goes on until stopped
    await cli.waitFor(({ stdout }) => stdout.length > 0);
    cli.ctrlC();
    await cli.waitFor(({ stdout }) => stdout.includes("(stopped)"));
    cli.child.stdin!.end("/exit\n");
    const r = await cli.exited;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.match(/to quit/g)?.length, 1);
    assert.doesNotMatch(r.stderr, /interrupted/);
  });

  it("holds a multi-turn conversation from piped input", async () => {
    const r = await runCli(["chat", "--model", model, "--max-tokens", "6", "--seed", "2"], { input: "What is 2+2?\nexplain step 3\n/reset\nhi\n/exit\n" });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /qmath chat with tiny-qwen2\.gguf/);
    assert.match(r.stdout, /\(new conversation\)/);
  });
});
