/** Finite sums and products, factorials, binomials, floor and ceiling, evaluated where the answer leaves them. */
import { describe, it } from "node:test";
import { checkReasons } from "./table.js";

describe("sums, products and integer functions", () => {
  it("expands sums and products with numeric limits", () => {
    checkReasons([
      ["\\sum_{k=1}^{10} k", "55", "equal"],
      ["\\sum^{10}_{k=1} k", "55", "equal"],
      ["\\sum_{k=1}^{10} k^2", "385", "equal"],
      ["\\sum_{i=0}^{3} 2^i", "15", "equal"],
      ["\\sum_{k=1}^{3}\\frac{1}{k}", "\\frac{11}{6}", "equal"],
      ["\\prod_{k=1}^{5} k", "120", "equal"],
      ["\\prod_{k=1}^{3}\\left(1+\\frac1k\\right)", "4", "equal"],
      ["\\sum_{k=1}^{10} k + 1", "56", "equal"],
      ["\\sum_{k=1}^{2}\\sum_{j=1}^{k} j", "4", "equal"],
      ["\\sum_{k=1}^{4} kx", "10x", "equal"],
      ["\\sum_{k=1}^{10000} k", "50005000", "equal"],
      ["\\sum_{k=5}^{4} k", "0", "equal"],
      ["\\sum_{k=1}^{10} k", "56", "different"],
      ["\\sum_{k=0}^{10} k^2", "384", "different"],
      ["\\prod_{k=1}^{5} k", "24", "different"],
      ["\\sum_{k=1}^{4} kx", "11x", "different"],
    ]);
  });
  it("leaves a sum it cannot expand undecided, not different", () => {
    checkReasons([
      ["\\sum_{k=1}^{n} k", "\\frac{n(n+1)}{2}", "undecided"],
      ["\\sum_{k=1}^{1000000} k", "500000500000", "undecided"],
      ["\\sum_{n=0}^{\\infty} x^n", "\\frac{1}{1-x}", "undecided"],
    ]);
    // a list of two against one sum is different whatever the sum is
    checkReasons([["\\sum_{k=1}^{n} k", "1, 2", "different"]]);
  });
  it("evaluates factorials, binomials, floor and ceiling", () => {
    checkReasons([
      ["5!", "120", "equal"],
      ["\\frac{10!}{5!5!}", "252", "equal"],
      ["{10 \\choose 5}", "252", "equal"],
      ["\\dbinom{10}{5}", "\\binom{10}{5}", "equal"],
      ["\\binom{n}{2}", "\\frac{n(n-1)}{2}", "equal"],
      ["\\lfloor \\frac{7}{2} \\rfloor", "3", "equal"],
      ["\\left\\lceil \\sqrt{10} \\right\\rceil", "4", "equal"],
      ["\\lfloor -2.5 \\rfloor", "-3", "equal"],
      ["5!", "5", "different"],
      ["{10 \\choose 5}", "250", "different"],
      ["\\lfloor \\frac{7}{2} \\rfloor", "4", "different"],
      ["\\lceil \\pi \\rceil", "3", "different"],
    ]);
  });
});
