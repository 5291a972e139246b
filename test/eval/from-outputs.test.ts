import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { scoreOutputs, scoreOutputsText } from "../../src/eval/from-outputs.js";
import { QmathError } from "../../src/errors.js";
import { repoRoot } from "../helpers.js";

/**
 * test/fixtures/eval/math_cot_outputs.jsonl, written by hand in math_eval.py's layout
 * (responses in `code`, reference in `gt`, reward scores in `pred_score`), k = 4:
 *
 * line 1, idx 0, gt 1/2:  \frac{1}{3}, 0.5, \dfrac12, 1/2      (F,T,T,T)
 *    maj: {0.5, \dfrac12, 1/2} -> T (string voting: four distinct strings, the first -> F)
 *    rm: 0.9 on sample 0 -> F.   The file's own pred/score (all 1/2, all true) are wrong on purpose.
 * line 2, idx 1, gt 12:   15, 12, 12.0, 15                      (F,T,T,F)
 *    maj: {15} and {12, 12.0} tie, the earliest (15) wins -> F;  rm: 0.8 on sample 1 -> T
 * line 3: broken JSON
 * line 4, idx 3, gt x^2+2x+1: (x+1)^2, x^2+2x+1, x^2 + 2x + 1, 2x+1   (T,T,T,F)
 *    maj -> T;  rm: 0.9 on sample 3 -> F
 * line 5: three responses, fewer than k
 * line 6, idx 5, gt 7:    8, 9, 8, (no answer)                   (F,F,F,F): maj F, rm F
 * line 7: no reference answer
 * line 8, idx 7, gt 3:    3, 4, 4, 3, 4  (five responses)        (T,F,F,T,F)
 *    maj of the first 4: {3} and {4} tie, earliest (3) -> T (all five would give 4);
 *    rm of the first 4: 0.4 on sample 3 -> T (all five would pick 0.9 on sample 4)
 *
 * maj@4 = 3/5 = 60, rm@4 = 2/5 = 40, pass@4 = (1+1+1+0+1)/5 = 80,
 * pass@1 = (3/4 + 2/4 + 3/4 + 0 + 2/5)/5 = 48.
 */
const FIXTURE = join(repoRoot, "test", "fixtures", "eval", "math_cot_outputs.jsonl");

