/**
 * Properties: equivalence is reflexive and symmetric on the corpus of reference answers of
 * every shared set; random junk (fuzzed LaTeX, deep nesting, 100 kB strings) never throws
 * and returns within the bound. Randomness comes from a seeded PRNG, so failures repeat.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { equivalent, extractAnswer, referenceAnswer } from "../../src/answers/index.js";
import { prng } from "../../src/answers/compare.js";
import { ALL_SETS, loadRows } from "./datasets.js";

const corpus: string[] = (() => {
  const seen = new Set<string>();
  for (const name of ALL_SETS) for (const row of loadRows(name)) seen.add(referenceAnswer(name, row));
  seen.delete("");
  return [...seen];
})();

const REASONS = new Set(["equal", "different", "unparseable", "timeout"]);
/** The default bound is 50 ms of wall time; a pause of a busy shared machine (GC, other jobs) can add to it, not a loop of ours. */
const BOUND_MS = 250;

function timed<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
}

describe("properties on the reference corpus", () => {
  it("has a large corpus", () => assert.ok(corpus.length > 4000, `${corpus.length} distinct references`));

  it("is reflexive: every reference equals itself, and its boxed form", () => {
    for (const a of corpus) {
      assert.deepEqual(equivalent(a, a), { equivalent: true, reason: "equal" }, a);
      const boxed = extractAnswer(`The answer is therefore $\\boxed{${a}}$.`);
      assert.ok(boxed !== null, a);
      assert.equal(equivalent(boxed, a).equivalent, true, `${JSON.stringify(a)} boxed and extracted as ${JSON.stringify(boxed)}`);
    }
  });

  it("is symmetric on random pairs of references, and on near neighbours", () => {
    const rand = prng(20240611);
    const sorted = [...corpus].sort();
    const pairs: [string, string][] = [];
    for (let k = 0; k < 4000; k++) pairs.push([corpus[Math.floor(rand() * corpus.length)], corpus[Math.floor(rand() * corpus.length)]]);
    // neighbours in sorted order share prefixes: the hard cases (1/2 vs 1/3, x+1 vs x+2)
    for (let k = 0; k + 1 < sorted.length; k++) pairs.push([sorted[k], sorted[k + 1]]);
    let equalPairs = 0;
    for (const [a, b] of pairs) {
      const ab = equivalent(a, b);
      const ba = equivalent(b, a);
      assert.equal(ab.equivalent, ba.equivalent, `asymmetric: ${JSON.stringify(a)} vs ${JSON.stringify(b)}: ${ab.reason} / ${ba.reason}`);
      if (ab.equivalent) equalPairs++;
    }
    // sanity: distinct references are mostly different
    assert.ok(equalPairs < pairs.length * 0.05, `${equalPairs} of ${pairs.length} distinct pairs judged equal`);
  });
});

const ATOMS = [
  "\\frac", "\\sqrt", "{", "}", "(", ")", "[", "]", "\\{", "\\}", "^", "_", "x", "y", "2", "3.5", "-", "+", "*", "/", "=", "<", "\\le", ",", ";",
  "\\pi", "\\infty", "\\cup", "\\pm", "\\left(", "\\right)", "\\begin{pmatrix}", "\\end{pmatrix}", "&", "\\\\", "\\text{cm}", "%", "^\\circ", "|",
  "\\sin", "\\log_", "!", "\\binom", "e", "i", "10^{", "\\lfloor", "\\rfloor", "$", "\\boxed{", " ", "\\", "\\mathbf{", "é", "答案是", "#### ",
];

function junk(rand: () => number, length: number): string {
  let s = "";
  while (s.length < length) s += ATOMS[Math.floor(rand() * ATOMS.length)];
  return s;
}

function assertBounded(a: string, b: string, label: string): void {
  const [r, ms] = timed(() => equivalent(a, b));
  assert.ok(REASONS.has(r.reason), `${label}: reason ${r.reason}`);
  assert.equal(typeof r.equivalent, "boolean");
  assert.equal(r.equivalent, r.reason === "equal");
  assert.ok(ms < BOUND_MS, `${label}: took ${ms.toFixed(1)} ms`);
}

