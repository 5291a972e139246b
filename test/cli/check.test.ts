/** qmath check end to end: the built bin, one solution (text and --json) and JSON lines in batch. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { assertUserError, requireTinyModel, runCli } from "../helpers.js";
import { startStandIn } from "../rewards/standin.js";

const lines = (s: string) => s.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
const dir = mkdtempSync(join(tmpdir(), "qmath-check-"));
const WRONG = "$2x + 3 = 7$, so $2x = 10$ and $x = 5$. The answer is $\\boxed{5}$.";
const RIGHT = "$2x + 3 = 7$, so $2x = 4$ and $x = 2$. The answer is $\\boxed{2}$.";

describe("qmath check", () => {
  it("prints the steps with their verdicts and exits 1 at a flagged step", async () => {
    const file = join(dir, "wrong.txt");
    writeFileSync(file, WRONG);
    const r = await runCli(["check", "--problem", "Solve $2x + 3 = 7$.", "--solution", file]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /2\. error +2x = 10\n +from \$2x \+ 3 = 7\$ this step gets \$2x = 10\$, but subtracting \$3\$ from both sides gives \$2x = 4\$/);
    assert.match(r.stdout, /first error: step 2/);
    assert.match(r.stdout, /final answer: 5: incorrect/);
  });

  it("--json gives the library's shape; a correct solution exits 0; --reference grades the answer", async () => {
    const file = join(dir, "right.txt");
    writeFileSync(file, RIGHT);
    const r = await runCli(["check", "--problem", "Solve $2x + 3 = 7$.", "--solution", file, "--reference", "2", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { steps: { start: number; end: number; text: string; verdict: string }[]; firstError: number | null; finalAnswer: Record<string, string> };
    assert.equal(out.firstError, null);
    assert.deepEqual(out.steps.map((s) => [RIGHT.slice(s.start, s.end), s.verdict]), [
      ["2x + 3 = 7", "ok"],
      ["2x = 4", "ok"],
      ["x = 2", "ok"],
    ]);
    assert.deepEqual(out.finalAnswer, { answer: "2", verdict: "correct", method: "reference", reason: "equal to the reference $2$" });
  });

  it("reads the solution from stdin with --solution -", async () => {
    const r = await runCli(["check", "--problem", "Compute.", "--solution", "-", "--json"], { input: "$3 \\cdot 4 = 13$" });
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout) as { steps: { reason: string }[]; firstError: number };
    assert.equal(out.firstError, 0);
    assert.equal(out.steps[0]!.reason, "$3 \\cdot 4 = 13$ is false: $3 \\cdot 4 = 12$");
  });

  it("batch: one JSON line per input line, in order; a malformed line gets an error line", async () => {
    const input = [
      JSON.stringify({ problem: "Solve $2x + 3 = 7$.", solution: WRONG }),
      "not json",
      JSON.stringify({ problem: "Solve $2x + 3 = 7$.", solution: RIGHT, reference: 2 }),
      JSON.stringify({ problem: "p", solution: 7 }),
    ].join("\n");
    const r = await runCli(["check", "--file", "-"], { input });
    assert.equal(r.code, 1);
    const out = lines(r.stdout);
    assert.equal(out.length, 4);
    assert.equal(out[0]!.firstError, 1);
    assert.match(String(out[1]!.error), /^line 2: not valid JSON/);
    assert.equal(out[2]!.firstError, null);
    assert.equal((out[2]!.finalAnswer as { verdict: string }).verdict, "correct");
    assert.equal(out[3]!.error, "line 4: 'solution' must be a string");
    assert.match(r.stderr, /2 malformed lines/);
  });

  it("--explain: a model explains the first error, labelled as the model's (loaded only when a step is an error)", async () => {
    const model = requireTinyModel();
    const file = join(dir, "wrong-explain.txt");
    writeFileSync(file, WRONG);
    const r = await runCli(["check", "--problem", "Solve $2x + 3 = 7$.", "--solution", file, "--explain", "--model", model, "--max-tokens", "6", "--json"]);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as { firstError: number; explanation: { by: string; model: string; step: number; text: string } };
    assert.equal(out.firstError, 1);
    assert.equal(out.explanation.by, "model");
    assert.equal(out.explanation.step, 1);
    assert.equal(typeof out.explanation.text, "string");
    const text = await runCli(["check", "--problem", "Solve $2x + 3 = 7$.", "--solution", file, "--explain", "--model", model, "--max-tokens", "6"]);
    assert.match(text.stdout, /explanation of step 2, written by the model .* \(not checked\):/);
    // a correct solution loads no model: a missing one is not even looked for
    const right = join(dir, "right-explain.txt");
    writeFileSync(right, RIGHT);
    const ok = await runCli(["check", "--problem", "Solve $2x + 3 = 7$.", "--solution", right, "--explain", "--model", join(dir, "no-such-model.gguf")]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.doesNotMatch(ok.stdout, /explanation/);
  });

  it("--vote N: without a reference or an equation, the final answer meets the model's majority (a vote, said so)", async () => {
    const model = requireTinyModel();
    const file = join(dir, "divisors.txt");
    writeFileSync(file, "The divisors are 1, 2, 3, 6, so there are $\\boxed{4}$.");
    const r = await runCli(["check", "--problem", "How many divisors does 6 have?", "--solution", file, "--vote", "2", "--model", model, "--max-tokens", "4", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { finalAnswer: { method: string; answer: string; reason: string } };
    assert.equal(out.finalAnswer.method, "model-vote");
    assert.equal(out.finalAnswer.answer, "4");
    assertUserError(await runCli(["check", "--file", "-", "--vote", "2"]), /--vote checks one solution at a time/);
    assertUserError(await runCli(["check", "--problem", "p", "--solution", file, "--vote", "0"]), /--vote/);
  });

  it("--rm-url: each step gets the process reward model's score of its paragraph, beside the verdict", async () => {
    // the stand-in gives paragraph k the positive probability 0.9 - 0.3k
    const prm = await startStandIn({ kind: "pool", model: "Qwen/Qwen2.5-Math-PRM-7B", pooled: (input) => input.split("<extra_0>").slice(0, -1).map((_, k) => [0.1 + 0.3 * k, 0.9 - 0.3 * k]) });
    try {
      const file = join(dir, "paragraphs.txt");
      writeFileSync(file, "First, $2x + 3 = 7$.\n\nSo $2x = 10$.\n\nHence $x = 5$.");
      const r = await runCli(["check", "--problem", "Solve $2x + 3 = 7$.", "--solution", file, "--rm-url", prm.url, "--json"]);
      assert.equal(r.code, 1, r.stderr);
      const out = JSON.parse(r.stdout) as { steps: { verdict: string }[]; prm: { model: string; steps: number[]; paragraphs: { score: number }[] } };
      assert.deepEqual(out.steps.map((s) => s.verdict), ["ok", "error", "ok"]);
      assert.equal(out.prm.model, "Qwen/Qwen2.5-Math-PRM-7B");
      assert.deepEqual(out.prm.steps.map((v) => Number(v.toFixed(2))), [0.9, 0.6, 0.3]);
      assert.equal(out.prm.paragraphs.length, 3);
      assert.match(String(prm.requests[0]!.body.input), /First, \$2x \+ 3 = 7\$\.<extra_0>So \$2x = 10\$\.<extra_0>Hence \$x = 5\$\.<extra_0>/);
      const text = await runCli(["check", "--problem", "Solve $2x + 3 = 7$.", "--solution", file, "--rm-url", prm.url]);
      assert.match(text.stdout, /2\. error +prm 0\.60 2x = 10/);
    } finally {
      await prm.close();
    }
  });

  it("bad usage is one line and exit 2", async () => {
    assertUserError(await runCli(["check", "--problem", "p"]), /needs --problem and --solution/);
    assertUserError(await runCli(["check", "--problem", "p", "--solution", join(dir, "missing.txt")]), /Cannot read the solution file/);
    assertUserError(await runCli(["check", "--file", "-", "--problem", "p"]), /either --file .* or --problem/);
    assertUserError(await runCli(["check", "--file", "-", "--explain"]), /--explain explains one solution at a time/);
  });
});
