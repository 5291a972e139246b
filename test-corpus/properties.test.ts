/**
 * Corpus suite: equivalence is reflexive and symmetric on the reference answers of every
 * shared set (the same properties run on the project's own answers in test/answers).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { equivalent, extractAnswer } from "../src/answers/index.js";
import { prng } from "../src/answers/compare.js";
import { referenceAnswer } from "../src/datasets/index.js";
import { ALL_SETS, loadRows } from "./data.js";

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
    const rand = prng(20240611);
    const all = corpus();
    const sorted = [...all].sort();
    const pairs: [string, string][] = [];
    for (let k = 0; k < 4000; k++) pairs.push([all[Math.floor(rand() * all.length)]!, all[Math.floor(rand() * all.length)]!]);
    // neighbours in sorted order share prefixes: the hard cases (1/2 vs 1/3, x+1 vs x+2)
    for (let k = 0; k + 1 < sorted.length; k++) pairs.push([sorted[k]!, sorted[k + 1]!]);
    let equalPairs = 0;
    for (const [a, b] of pairs) {
      const ab = equivalent(a, b);
      const ba = equivalent(b, a);
      assert.equal(ab.equivalent, ba.equivalent, `asymmetric: ${JSON.stringify(a)} vs ${JSON.stringify(b)}: ${ab.reason} / ${ba.reason}`);
      if (ab.equivalent) equalPairs++;
    }
    // sanity: distinct references are mostly different
    assert.ok(equalPairs < pairs.length * 0.05, `${equalPairs} of ${pairs.length} distinct pairs judged equal`);
  });
});

