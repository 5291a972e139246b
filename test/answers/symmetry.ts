/** The symmetry property of equivalence over a list of references, shared by the unit suite and the corpus suite. */
import assert from "node:assert/strict";
import { equivalent } from "../../src/answers/index.js";
import { prng } from "../../src/answers/compare.js";

/**
 * Checks equivalent(a, b) === equivalent(b, a) on `randomPairs` random pairs and on every pair
 * of neighbours in sorted order (they share prefixes: 1/2 vs 1/3, x+1 vs x+2), and that
 * distinct references are mostly judged different.
 */
export function assertSymmetric(references: readonly string[], randomPairs: number): void {
  const rand = prng(20240611);
  const sorted = [...references].sort();
  const pairs: [string, string][] = [];
  for (let k = 0; k < randomPairs; k++) pairs.push([references[Math.floor(rand() * references.length)]!, references[Math.floor(rand() * references.length)]!]);
  for (let k = 0; k + 1 < sorted.length; k++) pairs.push([sorted[k]!, sorted[k + 1]!]);
  let equalPairs = 0;
  for (const [a, b] of pairs) {
    const ab = equivalent(a, b);
    const ba = equivalent(b, a);
    assert.equal(ab.equivalent, ba.equivalent, `asymmetric: ${JSON.stringify(a)} vs ${JSON.stringify(b)}: ${ab.reason} / ${ba.reason}`);
    if (ab.equivalent) equalPairs++;
  }
  assert.ok(equalPairs < pairs.length * 0.05, `${equalPairs} of ${pairs.length} distinct pairs judged equal`);
}
