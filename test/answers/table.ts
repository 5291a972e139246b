/** Checks rows [prediction, reference, expected reason] in both directions (a verdict must not depend on argument order). */
import assert from "node:assert/strict";
import { equivalent, type EquivalenceOptions, type EquivalenceReason } from "../../src/answers/index.js";

export type ReasonRow = [string, string, EquivalenceReason];

export function checkReasons(rows: ReasonRow[], options: EquivalenceOptions = {}): void {
  for (const [pred, gold, want] of rows) {
    for (const [a, b] of [[pred, gold], [gold, pred]] as const) {
      const r = equivalent(a, b, options);
      assert.equal(r.reason, want, `equivalent(${JSON.stringify(a)}, ${JSON.stringify(b)}${Object.keys(options).length ? `, ${JSON.stringify(options)}` : ""}) = ${r.reason}, expected ${want}`);
      assert.equal(r.equivalent, want === "equal");
    }
  }
}
