/** qmath extract end to end: the built bin, JSON lines in and out. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../helpers.js";

const lines = (s: string) => s.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

describe("qmath extract", () => {
  it("writes one answer line per input line, in order", async () => {
    const input = [
      { response: "So the total is \\boxed{\\frac{1}{2}}." },
      { response: "Therefore, the answer is (B).", dataset: "aqua" },
      { response: "I cannot tell." },
      { response: "2 + 2 = 4\n#### 4" },
    ]
      .map((x) => JSON.stringify(x))
      .join("\n");
    const r = await runCli(["extract"], { input: input + "\n" });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [{ answer: "\\frac{1}{2}" }, { answer: "B" }, { answer: null }, { answer: "4" }]);
  });

  it("puts an error line naming the line number in place of a malformed line", async () => {
    const input = ['{"response": "\\\\boxed{1}"}', "{not json", '{"response": 5}', "[1]", '{"response": "\\\\boxed{2}"}'].join("\n");
    const r = await runCli(["extract"], { input });
    assert.equal(r.code, 1);
    const out = lines(r.stdout);
    assert.equal(out.length, 5);
    assert.deepEqual(out[0], { answer: "1" });
    assert.match(String(out[1]!.error), /^line 2: not valid JSON/);
    assert.match(String(out[2]!.error), /^line 3: 'response' must be a string/);
    assert.match(String(out[3]!.error), /^line 4: expected a JSON object/);
    assert.deepEqual(out[4], { answer: "2" });
    assert.match(r.stderr, /3 malformed lines/);
  });

  it("reads --file, applies --dataset, and skips blank lines", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmath-extract-"));
    const file = join(dir, "in.jsonl");
    writeFileSync(file, '{"response": "ANSWER:D"}\n\n{"response": "ANSWER:D", "dataset": "math500"}\n');
    const r = await runCli(["extract", "--file", file, "--dataset", "aqua"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [{ answer: "D" }, { answer: "D" }]);
  });

  it("answers bad flags with one line and exit code 2", async () => {
    for (const args of [["extract", "--bogus"], ["extract", "--file", "/nonexistent/x.jsonl"]]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, /^qmath extract: /);
    }
  });

  it("prints help", async () => {
    const r = await runCli(["extract", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /usage: qmath extract/);
  });
});
