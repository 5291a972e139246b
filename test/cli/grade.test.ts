/** qmath grade end to end: the built bin, JSON lines in and out, and --pred/--gold. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCli } from "../helpers.js";

const lines = (s: string) => s.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

describe("qmath grade", () => {
  it("writes one verdict line per input line, in order", async () => {
    const input = [
      { pred: "\\frac{1}{2}", gold: "0.5" },
      { pred: "4", gold: "4\\sqrt{2}" },
      { pred: null, gold: "3" },
      { pred: "\\frac{1}{", gold: "2" },
      { pred: "27", gold: 27.0 },
    ]
      .map((x) => JSON.stringify(x))
      .join("\n");
    const r = await runCli(["grade"], { input });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      { equivalent: true, reason: "equal" },
      { equivalent: false, reason: "different" },
      { equivalent: false, reason: "unparseable" },
      { equivalent: false, reason: "unparseable" },
      { equivalent: true, reason: "equal" },
    ]);
  });

  it("grades the other lines when one is malformed", async () => {
    const input = ['{"pred": "1", "gold": "1"}', "garbage", '{"pred": "1"}', '{"pred": "2", "gold": {"x": 1}}', '{"pred": "2", "gold": "3"}'].join("\n");
    const r = await runCli(["grade"], { input });
    assert.equal(r.code, 1);
    const out = lines(r.stdout);
    assert.equal(out.length, 5);
    assert.deepEqual(out[0], { equivalent: true, reason: "equal" });
    assert.match(String(out[1]!.error), /^line 2: not valid JSON/);
    assert.match(String(out[2]!.error), /^line 3: missing 'gold'/);
    assert.match(String(out[3]!.error), /^line 4: 'gold' must be a string or a number/);
    assert.deepEqual(out[4], { equivalent: false, reason: "different" });
  });

  it("--pred/--gold prints equivalent or different", async () => {
    const same = await runCli(["grade", "--pred", "x=5", "--gold", "5"]);
    assert.equal(same.code, 0, same.stderr);
    assert.equal(same.stdout, "equivalent\n");
    const diff = await runCli(["grade", "--pred", "(1,2)", "--gold", "[1,2]"]);
    assert.equal(diff.code, 1);
    assert.equal(diff.stdout, "different\n");
  });

  it("takes negative values after --pred and --gold, and reads --file - from stdin", async () => {
    const r = await runCli(["grade", "--pred", "-3", "--gold", "-3.0"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "equivalent\n");
    const other = await runCli(["grade", "--pred", "-3", "--gold", "3"]);
    assert.equal(other.stdout, "different\n");
    const piped = await runCli(["grade", "--file", "-"], { input: '{"pred": "-1/2", "gold": "-0.5"}\n' });
    assert.equal(piped.code, 0, piped.stderr);
    assert.deepEqual(lines(piped.stdout), [{ equivalent: true, reason: "equal" }]);
  });

  it("passes tolerance and percent-scale through", async () => {
    const strict = await runCli(["grade", "--pred", "0.25", "--gold", "25"]);
    assert.equal(strict.stdout, "different\n");
    const lenient = await runCli(["grade", "--pred", "0.25", "--gold", "25", "--percent-scale"]);
    assert.equal(lenient.stdout, "equivalent\n");
    const loose = await runCli(["grade", "--pred", "0.33", "--gold", "1/3", "--tolerance", "0.02"]);
    assert.equal(loose.stdout, "equivalent\n");
    // the default reads a decimal to the precision it shows; --tolerance 1e-4 is the harness's rule
    const shown = await runCli(["grade", "--pred", "0.333", "--gold", "1/3"]);
    assert.equal(shown.stdout, "equivalent\n");
    const harness = await runCli(["grade", "--pred", "0.333", "--gold", "1/3", "--tolerance", "1e-4"]);
    assert.equal(harness.stdout, "different\n");
    assert.equal(harness.code, 1);
  });

  it("answers bad flags with one line and exit code 2", async () => {
    const cases: [string[], RegExp][] = [
      [["grade", "--pred", "1"], /--pred and --gold go together/],
      [["grade", "--tolerance", "abc"], /--tolerance must be/],
      [["grade", "--nope"], /Unknown option/],
      [["grade", "--tolerence", "0.1"], /Unknown option '--tolerence' \(did you mean --tolerance\?\)/],
      [["grade", "--tolerance", "-1"], /--tolerance must be a number from 0 to 1, not '-1'/],
      [["grade", "--pred", "1", "--gold", "1", "--file", "x.jsonl"], /not both/],
    ];
    for (const [args, pattern] of cases) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      const errLines = r.stderr.trim().split("\n");
      assert.equal(errLines.length, 1, r.stderr);
      assert.match(errLines[0]!, pattern);
    }
  });
});
