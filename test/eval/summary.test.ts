import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { curveKs, metricLabel, summarize } from "../../src/eval/summary.js";
import { QmathError } from "../../src/errors.js";
import { rec, rounded, twoDatasets } from "../fixtures/eval/records.js";

const T = true;
const F = false;

describe("summarize", () => {
  it("reports every metric per dataset, with k = the samples per problem by default", () => {
    const s = rounded(summarize(twoDatasets()));
    assert.equal(s.k, 4);
    assert.equal(s.samplesPerProblem, 4);
    assert.deepEqual(s.metricNames, ["accuracy", "pass@1", "maj@k", "pass@k", "rm@k"]);
    assert.deepEqual(
      s.datasets.map((d) => d.dataset),
      ["gsm8k", "math"],
      "datasets in order of first appearance",
    );
    const [gsm, math] = s.datasets;
    assert.ok(gsm && math);
    assert.deepEqual(gsm.metrics, { accuracy: 100, "pass@1": 62.5, "maj@k": 50, "pass@k": 100, "rm@k": 50 });
    assert.equal(gsm.problems, 2);
    assert.equal(gsm.samples, 8);
    assert.equal(gsm.noAnswer, 0);
    // math: accuracy 2/3 (selected T, T, F); pass@1 (2/4 + 2/4 + 1/4) / 3; maj 2/3; pass@4: every problem has a correct sample
    assert.deepEqual(math.metrics, rounded({ accuracy: 200 / 3, "pass@1": 125 / 3, "maj@k": 200 / 3, "pass@k": 100 }));
    assert.equal(math.noAnswer, rounded(100 / 12));
  });

  it("averages the per-dataset numbers without weighting, and only metrics every dataset has", () => {
    const s = rounded(summarize(twoDatasets()));
    assert.deepEqual(s.average.metrics, rounded({ accuracy: (100 + 200 / 3) / 2, "pass@1": (62.5 + 125 / 3) / 2, "maj@k": (50 + 200 / 3) / 2, "pass@k": 100 }));
    assert.equal(s.average.datasets, 2);
    assert.equal(s.average.problems, 5);
    assert.equal(s.average.samples, 20);
  });

  it("computes accuracy against k = 1, 2, 4", () => {
    const s = rounded(summarize(twoDatasets()));
    // gsm8k pass@2: P1 (n=4, c=3) -> 1, P2 (c=2) -> 1 - C(2,2)/C(4,2) = 5/6
    assert.deepEqual(s.datasets[0]!.curve, rounded([
      { k: 1, "maj@k": 50, "pass@k": 62.5, "rm@k": 50 },
      { k: 2, "maj@k": 50, "pass@k": (100 * (1 + 5 / 6)) / 2, "rm@k": 50 },
      { k: 4, "maj@k": 50, "pass@k": 100, "rm@k": 50 },
    ]));
    // math maj@1: Q2's first sample has no answer; maj@2: Q1 {\frac12, 0.5}, Q2 {7}; pass@2: 5/6, 5/6, 1/2
    assert.deepEqual(s.datasets[1]!.curve, rounded([
      { k: 1, "maj@k": 100 / 3, "pass@k": 125 / 3 },
      { k: 2, "maj@k": 200 / 3, "pass@k": (100 * (5 / 6 + 5 / 6 + 1 / 2)) / 3 },
      { k: 4, "maj@k": 200 / 3, "pass@k": 100 },
    ]));
    assert.deepEqual(s.average.curve, rounded([
      { k: 1, "maj@k": (50 + 100 / 3) / 2, "pass@k": (62.5 + 125 / 3) / 2 },
      { k: 2, "maj@k": (50 + 200 / 3) / 2, "pass@k": ((100 * (1 + 5 / 6)) / 2 + (100 * (5 / 6 + 5 / 6 + 1 / 2)) / 3) / 2 },
      { k: 4, "maj@k": (50 + 200 / 3) / 2, "pass@k": 100 },
    ]));
  });

  it("breaks a dataset down by level (natural order) and subject", () => {
    const s = rounded(summarize(twoDatasets()));
    const math = s.datasets[1]!;
    assert.deepEqual(math.byLevel, [
      { key: "Level 1", problems: 1, metrics: { accuracy: 100, "pass@1": 50, "maj@k": 100, "pass@k": 100 } },
      { key: "Level 3", problems: 1, metrics: { accuracy: 100, "pass@1": 50, "maj@k": 100, "pass@k": 100 } },
      { key: "Level 10", problems: 1, metrics: { accuracy: 0, "pass@1": 25, "maj@k": 0, "pass@k": 100 } },
    ]);
    assert.deepEqual(math.bySubject, [
      { key: "Algebra", problems: 2, metrics: { accuracy: 100, "pass@1": 50, "maj@k": 100, "pass@k": 100 } },
      { key: "Geometry", problems: 1, metrics: { accuracy: 0, "pass@1": 25, "maj@k": 0, "pass@k": 100 } },
    ]);
    assert.deepEqual(s.datasets[0]!.byLevel, []);
    assert.deepEqual(s.datasets[0]!.bySubject, []);
  });

  it("groups records without a level under (none) when others have one", () => {
    const s = summarize([rec("math", "a", ["1"], [T], { level: "Level 2" }), rec("math", "b", ["1"], [F])]);
    assert.deepEqual(s.datasets[0]!.byLevel, [
      { key: "(none)", problems: 1, metrics: { accuracy: 0 } },
      { key: "Level 2", problems: 1, metrics: { accuracy: 100 } },
    ]);
  });

  it("takes a smaller k: maj@2, pass@2, rm@2", () => {
    const s = rounded(summarize(twoDatasets(), { k: 2 }));
    assert.equal(s.k, 2);
    assert.deepEqual(s.datasets[0]!.metrics, rounded({ accuracy: 100, "pass@1": 62.5, "maj@k": 50, "pass@k": (100 * (1 + 5 / 6)) / 2, "rm@k": 50 }));
    assert.equal(metricLabel("maj@k", s.k), "maj@2");
    assert.equal(metricLabel("accuracy", s.k), "accuracy");
  });

  it("reports only accuracy for one sample per problem", () => {
    const s = summarize([rec("gsm8k", "a", ["1"], [T]), rec("gsm8k", "b", ["2"], [F]), rec("svamp", "c", ["3"], [T])]);
    assert.deepEqual(s.metricNames, ["accuracy"]);
    assert.deepEqual(s.datasets[0]!.metrics, { accuracy: 50 });
    assert.deepEqual(s.datasets[0]!.curve, []);
    assert.deepEqual(s.average.metrics, { accuracy: 75 });
    assert.deepEqual(s.average.curve, []);
    assert.deepEqual(JSON.parse(JSON.stringify(s)), s, "plain JSON");
  });

  it("uses the equivalence clusters, not strings, for maj@k", () => {
    // strings: "1/3" twice beats each spelling of one half; clusters: three halves
    const s = summarize([rec("math", "a", ["1/3", "\\frac{1}{2}", "0.5", "1/3", "\\dfrac12"], [F, T, T, F, T])]);
    assert.equal(s.datasets[0]!.metrics["maj@k"], 100);
  });

  it("refuses no records, an empty problem, and a k outside 1..N", () => {
    assert.throws(() => summarize([]), QmathError);
    assert.throws(() => summarize([rec("math", "a", [], [])]), /no samples/);
    assert.throws(() => summarize(twoDatasets(), { k: 5 }), (e: unknown) => e instanceof QmathError && /from 1 to 4/.test(e.message));
    assert.throws(() => summarize(twoDatasets(), { k: 0 }), QmathError);
    assert.throws(() => summarize(twoDatasets(), { k: 1.5 }), QmathError);
  });

  it("places the curve at powers of two and N", () => {
    assert.deepEqual(curveKs(1), [1]);
    assert.deepEqual(curveKs(8), [1, 2, 4, 8]);
    assert.deepEqual(curveKs(6), [1, 2, 4, 6]);
    assert.deepEqual(curveKs(64), [1, 2, 4, 8, 16, 32, 64]);
  });
});