describe("fuzz: junk never throws and returns within the bound", () => {
  it("fuzzed LaTeX against corpus answers and against itself", () => {
    const rand = prng(7);
    for (let k = 0; k < 3000; k++) {
      const a = junk(rand, 1 + Math.floor(rand() * 60));
      const b = rand() < 0.5 ? corpus[Math.floor(rand() * corpus.length)] : junk(rand, 1 + Math.floor(rand() * 60));
      assertBounded(a, b, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      const [x, ms] = timed(() => extractAnswer(a + b));
      assert.ok(x === null || typeof x === "string");
      assert.ok(ms < BOUND_MS);
    }
  });

  it("mutated corpus answers (one character changed, dropped or doubled)", () => {
    const rand = prng(11);
    for (let k = 0; k < 3000; k++) {
      const a = corpus[Math.floor(rand() * corpus.length)];
      const i = Math.floor(rand() * a.length);
      const op = rand();
      const b = op < 0.33 ? a.slice(0, i) + a.slice(i + 1) : op < 0.66 ? a.slice(0, i) + a[i] + a.slice(i) : a.slice(0, i) + ATOMS[Math.floor(rand() * ATOMS.length)] + a.slice(i + 1);
      assertBounded(b, a, `${JSON.stringify(b)} vs ${JSON.stringify(a)}`);
    }
  });

  it("deep nesting", () => {
    for (const depth of [50, 500, 5000, 50000]) {
      const cases = [
        "(".repeat(depth) + "1" + ")".repeat(depth),
        "{".repeat(depth) + "x" + "}".repeat(depth),
        "\\frac{".repeat(depth) + "1" + "}{2}".repeat(depth),
        "\\sqrt{".repeat(depth) + "2" + "}".repeat(depth),
        "x^{".repeat(depth) + "2" + "}".repeat(depth),
        "-".repeat(depth) + "1",
        "\\mathbf{".repeat(depth) + "1" + "}".repeat(depth),
        "|".repeat(depth),
      ];
      for (const c of cases) {
        assertBounded(c, "1", `depth ${depth}: ${c.slice(0, 20)}`);
        assertBounded("1", c, `depth ${depth} (reversed): ${c.slice(0, 20)}`);
        const [x, ms] = timed(() => extractAnswer(`\\boxed{${c}}`));
        assert.ok(x === null || typeof x === "string");
        assert.ok(ms < BOUND_MS, `extract depth ${depth}: ${ms} ms`);
      }
    }
  });

  it("100 kB strings", () => {
    const rand = prng(99);
    const big = [
      junk(rand, 100_000),
      "1".repeat(100_000),
      " ".repeat(100_000) + "x",
      "x+".repeat(50_000) + "1",
      "\\frac{1}{2}".repeat(9_000),
      "9".repeat(50_000) + "^" + "9".repeat(50_000),
      "(1,".repeat(30_000),
      "$".repeat(100_000),
      "\\boxed{".repeat(15_000),
      "1,000".repeat(20_000),
    ];
    for (const s of big) {
      assertBounded(s, s + "0", `100 kB ${JSON.stringify(s.slice(0, 12))}`);
      assertBounded(s, "42", `100 kB vs 42 ${JSON.stringify(s.slice(0, 12))}`);
      const [x, ms] = timed(() => extractAnswer(s));
      assert.ok(x === null || typeof x === "string");
      assert.ok(ms < BOUND_MS * 5, `extract 100 kB: ${ms.toFixed(1)} ms`);
    }
  });

  it("huge numbers stay bounded", () => {
    for (const [a, b] of [
      ["2^{2^{2^{2^{2}}}}", "2^{65536}"],
      ["10^{10^{10}}", "10^{10^{10}}+1"],
      ["1000!", "999!"],
      ["(10^{100})^{100}", "10^{10000}"],
      ["\\binom{10^9}{5}", "7"],
      ["9^{9^{9}}", "1"],
    ]) {
      assertBounded(a, b, `${a} vs ${b}`);
    }
  });
});
