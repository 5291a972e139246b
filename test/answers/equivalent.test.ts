/**
 * Tables per answer category: each row is [prediction, reference, expected]. Every row is
 * checked in both directions (the verdict must not depend on which side is the reference),
 * except the rows of the one-directional table at the end.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { equivalent } from "../../src/answers/index.js";
import { isQmathError } from "../../src/errors.js";

type Row = [string, string, boolean];

function check(rows: Row[]): void {
  for (const [pred, gold, want] of rows) {
    const ab = equivalent(pred, gold);
    const ba = equivalent(gold, pred);
    assert.equal(ab.equivalent, want, `equivalent(${JSON.stringify(pred)}, ${JSON.stringify(gold)}) = ${JSON.stringify(ab)}, expected ${want}`);
    assert.equal(ba.equivalent, want, `equivalent(${JSON.stringify(gold)}, ${JSON.stringify(pred)}) = ${JSON.stringify(ba)}, expected ${want}`);
    assert.equal(ab.reason === "equal", want, `reason for ${pred} vs ${gold}: ${ab.reason}`);
  }
}

const categories: Record<string, Row[]> = {
  "integers and decimals, thousands separators": [
    ["42", "42", true],
    ["42.0", "42", true],
    ["-7", "-7", true],
    ["025", "25", true],
    ["10{,}000", "10000", true],
    ["10,000", "10000", true],
    ["10\\,000", "10000", true],
    ["1,234,567", "1234567", true],
    ["0.5", ".5", true],
    ["42", "43", false],
    ["-7", "7", false],
    ["2,3", "23", false],
    ["1000000", "1000001", false],
    ["10,000", "10", false],
  ],
  "fractions and mixed numbers": [
    ["\\frac{1}{2}", "0.5", true],
    ["\\dfrac{3}{4}", "\\frac34", true],
    ["\\tfrac{3}{4}", "3/4", true],
    ["\\frac{6}{8}", "\\frac{3}{4}", true],
    ["-\\frac{1}{3}", "\\frac{-1}{3}", true],
    ["2\\frac{1}{2}", "\\frac{5}{2}", true],
    ["15\\frac{39}{40}", "\\frac{639}{40}", true],
    ["\\frac{1}{2}", "\\frac{1}{3}", false],
    ["2\\frac{1}{2}", "1", false],
    ["\\frac{3}{4}", "\\frac{4}{3}", false],
  ],
  "decimals to the precision they show (more in shown-precision.test.ts)": [
    ["0.33333", "\\frac{1}{3}", true],
    ["0.333", "\\frac{1}{3}", true],
    ["0.334", "\\frac{1}{3}", false],
    ["3.1416", "\\pi", true],
    ["3.14", "\\pi", true],
    ["3.15", "\\pi", false],
    ["\\frac{355}{113}", "\\pi", false],
    ["2.8284", "2\\sqrt{2}", true],
    ["2.828", "2\\sqrt{2}", true],
    ["2.829", "2\\sqrt{2}", false],
  ],
  radicals: [
    ["\\sqrt{8}", "2\\sqrt{2}", true],
    ["\\sqrt{12}", "2\\sqrt3", true],
    ["\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}", true],
    ["\\sqrt[3]{27}", "3", true],
    ["4\\sqrt(2)", "4\\sqrt{2}", true],
    ["4", "4\\sqrt{2}", false],
    ["4", "4\\sqrt(2)", false],
    ["\\sqrt{2}", "\\sqrt{3}", false],
    ["2\\sqrt{3}", "3\\sqrt{2}", false],
  ],
  "pi, e, i and complex numbers": [
    ["2\\pi", "\\pi \\cdot 2", true],
    ["\\frac{\\pi}{2}", "\\pi/2", true],
    ["e^{2}", "e^2", true],
    ["3+4i", "4i+3", true],
    ["i^2", "-1", true],
    ["\\frac{1}{i}", "-i", true],
    ["(1+i)^2", "2i", true],
    ["3+4i", "3-4i", false],
    ["\\pi", "e", false],
    ["2\\pi", "\\pi", false],
  ],
  percentages: [
    ["50\\%", "0.5", true],
    ["50\\%", "50", true],
    ["12.5%", "\\frac{1}{8}", true],
    ["50\\%", "5", false],
    ["50\\%", "0.05", false],
    ["0.5", "50", false],
  ],
  "scientific notation": [
    ["4.5e33", "4.5 \\times 10^{33}", true],
    ["1.2 \\times 10^{-3}", "0.0012", true],
    ["6.02\\cdot10^{23}", "6.02e23", true],
    ["4.5e33", "4.5 \\times 10^{32}", false],
    ["1.2 \\times 10^{-3}", "0.012", false],
  ],
  "algebraic expressions": [
    ["(x+1)^2", "x^2+2x+1", true],
    ["\\frac{x}{7}+\\frac{2}{7}", "\\frac{x+2}{7}", true],
    ["\\sin^2 x + \\cos^2 x", "1", true],
    ["\\sec^2 y", "\\tan^2 y+1", true],
    ["2ab", "2ba", true],
    ["\\ln(x^2)", "2\\ln x", true],
    ["\\frac{1-p^{2}}{3}", "\\frac{-p^{2}+0 p+1}{3}", true],
    ["(x+1)^2", "x^2+x+1", false],
    ["|x|", "x", false],
    ["\\sqrt{x^2}", "x", false],
    ["x^2", "y^2", false],
    ["2ab", "2a", false],
  ],
  "equations and inequalities": [
    ["x=5", "5", true],
    ["k = -\\frac{1}{2}", "-0.5", true],
    ["f(x)=x+22", "x+22", true],
    ["y=2x+3", "2x-y+3=0", true],
    ["y=2x+3", "y-3=2x", true],
    ["x \\le 5", "5 \\ge x", true],
    ["x > 5", "(5, \\infty)", true],
    ["-1 < x \\le 3", "(-1, 3]", true],
    ["x \\in [1,2]", "[1,2]", true],
    ["x=5", "6", false],
    ["y=2x+3", "y=3x+2", false],
    ["x < 5", "x \\le 5", false],
    ["x < 5", "x > 5", false],
    ["x > 5", "[5, \\infty)", false],
    ["x = 5", "y = 5", false],
  ],
  "intervals and unions": [
    ["(1, 2]", "(1,2]", true],
    ["[0, \\infty)", "[0,\\infty)", true],
    ["[1,\\infty)", "[1, \\infty]", true],
    ["(-\\infty, 3) \\cup (5, \\infty)", "(5,\\infty)\\cup(-\\infty,3)", true],
    ["(-\\infty,\\infty)", "\\mathbb{R}", true],
    ["[\\frac{1}{2}, 8]", "[0.5, 8]", true],
    ["(1,2)", "[1,2]", false],
    ["(1, 2]", "[1, 2)", false],
    ["(-\\infty, 3) \\cup (5, \\infty)", "(-\\infty, 3) \\cup [5, \\infty)", false],
  ],
  "tuples, points, sets and lists": [
    ["(1,2)", "(1, 2)", true],
    ["\\left( 3, \\frac{\\pi}{2} \\right)", "(3,\\pi/2)", true],
    ["2, 3", "3, 2", true],
    ["\\{1, 2\\}", "2, 1", true],
    ["x=1, x=2", "1, 2", true],
    ["1 \\pm \\sqrt{2}", "1+\\sqrt2, 1-\\sqrt 2", true],
    ["2 \\text{ or } 3", "3, 2", true],
    ["\\{5\\}", "5", true],
    ["(1,2)", "(2,1)", false],
    ["2, 3", "2, 3, 4", false],
    ["2, 3", "2, 4", false],
    ["(1,2)", "\\{1, 2\\}", false],
  ],
  "vectors and matrices": [
    ["\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "(1,2)", true],
    ["\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}", true],
    ["\\begin{pmatrix} \\frac{1}{2} \\\\ -1 \\end{pmatrix}", "\\begin{pmatrix} 0.5 \\\\ -1 \\end{pmatrix}", true],
    ["\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 5 \\end{pmatrix}", false],
    ["\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix} 2 \\\\ 1 \\end{pmatrix}", false],
    ["\\begin{pmatrix} 1 & 2 \\end{pmatrix}", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", false],
  ],
  "degrees and radians": [
    ["30^\\circ", "30", true],
    ["30^{\\circ}", "30°", true],
    ["\\frac{\\pi}{6}", "30^\\circ", true],
    ["90^\\circ", "\\frac{\\pi}{2}", true],
    ["30^\\circ", "60", false],
    ["\\frac{\\pi}{6}", "30", false],
    ["30^\\circ", "\\frac{\\pi}{3}", false],
  ],
  "multiple choice": [
    ["(A)", "A", true],
    ["\\text{(C)}", "C", true],
    ["\\textbf{(B)}", "(B)", true],
    ["(D) 12", "D", true],
    ["B", "C", false],
    ["(A)", "B", false],
  ],
  "text answers": [
    ["\\text{Evelyn}", "Evelyn", true],
    ["\\text{yes}", "Yes", true],
    ["\\text{Monday}", "\\textbf{Monday}", true],
    ["\\text{Evelyn}", "Bob", false],
    ["\\text{yes}", "no", false],
  ],
  "times and ratios": [
    ["4:30 p.m.", "4:30 PM", true],
    ["4:30 p.m.", "16:30", true],
    ["9:05 \\text{ a.m.}", "9:05am", true],
    ["1:3", "2:6", true],
    ["\\frac{1}{3}", "1:3", true],
    ["4:30 a.m.", "4:30 p.m.", false],
    ["4:30 p.m.", "4:45 p.m.", false],
    ["1:3", "3:1", false],
  ],
  "units and dollars": [
    ["5\\text{ cm}", "5", true],
    ["\\$1.50", "1.5", true],
    ["12 \\text{ cm}^2", "12", true],
    ["18 dollars", "18", true],
    ["5\\text{ cm}", "6", false],
    ["\\$1.50", "15", false],
  ],
};

describe("equivalent: categories", () => {
  for (const [name, rows] of Object.entries(categories)) {
    it(name, () => {
      assert.ok(rows.some((r) => r[2]) && rows.some((r) => !r[2]), "each table has positive and negative rows");
      check(rows);
    });
  }
});

describe("equivalent: reasons and options", () => {
  it("reports unparseable input that is not equal", () => {
    const r = equivalent("\\frac{1}{", "\\frac{1}{2}");
    assert.deepEqual(r, { equivalent: false, reason: "unparseable" });
  });
  it("reports equal and different", () => {
    assert.deepEqual(equivalent("1/2", "0.5"), { equivalent: true, reason: "equal" });
    assert.deepEqual(equivalent("1/2", "0.6"), { equivalent: false, reason: "different" });
  });
  it("treats missing values as unparseable", () => {
    assert.equal(equivalent("", "5").reason, "unparseable");
    assert.equal(equivalent(null as unknown as string, "5").reason, "unparseable");
  });
  it("accepts numbers as input", () => {
    assert.equal(equivalent(27 as unknown as string, "27.0").equivalent, true);
  });
  it("tolerance is configurable (a number replaces the shown-precision rule)", () => {
    assert.equal(equivalent("0.333", "1/3").equivalent, true);
    assert.equal(equivalent("0.333", "1/3", { tolerance: 1e-4 }).equivalent, false);
    assert.equal(equivalent("0.33", "1/3").equivalent, false);
    assert.equal(equivalent("0.33", "1/3", { tolerance: 1e-2 }).equivalent, true);
  });
  it("percentScale reproduces the harness's x100 and /100", () => {
    assert.equal(equivalent("0.25", "25").equivalent, false);
    assert.equal(equivalent("0.25", "25", { percentScale: true }).equivalent, true);
    assert.equal(equivalent("2500", "25", { percentScale: true }).equivalent, true);
    assert.equal(equivalent("0.3", "25", { percentScale: true }).equivalent, false);
  });
  it("times out instead of running past its bound", () => {
    const big = Array.from({ length: 300 }, (_, k) => `(x+${k})^{2}`).join("+");
    const other = Array.from({ length: 300 }, (_, k) => `(x+${k + 1})^{2}`).join("+");
    const t = performance.now();
    const r = equivalent(big, other, { timeoutMs: 0 });
    assert.ok(performance.now() - t < 100);
    assert.equal(r.reason, "timeout");
  });
  it("refuses a time bound that is not one (NaN would mean no bound at all), and only that", () => {
    for (const timeoutMs of [NaN, -1, Infinity, 2 ** 31])
      assert.throws(() => equivalent("1", "1", { timeoutMs }), (e: unknown) => isQmathError(e) && e.code === "bad_input" && /timeoutMs must be a number of milliseconds from 0 to 2147483647/.test(e.message));
    assert.equal(equivalent("1/2", "0.5", { timeoutMs: 2 ** 31 - 1 }).reason, "equal");
  });
});
