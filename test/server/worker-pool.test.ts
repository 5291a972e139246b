/**
 * The worker pool on real threads: a worker that exits, throws outside its task, loops
 * forever or backtracks without end is terminated and replaced, its task is rejected, and
 * the tasks after it run; a task that only fails is that task's error.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MathTask } from "../../src/server/math-tasks.js";
import { WorkerFailure, WorkerPool } from "../../src/server/worker-pool.js";

const script = new URL(`./faulty-math-worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);
const grade = (pred: string): MathTask => ({ kind: "grade", pairs: [{ pred, gold: "1/2" }] });
const EQUAL = [{ equivalent: true, reason: "equal" }];

async function rejection(p: Promise<unknown>): Promise<WorkerFailure> {
  const e = await p.then(
    () => assert.fail("the task should have failed"),
    (e: unknown) => e,
  );
  assert.ok(e instanceof WorkerFailure, `not a WorkerFailure: ${String(e)}`);
  return e;
}

describe("worker pool", () => {
  it("replaces a worker that exits, and runs the tasks queued behind it", async () => {
    const pool = new WorkerPool<MathTask, unknown>(script, 1);
    try {
      assert.deepEqual(await pool.run(grade("0.5"), 10_000), EQUAL);
      const dying = pool.run(grade("exit"), 10_000);
      const queued = pool.run(grade("0.5"), 10_000);
      const e = await rejection(dying);
      assert.equal(e.reason, "crashed");
      assert.match(e.message, /exit code 3/);
      assert.deepEqual(await queued, EQUAL);
      assert.deepEqual(pool.stats, { workers: 1, busy: 0, queued: 0, replaced: 1 });
    } finally {
      await pool.close();
    }
  });

  it("replaces a worker that throws outside its task", async () => {
    const pool = new WorkerPool<MathTask, unknown>(script, 1);
    try {
      // The task answers; the error thrown after it kills the thread a moment later. Tasks sent
      // meanwhile are answered, or fail naming the error if the thread dies while they are in it.
      const outcomes = [await pool.run(grade("throw"), 10_000).catch((e: unknown) => e)];
      for (let i = 0; i < 100 && pool.stats.replaced === 0; i++) {
        outcomes.push(await pool.run(grade("0.5"), 10_000).catch((e: unknown) => e));
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(pool.stats.replaced, 1);
      for (const o of outcomes.slice(1)) {
        if (o instanceof WorkerFailure) assert.match(o.message, /The worker thread stopped \(thrown outside any task\)/);
        else assert.deepEqual(o, EQUAL);
      }
      assert.deepEqual(await pool.run(grade("0.5"), 10_000), EQUAL);
    } finally {
      await pool.close();
    }
  });

  for (const hang of ["spin", "backtrack"]) {
    it(`terminates a worker that does not answer in time (${hang}) and replaces it`, async () => {
      const pool = new WorkerPool<MathTask, unknown>(script, 1);
      try {
        const started = performance.now();
        const e = await rejection(pool.run(grade(hang), 300));
        const took = performance.now() - started;
        assert.equal(e.reason, "timeout");
        assert.match(e.message, /did not finish its task within 300 ms/);
        assert.ok(took >= 290 && took < 5000, `rejected after ${took.toFixed(0)} ms`);
        assert.deepEqual(await pool.run(grade("0.5"), 10_000), EQUAL);
        assert.equal(pool.stats.replaced, 1);
      } finally {
        await pool.close();
      }
    });
  }

  it("keeps a worker whose task only failed", async () => {
    const pool = new WorkerPool<MathTask, unknown>(script, 1);
    try {
      await assert.rejects(pool.run(grade("fail"), 10_000), (e: Error) => !(e instanceof WorkerFailure) && /this task failed/.test(e.message));
      assert.deepEqual(await pool.run(grade("0.5"), 10_000), EQUAL);
      assert.equal(pool.stats.replaced, 0);
    } finally {
      await pool.close();
    }
  });

  it("runs tasks on up to `size` workers at once, and refuses work once closed", async () => {
    const pool = new WorkerPool<MathTask, unknown>(script, 2);
    const results = await Promise.all(Array.from({ length: 6 }, () => pool.run(grade("0.5"), 10_000)));
    assert.deepEqual(results, Array(6).fill(EQUAL));
    assert.equal(pool.stats.workers, 2);
    const waiting = rejection(pool.run(grade("spin"), 60_000));
    await pool.close();
    assert.equal((await waiting).reason, "closed");
    assert.equal((await rejection(pool.run(grade("0.5"), 1000))).reason, "closed");
    assert.equal(pool.stats.workers, 0);
  });
});
