/**
 * npm run bench:engine — the embedded engine against node-llama-cpp used directly, on a
 * random-weight model with the real Qwen2.5-Math-1.5B shape and the real Qwen2.5 vocabulary
 * (Q8_0), both measured in the same run with the same threads and settings.
 *
 * Prints: prompt tokens/s; decode tokens/s for one sample and aggregated over 8 samples, and
 * for one sample with log-probabilities (the chosen token's, then with 5 alternatives, against
 * qmath without them);
 * and the prompt cost of 8 samples against 1 (qmath evaluates a prompt once and copies its
 * KV cache; the baseline for that row evaluates the prompt on each of 8 sequences).
 *
 * The baseline and qmath runs alternate (both models stay loaded), so drift in the machine's
 * speed affects both alike; every number is the median over the runs.
 *
 * Flags: --model FILE (default: generate bench/out/qwen2.5-math-1.5b-shape-qwen25-vocab-q8_0.gguf),
 * --threads N (default 2), --decode N tokens per sample for N=1 (default 96; N=8 decodes a
 * third of that per sample), --runs N (default 5).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { getLlama, LlamaLogLevel, type LlamaContextSequence, type LlamaModel } from "node-llama-cpp";
import { packageRoot } from "../src/config.js";
import { createEmbeddedEngine } from "../src/engine/embedded/llama-engine.js";
import { promptText, type Engine, type PromptPart } from "../src/engine/types.js";
import { chatMLPrompt } from "../src/prompts/chatml.js";
import { COT_SYSTEM_PROMPT } from "../src/prompts/formats.js";

const root = packageRoot();

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    threads: { type: "string", default: "2" },
    decode: { type: "string", default: "96" },
    runs: { type: "string", default: "5" },
  },
});
const threads = Number(values.threads);
const decodeTokens = Number(values.decode);
const runs = Number(values.runs);
const PARALLEL = 8;

function ensureModel(): string {
  if (values.model) return values.model;
  const path = join(root, "bench", "out", "qwen2.5-math-1.5b-shape-qwen25-vocab-q8_0.gguf");
  mkdirSync(dirname(path), { recursive: true });
  if (!existsSync(path)) process.stderr.write("writing the 1.5B-shaped random-weight model (about 1.8 GB)...\n");
  const args = ["--out", path, "--shape", "1.5b", "--vocab", "qwen2.5", "--if-missing"];
  execFileSync(process.execPath, [join(root, "dist", "scripts", "make-test-model.js"), ...args], { stdio: "inherit" });
  return path;
}

/** A realistic math prompt, as solve() renders it; `run` varies its first line so no run reuses another's cached prefix. */
function promptFor(run: number): PromptPart[] {
  const problem =
    `Problem ${run}. Let $f(x) = x^3 - 6x^2 + 11x - 6$. Find all real numbers $x$ such that $f(x) = 0$, ` +
    "then compute the sum of the squares of these roots. Next, consider the sequence defined by $a_1 = 1$ and " +
    "$a_{n+1} = a_n + 2n + 1$ for $n \\ge 1$; find a closed form for $a_n$ and evaluate $a_{20}$. Finally, a bag holds " +
    "5 red, 4 blue and 3 green marbles; three marbles are drawn without replacement. What is the probability that all " +
    "three have different colors? Express every answer in simplest form and justify each step carefully.";
  return chatMLPrompt([
    { role: "system", content: `${COT_SYSTEM_PROMPT} (run ${run})` },
    { role: "user", content: problem },
  ]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Measure {
  promptTokens: number;
  promptMs: number;
  decodeTokensPerSecond: number;
}

/** node-llama-cpp used directly: one sequence, prompt evaluated, then greedy decoding. */
async function directOnce(model: LlamaModel, seq: LlamaContextSequence, run: number, decodeTokens: number): Promise<Measure> {
  await seq.clearHistory();
  // Raw text, special tokens parsed: the same tokens as qmath's parts for this prompt.
  const tokens = model.tokenize(promptText(promptFor(run)), true);
  let t = performance.now();
  await seq.evaluateWithoutGeneratingNewTokens(tokens.slice(0, -1));
  const promptMs = performance.now() - t;
  t = performance.now();
  let n = 0;
  for await (const _token of seq.evaluate(tokens.slice(-1), { temperature: 0 })) if (++n >= decodeTokens) break;
  return { promptTokens: tokens.length, promptMs, decodeTokensPerSecond: (n * 1000) / (performance.now() - t) };
}

/** The baseline for prompt sharing: the prompt evaluated on each of 8 sequences (batched by node-llama-cpp). */
async function directEightPrompts(seqs: LlamaContextSequence[], model: LlamaModel, run: number): Promise<number> {
  await Promise.all(seqs.map((s) => s.clearHistory()));
  const tokens = model.tokenize(promptText(promptFor(run)), true).slice(0, -1);
  const t = performance.now();
  await Promise.all(seqs.map((s) => s.evaluateWithoutGeneratingNewTokens(tokens)));
  return performance.now() - t;
}

/** qmath's engine: open n samples (prompt evaluated once), decode each to the token budget. */
async function qmathOnce(
  engine: Engine,
  n: number,
  run: number,
  decodeTokens: number,
  logprobs?: number,
): Promise<{ promptMs: number; aggregateTokensPerSecond: number; promptTokens: number }> {
  const t0 = performance.now();
  const samples = await engine.open({ prompt: promptFor(run), n, maxTokens: decodeTokens, temperature: 0, stop: [], logprobs });
  const promptMs = performance.now() - t0;
  const t1 = performance.now();
  const segments = await Promise.all(samples.map((s) => s.generate()));
  const ms = performance.now() - t1;
  const generated = segments.reduce((a, s) => a + s.tokens, 0);
  const promptTokens = samples[0]!.usage.promptTokens;
  await Promise.all(samples.map((s) => s.close()));
  return { promptMs, aggregateTokensPerSecond: (generated * 1000) / ms, promptTokens };
}

async function main(): Promise<void> {
  const modelPath = ensureModel();
  process.stderr.write(`model ${modelPath}, ${threads} threads, mmap off, ${decodeTokens} decoded tokens, median of ${runs} runs\n`);

  const llama = await getLlama({ build: "never", gpu: false, maxThreads: threads, logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath, useMmap: false });
  const context = await model.createContext({ contextSize: 4096, sequences: PARALLEL, threads });
  const seqs = Array.from({ length: PARALLEL }, () => context.getSequence());
  const engine = await createEmbeddedEngine({ modelPath, threads, maxParallel: PARALLEL, gpu: false, useMmap: false });
  const eightDecode = Math.max(8, Math.round(decodeTokens / 3));

  await directOnce(model, seqs[0]!, 100, 8); // warm-up
  await qmathOnce(engine, 1, 200, 8);
  const direct: Measure[] = [];
  const one: Awaited<ReturnType<typeof qmathOnce>>[] = [];
  const eight: Awaited<ReturnType<typeof qmathOnce>>[] = [];
  const withLogprobs: Awaited<ReturnType<typeof qmathOnce>>[] = [];
  const withTop: Awaited<ReturnType<typeof qmathOnce>>[] = [];
  for (let r = 0; r < runs; r++) {
    direct.push(await directOnce(model, seqs[0]!, r, decodeTokens));
    one.push(await qmathOnce(engine, 1, 300 + r, decodeTokens));
    eight.push(await qmathOnce(engine, PARALLEL, 400 + r, eightDecode));
    withLogprobs.push(await qmathOnce(engine, 1, 300 + r, decodeTokens, 0));
    withTop.push(await qmathOnce(engine, 1, 300 + r, decodeTokens, 5));
    process.stderr.write(`run ${r + 1}/${runs} done\n`);
  }
  // The prompt-sharing baseline is slow (8 full evaluations); one run is enough to show the scale.
  const directEight = [await directEightPrompts(seqs, model, 50)];
  await engine.close();
  await context.dispose();
  await model.dispose();
  await llama.dispose();

  const P = direct[0]!.promptTokens;
  const directPromptTps = median(direct.map((d) => ((d.promptTokens - 1) * 1000) / d.promptMs));
  const qmathPromptTps = median(one.map((o) => ((o.promptTokens - 1) * 1000) / o.promptMs));
  const directDecode = median(direct.map((d) => d.decodeTokensPerSecond));
  const qmathDecode1 = median(one.map((o) => o.aggregateTokensPerSecond));
  const qmathDecode8 = median(eight.map((o) => o.aggregateTokensPerSecond));
  const logprobsDecode = median(withLogprobs.map((o) => o.aggregateTokensPerSecond));
  const topDecode = median(withTop.map((o) => o.aggregateTokensPerSecond));
  const prompt1 = median(one.map((o) => o.promptMs));
  const prompt8 = median(eight.map((o) => o.promptMs));
  const prompt8Direct = median(directEight);
  const directPrompt1 = median(direct.map((d) => d.promptMs));

  const f = (x: number, d = 1) => x.toFixed(d);
  const rows: string[][] = [
    ["measure", "baseline (node-llama-cpp direct)", "qmath", "ratio", "target"],
    [`prompt tokens/s (${P}-token prompt)`, f(directPromptTps), f(qmathPromptTps), f(qmathPromptTps / directPromptTps, 2), "-"],
    ["decode tokens/s, N=1", f(directDecode), f(qmathDecode1), f(qmathDecode1 / directDecode, 2), ">= 0.95"],
    [`decode tokens/s, N=${PARALLEL} aggregate`, `${f(qmathDecode1)} (qmath N=1)`, f(qmathDecode8), f(qmathDecode8 / qmathDecode1, 2), ">= 1.0 vs N=1"],
    ["decode tokens/s, N=1, logprobs (chosen token)", `${f(qmathDecode1)} (qmath N=1)`, f(logprobsDecode), f(logprobsDecode / qmathDecode1, 2), "-"],
    ["decode tokens/s, N=1, logprobs + 5 alternatives", `${f(qmathDecode1)} (qmath N=1)`, f(topDecode), f(topDecode / qmathDecode1, 2), "-"],
    [`prompt ms, N=1`, f(directPrompt1, 0), f(prompt1, 0), f(prompt1 / directPrompt1, 2), "-"],
    [`prompt ms, N=${PARALLEL} (baseline: ${PARALLEL} evaluations)`, f(prompt8Direct, 0), f(prompt8, 0), `${f(prompt8 / prompt1, 2)} x N=1`, "<= 1.2 x N=1"],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(" | ")} |`;
  process.stdout.write(
    [line(rows[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n") + "\n",
  );
}

await main();
