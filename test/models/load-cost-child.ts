/**
 * Child process of memory.test.ts: loads the model named on the command line (weights not
 * memory-mapped) and prints how much resident memory loading added, and the weights' size.
 * (node --test runs every file under dist/test/; without an argument this one does nothing.)
 */
import { readFileSync } from "node:fs";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))![1]) * 1024;
const modelPath = process.argv[2];
if (modelPath !== undefined) {
  const llama = await getLlama({ build: "never", gpu: false, maxThreads: 1, logLevel: LlamaLogLevel.error });
  const before = rss();
  const model = await llama.loadModel({ modelPath, useMmap: false });
  process.stdout.write(JSON.stringify({ grown: rss() - before, weights: model.size }));
  await model.dispose();
  await llama.dispose();
}
