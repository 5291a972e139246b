/** Numbers written with separators, a decimal comma, or words for units and percent. */
import { describe, it } from "node:test";
import { checkReasons } from "./table.js";

describe("number spellings", () => {
  it("reads thousands separators: thin spaces, \\!, {,}, Unicode spaces", () => {
    checkReasons([
      ["11,\\!111,\\!100", "11111100", "equal"],
      ["11,\\!111,\\!100", "11111010", "different"],
      ["1\\,000\\,000", "10^6", "equal"],
      ["1\\;000", "1000", "equal"],
      ["2{,}500{,}000", "2500000", "equal"],
      ["1\u2009000\u2009000", "1000000", "equal"],
      ["1\u202f000", "1000", "equal"],
      ["1\u00a0000", "1001", "different"],
      ["0,125", "125", "different"],
    ]);
  });
  it("reads a decimal comma only against a decimal point, and not where it is a thousands group", () => {
    checkReasons([
      ["3,5", "3.5", "equal"],
      ["0,125", "0.125", "equal"],
      ["12,25", "12.25", "equal"],
      ["-2,75", "-2.75", "equal"],
      ["3,5", "3.6", "different"],
      ["3,500", "3.5", "different"],
      ["3,500", "3500", "equal"],
      ["3,5", "\\{3, 5\\}", "equal"],
      ["3,5", "35", "different"],
    ]);
  });
  it("reads a repeating decimal as the fraction it is", () => {
    checkReasons([
      ["0.\\overline{3}", "\\frac13", "equal"],
      ["0.1\\overline{6}", "\\frac16", "equal"],
      ["1.\\overline{27}", "\\frac{14}{11}", "equal"],
      ["0.\\bar{6}", "\\frac23", "equal"],
      ["0.\\overline{3}", "0.333", "equal"],
      ["0.\\overline{3}", "\\frac{3}{10}", "different"],
      ["0.1\\overline{6}", "\\frac{1}{5}", "different"],
      ["1.\\overline{27}", "1.27", "equal"],
      ["1.\\overline{27}", "1.28", "different"],
    ]);
  });
  it("reads percent and unit words", () => {
    checkReasons([
      ["5 pct", "5\\%", "equal"],
      ["5 percent", "5\\%", "equal"],
      ["5\\text{ percent}", "0.05", "equal"],
      ["12.5 per cent", "12.5\\%", "equal"],
      ["5 pct", "6\\%", "different"],
      ["5 percent", "0.06", "different"],
      ["5 \\textbf{meters}", "5", "equal"],
      ["5 \\textbf{meters}", "6", "different"],
      ["5\\mathrm{cm}", "5", "equal"],
      ["7\\text{ cm}^2", "7", "equal"],
      ["7\\text{ cm}^2", "8", "different"],
      ["12 \\textit{inches}", "12", "equal"],
    ]);
  });
});
