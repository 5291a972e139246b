/**
 * Properties: equivalence is reflexive and symmetric on a corpus of answers in the forms
 * the benchmark sets use (written for these tests, plus the references of the project's
 * set fixtures; the corpus suite runs the same on every real reference); random junk
 * (fuzzed LaTeX, deep nesting, 100 kB strings) never throws and returns within the bound.
 * Randomness comes from a seeded PRNG, so failures repeat.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { equivalent, extractAnswer } from "../../src/answers/index.js";
import { prng } from "../../src/answers/compare.js";
import { DATASETS, referenceAnswer } from "../../src/datasets/index.js";
import { fixtureDataDir, FIXTURE_SETS } from "../datasets/fixtures.js";
import { assertSymmetric } from "./symmetry.js";

/** Answers in the shapes references take: numbers, fractions, radicals, expressions, tuples, intervals, sets, matrices, units, text. */
const OWN_ANSWERS = [
  "0", "7", "-12", "3.75", "0.001", "1,000,000", "2/3", "\\frac{5}{6}", "-\\frac{7}{2}", "\\dfrac{9}{4}", "\\tfrac{1}{8}", "12\\%", "45^\\circ",
  "\\sqrt{2}", "3\\sqrt{5}", "\\frac{\\sqrt{3}}{2}", "2+\\sqrt{7}", "\\sqrt[3]{10}", "\\pi", "4\\pi", "\\frac{\\pi}{6}", "e^2", "\\ln 3",
  "x^2+2x+1", "(x+1)^2", "2x-5", "\\frac{x+1}{x-1}", "a^2-b^2", "3n+2", "x=4", "y=2x+3", "x^2+y^2=9", "f(x)=x^3",
  "(1,2)", "(-3, \\frac{1}{2})", "(2,5,-1)", "[0,1]", "(-\\infty, 3)", "[2,\\infty)", "(-1,1]\\cup(2,5)", "\\{1,2,3\\}", "1, 2, 4",
  "\\begin{pmatrix} 1 \\\\ -2 \\end{pmatrix}", "\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}", "5\\text{ cm}", "\\$24.50", "3:15",
  "\\text{(B)}", "C", "Yes", "True", "\\text{even}", "2\\pm\\sqrt{3}", "x \\le 3", "-2<x<4", "\\infty", "10^{6}", "2^{10}", "7!", "\\binom{6}{2}",
  "\\frac{1}{2}(3+\\sqrt{5})", "0.\\overline{3}", "\\sin 30^\\circ", "\\log_2 8", "|x-1|", "\\lfloor 2.5 \\rfloor", "1\\frac{1}{2}", "6z^5+15z^4-22z^3",
];

const corpus: string[] = (() => {
  const seen = new Set<string>(OWN_ANSWERS);
  for (const name of FIXTURE_SETS) {
    const file = join(fixtureDataDir, DATASETS.find((d) => d.name === name)!.file);
    for (const line of readFileSync(file, "utf8").split("\n").filter((l) => l.trim())) seen.add(referenceAnswer(name, JSON.parse(line) as Record<string, unknown>));
  }
  seen.delete("");
  return [...seen];
})();

const REASONS = new Set(["equal", "different", "unparseable", "timeout", "undecided"]);
/** The default bound is 50 ms of wall time; a pause of a busy shared machine (GC, other jobs) can add to it, not a loop of ours. */
const BOUND_MS = 250;

function timed<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
}

describe("properties on the reference corpus", () => {
  it("has a varied corpus", () => assert.ok(corpus.length > 80, `${corpus.length} distinct answers`));

  it("is reflexive: every reference equals itself, and its boxed form", () => {
    for (const a of corpus) {
      assert.deepEqual(equivalent(a, a), { equivalent: true, reason: "equal" }, a);
      const boxed = extractAnswer(`The answer is therefore $\\boxed{${a}}$.`);
      assert.ok(boxed !== null, a);
      assert.equal(equivalent(boxed, a).equivalent, true, `${JSON.stringify(a)} boxed and extracted as ${JSON.stringify(boxed)}`);
    }
  });

  it("is symmetric on random pairs of references, and on near neighbours", () => {
    assertSymmetric(corpus, 2000);
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
      const b = rand() < 0.5 ? corpus[Math.floor(rand() * corpus.length)]! : junk(rand, 1 + Math.floor(rand() * 60));
      assertBounded(a, b, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      const [x, ms] = timed(() => extractAnswer(a + b));
      assert.ok(x === null || typeof x === "string");
      assert.ok(ms < BOUND_MS);
    }
  });

  it("mutated corpus answers (one character changed, dropped or doubled)", () => {
    const rand = prng(11);
    for (let k = 0; k < 3000; k++) {
      const a = corpus[Math.floor(rand() * corpus.length)]!;
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
    ] as const) {
      assertBounded(a, b, `${a} vs ${b}`);
    }
  });
});
