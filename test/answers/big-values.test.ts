/** Values beyond a double's range are compared by size (logarithms) or left undecided, never equal by overflow. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { equivalent } from "../../src/answers/index.js";
import { checkReasons } from "./table.js";

describe("values beyond a double's range", () => {
  it("tells different large and tiny values apart by size", () => {
    checkReasons([
      ["1e400", "2e400", "different"],
      ["e^{1000}", "e^{1001}", "different"],
      ["3^{100000}", "3^{100001}", "different"],
      ["10^{10^{10}}", "10^{10^9}", "different"],
      ["9^{9^9}", "9^{9^8}", "different"],
      ["x^{10^9}", "x^{10^9+1}", "different"],
      ["e^{-1000}", "e^{-1001}", "different"],
      ["e^{-1000}", "0", "different"],
      ["-e^{1000}", "e^{1000}", "different"],
      ["200!", "199!", "different"],
      ["\\sqrt{10^{1001}}", "10^{500}", "different"],
      ["\\log_{36}(36^{216})", "215", "different"],
      ["e^{1000}", "5", "different"],
      ["\\frac{1}{0}", "5", "different"],
      ["x^{10^9}", "\\infty", "different"],
      ["\\frac{1}{0}", "\\infty", "different"],
      ["e^{1000}", "\\infty", "different"],
      ["-e^{1000}", "-\\infty", "different"],
    ]);
  });
  it("finds equal large values equal when their sizes agree and one is irrational, or exactly", () => {
    checkReasons([
      ["e^{1000}", "e \\cdot e^{999}", "equal"],
      ["1.97e434", "e^{1000}", "equal"],
      ["1e400", "1.0e400", "equal"],
      ["x^{10^9}", "x^{10^9} \\cdot 1", "equal"],
      ["\\sqrt{10^{1000}}", "10^{500}", "equal"],
      ["\\frac{300!}{299!}", "300", "equal"],
      ["\\log_{36}(36^{216})", "216", "equal"],
      ["\\ln(e^{1000})", "1000", "equal"],
      ["\\infty", "+\\infty", "equal"],
      ["[1,\\infty)", "[1, +\\infty)", "equal"],
      ["-\\infty", "\\infty", "different"],
    ]);
  });
  it("says undecided when large exact values agree in size beyond what logarithms tell apart", () => {
    checkReasons([
      ["2^{2^{20}}", "2^{2^{20}}+1", "undecided"],
      ["1000!", "1000!+1", "undecided"],
      ["\\frac{1}{0}", "\\frac{2}{0}", "undecided"],
    ]);
    assert.equal(equivalent("2^{2^{20}}", "2^{2^{20}}+1").equivalent, false);
  });
});
