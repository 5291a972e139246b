/** The worker thread of the server's math pool: runs grading, extraction and rule-reward tasks. */
import { runMathTask, type MathTask } from "./math-tasks.js";
import { serveTasks } from "./worker-pool.js";

serveTasks((task: MathTask) => runMathTask(task));
