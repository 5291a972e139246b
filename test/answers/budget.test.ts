/** The grading budget counts work, so a verdict is the same on every call and on any machine. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Budget, BudgetExceeded } from "../../src/answers/budget.js";
import { equivalent } from "../../src/answers/index.js";

const numbers = Array.from({ length: 1000 }, (_, k) => String(k + 1));
const forward = `\\{${numbers.join(",")}\\}`;
const reversed = `\\{${[...numbers].reverse().join(",")}\\}`;

describe("a budget of work, not of time", () => {
  it("throws after the steps it holds, whatever the clock says", () => {
    const b = new Budget(3);
    b.tick();
    b.tick(2);
    assert.throws(() => b.tick(), BudgetExceeded);
    assert.throws(() => Budget.forTimeoutMs(0).tick(), BudgetExceeded);
  });
  it("grades a 1000-element set against itself reversed as equal, on every call", () => {
    for (let k = 0; k < 3; k++) assert.equal(equivalent(forward, reversed).reason, "equal");
    assert.equal(equivalent(forward, reversed.replace("\\{1000,", "\\{1001,")).reason, "different");
  });
  it("searches a large set of expressions nearest each item's value first: reversed, it is equal within the budget", () => {
    const powers = Array.from({ length: 300 }, (_, k) => `x^{${k + 1}}`);
    const roots = Array.from({ length: 300 }, (_, k) => `\\sqrt{${k + 2}}`);
    for (const items of [powers, roots]) {
      const a = `\\{${items.join(",")}\\}`;
      assert.equal(equivalent(a, `\\{${[...items].reverse().join(",")}\\}`).reason, "equal");
      const changed = [...items].reverse();
      changed[150] = items[0] === "x^{1}" ? "x^{5000}" : "\\sqrt{5000}";
      assert.equal(equivalent(a, `\\{${changed.join(",")}\\}`).reason, "different");
    }
  });
  it("gives the same verdict in a cold process as in a warm one", () => {
    const module = fileURLToPath(new URL("../../src/answers/index.js", import.meta.url));
    const script = `import(${JSON.stringify(module)}).then((m) => console.log(m.equivalent(process.argv[1], process.argv[2]).reason))`;
    const cold = execFileSync(process.execPath, ["-e", script, forward, reversed], { encoding: "utf8" }).trim();
    assert.equal(cold, "equal");
  });
  it("runs out at the same point on every call: a tight budget is a timeout each time", () => {
    const big = Array.from({ length: 60 }, (_, k) => `(x+${k})^{2}`).join("+");
    const other = Array.from({ length: 60 }, (_, k) => `(x+${k + 1})^{2}`).join("+");
    const verdicts = new Set(Array.from({ length: 5 }, () => equivalent(big, other, { timeoutMs: 0.05 }).reason));
    assert.deepEqual([...verdicts], ["timeout"]);
    assert.equal(equivalent(big, other).reason, "different");
  });
});