const tmp = mkdtempSync(join(tmpdir(), "qmath-from-outputs-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

const round = (x: number) => Math.round(x * 1e9) / 1e9;

describe("scoreOutputs on math_eval.py outputs", () => {
  it("computes pass@1, maj@k, rm@k and pass@k by re-grading every response", async () => {
    const r = await scoreOutputs(FIXTURE, { k: 4 });
    assert.deepEqual(r.metrics, { "pass@1": 48, "maj@4": 60, "rm@4": 40, "pass@4": 80 });
  });

  it("names each bad line and scores the others", async () => {
    const r = await scoreOutputs(FIXTURE, { k: 4 });
    assert.deepEqual(r.errors, [
      { line: 3, message: "not valid JSON" },
      { line: 5, message: "3 responses, fewer than k = 4" },
      { line: 7, message: "missing the reference answer ('gt' or 'answer')" },
    ]);
    assert.deepEqual(
      r.records.map((p) => p.id),
      ["0", "1", "3", "5", "7"],
    );
  });

  it("turns every line into a ProblemRecord with its own extraction and verdicts", async () => {
    const r = await scoreOutputs(FIXTURE, { k: 4 });
    const [a, b, c, d, h] = r.records;
    assert.ok(a && b && c && d && h, "five records");
    assert.equal(a.dataset, "math");
    assert.equal(a.reference, "\\frac{1}{2}");
    assert.equal(a.level, "Level 1");
    assert.equal(a.subject, "Algebra");
    assert.match(a.question, /lowest terms/);
    assert.deepEqual(
      a.samples.map((s) => [s.answer, s.correct, s.score]),
      [
        ["\\frac{1}{3}", false, 0.9],
        ["0.5", true, 0.2],
        ["\\dfrac12", true, 0.3],
        ["1/2", true, 0.1],
      ],
      "the file's pred and score (all 1/2, all true) are not trusted",
    );
    assert.equal(a.selected, 1, "the majority cluster's first member");
    assert.equal(a.correct, true);
    assert.deepEqual([b.selected, b.answer, b.correct], [0, "15", false], "a tie goes to the earliest sample");
    assert.deepEqual(
      c.samples.map((s) => s.correct),
      [true, true, true, false],
    );
    assert.deepEqual(
      d.samples.map((s) => [s.answer, s.reason]),
      [
        ["8", "different"],
        ["9", "different"],
        ["8", "different"],
        [null, "unparseable"],
      ],
    );
    assert.equal(h.samples.length, 5, "all responses are kept; maj/rm use the first k");
    assert.deepEqual(
      h.samples.map((s) => s.score),
      [0.1, 0.2, 0.3, 0.4, 0.9],
      "a flat pred_score list is accepted too",
    );
    assert.deepEqual([h.selected, h.correct], [0, true]);
  });

  it("gets a different (wrong) maj@4 with string voting: the fixture needs equivalence", async () => {
    const r = await scoreOutputs(FIXTURE, { k: 4 });
    // the reference's group_pred(..., use_symbol=False): Counter over strings, first seen wins a tie
    let right = 0;
    for (const p of r.records) {
      const counts = new Map<string | null, number>();
      for (const s of p.samples.slice(0, 4)) counts.set(s.answer, (counts.get(s.answer) ?? 0) + 1);
      let best: string | null = null;
      let most = 0;
      for (const [a, n] of counts) if (n > most) [best, most] = [a, n];
      if (p.samples.find((s) => s.answer === best)?.correct) right++;
    }
    assert.equal((100 * right) / r.records.length, 40);
    assert.equal(r.metrics["maj@4"], 60);
  });

  it("agrees with the summary for one dataset", async () => {
    const r = await scoreOutputs(FIXTURE, { k: 4 });
    assert.equal(r.summary.k, 4);
    assert.deepEqual(r.summary.datasets.map((d) => d.dataset), ["math"]);
    const m = r.summary.datasets[0]!.metrics;
    assert.deepEqual(m, { accuracy: 60, "pass@1": 48, "maj@k": 60, "pass@k": 80, "rm@k": 40 });
    // pass@2: 1, 5/6, 1, 0, and 1 - C(3,2)/C(5,2) = 7/10 for the five-response line
    assert.deepEqual(
      r.summary.datasets[0]!.curve.map((p) => [p.k, round(p["maj@k"]), round(p["pass@k"]), p["rm@k"]]),
      [
        [1, 40, 48, 40],
        [2, 40, round((100 * (1 + 5 / 6 + 1 + 0 + 0.7)) / 5), 40],
        [4, 60, 80, 40],
      ],
    );
    assert.deepEqual(
      r.summary.datasets[0]!.byLevel.map((g) => [g.key, g.problems, g.metrics["maj@k"], g.metrics["rm@k"], g.metrics["pass@1"]]),
      [
        ["Level 1", 1, 100, 0, 75],
        ["Level 2", 2, 50, 50, 62.5],
        ["Level 5", 2, 50, 50, 20],
      ],
    );
    assert.deepEqual(
      r.summary.datasets[0]!.bySubject.map((g) => [g.key, g.problems]),
      [
        ["Algebra", 2],
        ["Intermediate Algebra", 1],
        ["Number Theory", 2],
      ],
    );
  });

  it("passes the equivalence options to its summary: maj@3 of 30, 0.25, 25 under percentScale is 100 in both (issue 10)", () => {
    // With percentScale 0.25 and 25 are one answer (x100), so the vote is {0.25, 25} against {30}. The summary used
    // to re-cluster without the options: three clusters of one, the tie went to 30, and its maj@k said 0.
    const line = JSON.stringify({ idx: 0, gt: "25", code: ["\\boxed{30}", "\\boxed{0.25}", "\\boxed{25}"] });
    const r = scoreOutputsText(line, { k: 3, equivalence: { percentScale: true } });
    assert.equal(r.metrics["maj@3"], 100);
    assert.deepEqual([r.records[0]!.selected, r.records[0]!.answer, r.records[0]!.correct], [1, "0.25", true]);
    assert.equal(r.summary.datasets[0]!.metrics["maj@k"], 100);
    assert.equal(r.summary.datasets[0]!.metrics.accuracy, 100);
    assert.equal(r.summary.datasets[0]!.curve.at(-1)!["maj@k"], 100);
    // without the option the two agree the other way: three answers, the tie goes to the earliest (30)
    const plain = scoreOutputsText(line, { k: 3 });
    assert.equal(plain.metrics["maj@3"], 0);
    assert.equal(plain.summary.datasets[0]!.metrics["maj@k"], 0);
  });

  it("scores a smaller k on the same file: no line is too short for k = 2", async () => {
    const r = await scoreOutputs(FIXTURE, { k: 2 });
    assert.deepEqual(r.errors.map((e) => e.line), [3, 7]);
    // the idx-4 line (2+2, three right answers, scores all 0.5) joins. By idx 0, 1, 3, 4, 5, 7:
    // maj@2: F, F, T, T, F, T; rm@2 (first two): F, T, T, T, F, F; pass@2: 1, 5/6, 1, 1, 0, 7/10
    assert.deepEqual(
      Object.fromEntries(Object.entries(r.metrics).map(([key, v]) => [key, round(v)])),
      {
        "pass@1": round((100 * (0.75 + 0.5 + 0.75 + 1 + 0 + 0.4)) / 6),
        "maj@2": 50,
        "rm@2": 50,
        "pass@2": round((100 * (1 + 5 / 6 + 1 + 1 + 0 + 0.7)) / 6),
      },
    );
  });

  it("reads `response` and `answer`, and the dataset's own reference field (gsm8k '####')", () => {
    const text = [
      JSON.stringify({ idx: 0, question: "q", answer: "She has 3 + 4 = 7 apples.\n#### 7", response: ["3 + 4 = 7 apples. The answer is 7.", "So 8."] }),
      JSON.stringify({ idx: 1, question: "q", gt: 1200, response: ["The total is 1,200 dollars.", "\\boxed{1200}"] }),
    ].join("\n");
    const r = scoreOutputsText(text, { k: 2, dataset: "gsm8k" });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.records.map((p) => [p.dataset, p.reference, p.samples.map((s) => s.correct)]),
      [
        ["gsm8k", "7", [true, false]],
        ["gsm8k", "1200", [true, true]],
      ],
    );
    assert.deepEqual(r.metrics, { "pass@1": 75, "maj@2": 100, "pass@2": 100 }, "no rm@2 without pred_score");
  });

  it("names the dataset: option, then data_source, then the harness folder the file is in", async () => {
    const dir = join(tmp, "gsm8k");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "test_cot_-1_seed0_t0.0_s0_e-1.jsonl");
    writeFileSync(file, JSON.stringify({ idx: 0, gt: "2", code: ["\\boxed{2}"] }) + "\n" + JSON.stringify({ idx: 1, gt: "3", code: ["\\boxed{3}"], data_source: "svamp" }) + "\n");
    assert.deepEqual((await scoreOutputs(file, { k: 1 })).records.map((p) => p.dataset), ["gsm8k", "svamp"]);
    assert.deepEqual((await scoreOutputs(file, { k: 1, dataset: "math" })).records.map((p) => p.dataset), ["math", "math"]);
    const other = join(tmp, "some-run.jsonl");
    writeFileSync(other, readFileSync(file, "utf8").split("\n")[0] + "\n");
    assert.deepEqual((await scoreOutputs(other, { k: 1 })).records.map((p) => p.dataset), ["outputs"]);
  });

  it("reports malformed fields per line", () => {
    const lines = [
      "[1, 2]",
      JSON.stringify({ gt: "1" }),
      JSON.stringify({ gt: "1", code: ["\\boxed{1}", 5] }),
      JSON.stringify({ gt: "1", code: ["\\boxed{1}", "\\boxed{2}"], pred_score: [[0.1]] }),
      JSON.stringify({ gt: "1", code: ["\\boxed{1}", "\\boxed{2}"], pred_score: [["x"], [0.2]] }),
      "",
      JSON.stringify({ gt: "1", code: ["\\boxed{1}", "\\boxed{1.0}"], pred_score: [[0.1], [0.2]] }),
    ];
    const r = scoreOutputsText(lines.join("\r\n"), { k: 2 });
    assert.deepEqual(r.errors, [
      { line: 1, message: "expected a JSON object" },
      { line: 2, message: "missing the responses ('code' or 'response')" },
      { line: 3, message: "'code' must be a list of strings" },
      { line: 4, message: "'pred_score' has 1 scores for 2 responses" },
      { line: 5, message: "'pred_score' must hold numbers or lists of numbers" },
    ]);
    assert.equal(r.records.length, 1, "the blank line is skipped, the last line scored");
    assert.equal(r.records[0]!.id, "line-7");
    assert.deepEqual(r.metrics, { "pass@1": 100, "maj@2": 100, "rm@2": 100, "pass@2": 100 });
  });

  it("reads the reference from the set's own fields when a line carries them, and counts the gt the harness damaged", () => {
    const lines = [
      // the harness's clean-up turned "\\text{4:30 p.m.}" into "4:30p..": the set's answer is the reference
      { idx: 0, gt: "4:30p..", answer: "\\text{4:30 p.m.}", code: ["\\boxed{4:30 \\text{ p.m.}}", "\\boxed{16:30}"] },
      // the same answer in both: read from the set, not counted as differing
      { idx: 1, gt: "\\frac{1}{2}", answer: "\\frac12", code: ["\\boxed{0.5}", "\\boxed{1/3}"] },
      // no set fields: the harness's gt
      { idx: 2, gt: "7", code: ["\\boxed{7}", "\\boxed{8}"] },
    ];
    const r = scoreOutputsText(lines.map((l) => JSON.stringify(l)).join("\n"), { k: 2, dataset: "math500" });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.references, { fromSet: 2, differFromGt: 1 });
    assert.deepEqual(
      r.records.map((p) => p.reference),
      ["\\text{4:30 p.m.}", "\\frac12", "7"],
    );
    assert.deepEqual(
      r.records[0]!.samples.map((x) => x.correct),
      [true, true],
      "both responses are right against the set's reference (against the damaged gt neither was)",
    );
    assert.deepEqual(
      r.records[1]!.samples.map((x) => x.correct),
      [true, false],
    );
  });

  it("reads GSM8K's '#### n' and Minerva's boxed solution as the references", () => {
    const gsm = { idx: 0, gt: "18", answer: "She sells 16 - 3 - 4 = 9 eggs.\n#### 1,800", code: ["\\boxed{1800}"] };
    const minerva = { idx: 1, gt: "3.0e5", solution: "So the speed is $\\boxed{3 \\times 10^5}$.", code: ["\\boxed{300000}"] };
    const a = scoreOutputsText(JSON.stringify(gsm), { k: 1, dataset: "gsm8k" });
    assert.equal(a.records[0]!.reference, "1800");
    assert.deepEqual(a.references, { fromSet: 1, differFromGt: 1 });
    assert.equal(a.metrics["pass@1"], 100);
    const b = scoreOutputsText(JSON.stringify(minerva), { k: 1, dataset: "minerva_math" });
    assert.equal(b.records[0]!.reference, "3 \\times 10^5");
    assert.deepEqual(b.references, { fromSet: 1, differFromGt: 0 });
  });

  it("trusts gt for a set it has no descriptor for, even when the line has an 'answer' field", () => {
    const line = { idx: 0, gt: "9", answer: "The eggs: 16 - 7 = 9", code: ["\\boxed{9}"] };
    const r = scoreOutputsText(JSON.stringify(line), { k: 1 });
    assert.equal(r.records[0]!.reference, "9");
    assert.deepEqual(r.references, { fromSet: 0, differFromGt: 0 });
  });

  it("refuses a missing file, a file with nothing to score, and a bad k", async () => {
    await assert.rejects(scoreOutputs(join(tmp, "nope.jsonl"), { k: 8 }), (e: unknown) => e instanceof QmathError && /does not exist/.test(e.message));
    assert.throws(() => scoreOutputsText("not json\n", { k: 1 }), (e: unknown) => e instanceof QmathError && /line 1: not valid JSON/.test(e.message));
    assert.throws(() => scoreOutputsText("", { k: 1 }), (e: unknown) => e instanceof QmathError && /empty/.test(e.message));
    assert.throws(() => scoreOutputsText("{}", { k: 0 }), QmathError);
  });
});
