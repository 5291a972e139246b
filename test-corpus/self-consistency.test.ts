/**
 * Evidence for extraction and equivalence together: on every benchmark set that carries a
 * worked solution next to its final answer, the answer extracted from the solution must
 * be judged equivalent to the reference. Misses are listed, with reasons, in
 * test/fixtures/answers/accepted-misses.json. (Corpus suite: reads the real sets.)
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { equivalent, extractAnswer } from "../src/answers/index.js";
import { answerStyleOf, referenceAnswer, workedSolution } from "../src/datasets/index.js";
import { repoRoot } from "../test/helpers.js";
import { loadRows } from "./data.js";

interface Miss {
  index: number;
  extracted: string | null;
  reference: string;
  reason: string;
}
interface Fixture {
  sets: Record<string, { target: number; misses: Miss[] }>;
}

const fixture = JSON.parse(fs.readFileSync(path.join(repoRoot, "test", "fixtures", "answers", "accepted-misses.json"), "utf8")) as Fixture;

describe("dataset self-consistency", () => {
  for (const [name, spec] of Object.entries(fixture.sets)) {
    it(`${name}: the answer extracted from each solution equals the reference`, () => {
      const rows = loadRows(name);
      let graded = 0;
      const misses: Miss[] = [];
      rows.forEach((row, index) => {
        const solution = workedSolution(name, row);
        assert.ok(solution !== null, `${name} row ${index} has a worked solution`);
        const reference = referenceAnswer(name, row);
        const extracted = extractAnswer(solution, { answerStyle: answerStyleOf(name) });
        const verdict = equivalent(extracted ?? "", reference);
        graded++;
        if (!verdict.equivalent) misses.push({ index, extracted, reference, reason: verdict.reason });
      });
      const accepted = new Map(spec.misses.map((m) => [m.index, m]));
      for (const m of misses) {
        const listed = accepted.get(m.index);
        assert.ok(listed, `${name} row ${m.index}: extracted ${JSON.stringify(m.extracted)} is not equivalent to ${JSON.stringify(m.reference)} (${m.reason}) and is not an accepted miss`);
        assert.equal(listed.extracted, m.extracted, `${name} row ${m.index}: the accepted miss was for a different extraction`);
        assert.ok(listed.reason.length > 20, `${name} row ${m.index}: the fixture gives a reason`);
      }
      const missed = new Set(misses.map((m) => m.index));
      for (const listed of spec.misses) assert.ok(missed.has(listed.index), `${name} row ${listed.index} is listed as a miss but now agrees: remove it from the fixture`);
      const rate = (100 * (graded - misses.length)) / graded;
      assert.ok(rate >= spec.target, `${name}: ${rate.toFixed(2)}% agree, target ${spec.target}%`);
    });
  }
});
