/** n-th roots against fractional powers, numeric and symbolic, with real odd roots of negatives. */
import { describe, it } from "node:test";
import { checkReasons } from "./table.js";

describe("radicals and powers", () => {
  it("reads \\sqrt[n]{x^m} as x^{m/n}", () => {
    checkReasons([
      ["\\sqrt[3]{x^2}", "x^{2/3}", "equal"],
      ["\\sqrt[3]{x^2}", "x^{\\frac{2}{3}}", "equal"],
      ["\\sqrt[5]{a^3}", "a^{3/5}", "equal"],
      ["\\sqrt[3]{y}", "y^{1/3}", "equal"],
      ["x^{-2/3}", "\\frac{1}{\\sqrt[3]{x^2}}", "equal"],
      ["\\sqrt[n]{x}", "x^{1/n}", "equal"],
      ["\\sqrt[n]{x^m}", "x^{m/n}", "equal"],
      ["\\sqrt[3]{x^2}", "x^{3/2}", "different"],
      ["\\sqrt[3]{x^2}", "x^{1/3}", "different"],
      ["\\sqrt[5]{a^3}", "a^{5/3}", "different"],
      ["\\sqrt[n]{x^m}", "x^{n/m}", "different"],
    ]);
  });
  it("evaluates numeric roots, odd roots of negatives real", () => {
    checkReasons([
      ["\\sqrt[4]{16}", "2", "equal"],
      ["\\sqrt[3]{-8}", "-2", "equal"],
      ["(-8)^{2/3}", "4", "equal"],
      ["(-32)^{3/5}", "-8", "equal"],
      ["\\sqrt[3]{54}", "3\\sqrt[3]{2}", "equal"],
      ["\\sqrt[3]{2}\\sqrt[3]{4}", "2", "equal"],
      ["\\sqrt[4]{16}", "4", "different"],
      ["(-8)^{2/3}", "-4", "different"],
      ["\\sqrt[3]{54}", "2\\sqrt[3]{3}", "different"],
    ]);
  });
});
