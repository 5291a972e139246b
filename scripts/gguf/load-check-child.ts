/**
 * Child-process half of the load check: loads a GGUF with node-llama-cpp (CPU, no mmap),
 * tokenizes a ChatML prompt with special tokens, generates greedily and prints one result
 * line. Runs in its own process because llama.cpp aborts instead of throwing on some
 * malformed files.
 *
 * Usage: node load-check-child.js MODEL_PATH THREADS MAX_TOKENS
 */
import { LlamaLogLevel, getLlama, type Token } from "node-llama-cpp";
import { CHECK_PROMPT, RESULT_PREFIX, type LoadCheckReport } from "./check-model.js";

async function main(): Promise<void> {
  const [modelPath, threadsArg = "1", maxTokensArg = "10"] = process.argv.slice(2);
  if (!modelPath) throw new Error("usage: load-check-child MODEL_PATH THREADS MAX_TOKENS");
  const threads = Number(threadsArg);
  const maxTokens = Number(maxTokensArg);

  const started = performance.now();
  const llama = await getLlama({ build: "never", gpu: false, maxThreads: threads, logLevel: LlamaLogLevel.error });
  try {
    const model = await llama.loadModel({ modelPath, useMmap: false, gpuLayers: 0 });
    const context = await model.createContext({ contextSize: 512, threads, sequences: 1 });
    const loadSeconds = (performance.now() - started) / 1000;
    const sequence = context.getSequence();

    const prompt = model.tokenize(CHECK_PROMPT, true);
    const [imStart] = model.tokenize("<|im_start|>", true);
    const [imEnd] = model.tokenize("<|im_end|>", true);
    const specialTokensParsed =
      imStart !== undefined &&
      imEnd !== undefined &&
      prompt.filter((t) => t === imStart).length === 3 &&
      prompt.filter((t) => t === imEnd).length === 2;

    const generated: Token[] = [];
    let finite = true;
    const promptStart = performance.now();
    let firstTokenAt = 0;
    const evaluation = sequence.evaluateWithMetadata(prompt, { confidence: true }, { temperature: 0 });
    for await (const { token, confidence } of evaluation) {
      if (generated.length === 0) firstTokenAt = performance.now();
      generated.push(token);
      if (!Number.isFinite(confidence)) finite = false;
      if (generated.length >= maxTokens || model.isEogToken(token)) break;
    }
    const decodeSeconds = (performance.now() - firstTokenAt) / 1000;

    const report: LoadCheckReport = {
      promptTokens: prompt.length,
      specialTokensParsed,
      generated,
      text: model.detokenize(generated),
      finite,
      loadSeconds,
      promptSeconds: (firstTokenAt - promptStart) / 1000,
      tokensPerSecond: generated.length > 1 && decodeSeconds > 0 ? (generated.length - 1) / decodeSeconds : 0,
    };
    process.stdout.write(RESULT_PREFIX + JSON.stringify(report) + "\n");
    await context.dispose();
    await model.dispose();
  } finally {
    await llama.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
