/**
 * A math worker that fails on request, for the tests of what the server does when a worker
 * dies or hangs: a grade task with the prediction "exit" ends the thread, "throw" throws
 * outside the task, "spin" loops forever, "backtrack" runs a catastrophically backtracking
 * regular expression; "fail" throws inside the task. Everything else is the real worker's work.
 */
import { isMainThread } from "node:worker_threads";
import { runMathTask, type MathTask } from "../../src/server/math-tasks.js";
import { serveTasks } from "../../src/server/worker-pool.js";

// node --test runs every file under dist/test/, this one too: as a test file it does nothing.
if (!isMainThread) serveTasks((task: MathTask) => {
  const preds = task.kind === "grade" ? task.pairs.map((p) => p.pred) : [];
  if (preds.includes("exit")) process.exit(3);
  if (preds.includes("throw")) setImmediate(() => { throw new Error("thrown outside any task"); });
  if (preds.includes("spin")) for (;;);
  if (preds.includes("backtrack")) /^(a+)+$/.test(`${"a".repeat(64)}!`);
  if (preds.includes("fail")) throw new Error("this task failed");
  return runMathTask(task);
});
