/** qmath sample end to end on the tiny model (its random text rarely solves anything: see test/rewards/sample.test.ts for what is kept). */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { assertUserError, requireTinyModel, runCli } from "../helpers.js";

const model = requireTinyModel();
const tmp = mkdtempSync(join(tmpdir(), "qmath-sample-"));

describe("qmath sample", () => {
  it("samples every problem of a .jsonl file and reports each", async () => {
    const data = join(tmp, "problems.jsonl");
    writeFileSync(data, [JSON.stringify({ q: "What is 2+2?", a: "4" }), JSON.stringify({ q: "What is 3+3?", a: "6" }), "{broken"].join("\n") + "\n");
    const out = join(tmp, "sft.jsonl");
    const r = await runCli(
      ["sample", "--model", model, "--data", data, "--question-field", "q", "--answer-field", "a", "--n", "2", "--k", "1", "--max-tokens", "8", "--seed", "3", "--out", out],
      { timeoutMs: 120_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /problems\.jsonl: line 3: not valid JSON \(skipped\)/);
    assert.match(r.stderr, /\[1\/2\] problems\/0: \d of 2 correct, kept \d\n/);
    assert.match(r.stderr, /\[2\/2\] problems\/1: \d of 2 correct, kept \d\n/);
    assert.match(r.stderr, /Wrote \d+ conversations? for \d of 2 problems to /);
    assert.ok(existsSync(out));
    // A token budget of 8 cuts every sample off: nothing is kept.
    assert.equal(readFileSync(out, "utf8"), "");
    assert.equal(r.stdout, "");
  });

  it("checks its flags before loading a model", async () => {
    const other = join(tmp, "x.jsonl");
    writeFileSync(other, JSON.stringify({ q: "What is 1+1?", a: "2" }) + "\n");
    assertUserError(await runCli(["sample", "--model", model, "--data", other, "--out", join(tmp, "o.jsonl")]), /x\.jsonl has no usable lines: .*--question-field and --answer-field/);
    assertUserError(await runCli(["sample", "--data", "gsm8k"]), /--out is required/);
    assertUserError(await runCli(["sample", "--data", "gsm8k", "--out", "o", "--prm"]), /--prm goes with --rm-url/);
    assertUserError(await runCli(["sample", "--data", "gsm8k", "--out", "o", "--rm-url", "http://127.0.0.1:1", "--prm-reduce", "min"]), /--prm-reduce is only used with a process reward model/);
  });
});
