/** A decimal matches an exact value when it is that value rounded to the places it shows. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { equivalent, HARNESS_TOLERANCE } from "../../src/answers/index.js";
import { checkReasons } from "./table.js";

describe("decimals against exact values, to the precision shown", () => {
  it("accepts the value rounded to the places shown", () => {
    checkReasons([
      ["0.333", "\\frac13", "equal"],
      ["0.667", "\\frac{2}{3}", "equal"],
      ["3.14", "\\pi", "equal"],
      ["3.142", "\\pi", "equal"],
      ["1.414", "\\sqrt{2}", "equal"],
      ["2.71828", "e", "equal"],
      ["0.4286", "0.43", "equal"],
      ["1.29e-5", "1.3e-5", "equal"],
      ["1.29 \\times 10^{-5}", "1.3 \\times 10^{-5}", "equal"],
      ["-0.333", "-\\frac{1}{3}", "equal"],
      ["14.14", "10\\sqrt2", "equal"],
      ["2.83\\pi", "2\\sqrt{2}\\pi", "equal"],
      ["1.73x", "\\sqrt{3}x", "equal"],
      ["12.50", "\\frac{25}{2}", "equal"],
    ]);
  });
  it("refuses a decimal whose shown digits disagree with the value", () => {
    checkReasons([
      ["9999.857142857143", "10{,}000", "different"],
      ["9999.86", "10000", "different"],
      ["12345.4", "12345", "different"],
      ["0.334", "\\frac13", "different"],
      ["3.15", "\\pi", "different"],
      ["3.1415", "3.14159", "different"],
      ["3.1416", "3.14159", "equal"],
      ["1.415", "\\sqrt2", "different"],
      ["0.6666", "\\frac23", "different"],
      ["14.15", "10\\sqrt2", "different"],
      ["2.84\\pi", "2\\sqrt{2}\\pi", "different"],
    ]);
  });
  it("asks three significant digits against an exact value, two against another decimal, and refuses one", () => {
    checkReasons([
      ["0.33", "\\frac13", "different"],
      ["3.1", "\\pi", "different"],
      ["0.43", "\\frac{3}{7}", "different"],
      ["0.1", "\\frac19", "different"],
      ["0.0", "\\frac{1}{30}", "different"],
      ["1e5", "123456", "different"],
      ["0.4", "0.43", "different"],
      ["1e5", "1.2e5", "different"],
      ["0.10", "0.104", "equal"],
      ["0.1", "0.104", "different"],
    ]);
  });
  it("reads a double printed in full as its value", () => {
    checkReasons([
      ["0.30000000000000004", "0.3", "equal"],
      ["0.3333333333333333", "\\frac13", "equal"],
      ["1.4142135623730951", "\\sqrt2", "equal"],
      ["0.30000000000000004", "0.31", "different"],
    ]);
  });
  it("keeps the harness's 1e-4 relative tolerance as an option", () => {
    assert.equal(HARNESS_TOLERANCE, 1e-4);
    const harness = { tolerance: HARNESS_TOLERANCE };
    checkReasons(
      [
        ["9999.857142857143", "10000", "equal"],
        ["3.1416", "\\pi", "equal"],
        ["0.333", "\\frac13", "different"],
        ["3.14", "\\pi", "different"],
      ],
      harness,
    );
    assert.equal(equivalent("0.33", "1/3", { tolerance: 0.02 }).reason, "equal");
  });
});
