/**
 * Corpus suite: equivalence is reflexive and symmetric on the reference answers of every
 * shared set (the same properties run on the project's own answers in test/answers).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { equivalent, extractAnswer } from "../src/answers/index.js";
import { referenceAnswer } from "../src/datasets/index.js";
import { ALL_SETS, loadRows } from "./data.js";
import { assertSymmetric } from "../test/answers/symmetry.js";

let cached: string[] | undefined;
/** The distinct references of every shared set (read on first use, so a missing folder fails each test with its message). */
function referenceCorpus(): string[] {
  if (cached) return cached;
  const seen = new Set<string>();
  for (const name of ALL_SETS) for (const row of loadRows(name)) seen.add(referenceAnswer(name, row));
  seen.delete("");
  cached = [...seen];
  return cached;
}

describe("properties on the reference corpus", () => {
  const corpus = (): string[] => referenceCorpus();
  it("has a large corpus", () => assert.ok(corpus().length > 4000, `${corpus().length} distinct references`));

  it("is reflexive: every reference equals itself, and its boxed form", () => {
    for (const a of corpus()) {
      assert.deepEqual(equivalent(a, a), { equivalent: true, reason: "equal" }, a);
      const boxed = extractAnswer(`The answer is therefore $\\boxed{${a}}$.`);
      assert.ok(boxed !== null, a);
      assert.equal(equivalent(boxed, a).equivalent, true, `${JSON.stringify(a)} boxed and extracted as ${JSON.stringify(boxed)}`);
    }
  });

  it("is symmetric on random pairs of references, and on near neighbours", () => {
    assertSymmetric(corpus(), 4000);
  });
});

