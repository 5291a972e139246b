/** Corpus suite: every row of every shared set has a reference (the known empty ones aside). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { referenceAnswer } from "../src/datasets/index.js";
import { ALL_SETS, loadRows } from "./data.js";

/** Rows whose reference field is empty in the data itself (gaokao2023en 167 and 192 put the answer inside the question text). */
const KNOWN_EMPTY: Record<string, number[]> = { gaokao2023en: [167, 192] };

describe("referenceAnswer on the shared sets", () => {
  for (const name of ALL_SETS) {
    it(`${name}: every row has a non-empty reference`, () => {
      const rows = loadRows(name);
      assert.ok(rows.length > 0);
      const empty: number[] = [];
      for (const [i, row] of rows.entries()) {
        const ref = referenceAnswer(name, row);
        assert.equal(typeof ref, "string");
        if (ref.trim().length === 0) empty.push(i);
      }
      assert.deepEqual(empty, KNOWN_EMPTY[name] ?? [], `${name}: rows with an empty reference`);
    });
  }
});
