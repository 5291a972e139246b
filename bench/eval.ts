/**
 * npm run bench:eval — speed of scoring recorded outputs (qmath eval --from-outputs): a
 * synthetic math_eval.py outputs file of 1,250 problems x 8 responses (CoT text ending in
 * \boxed{...}; integer, fraction and expression answers; some wrong, some right but written
 * differently; reward scores in pred_score) is scored with scoreOutputs, k = 8. Baselines
 * measured in the same run: reading and JSON-parsing the file, and that plus answer
 * extraction alone. Median of BENCH_PASSES passes (default 5) after one warm-up pass, and
 * the first (cold) call of the process, which is what one CLI run pays.
 * Single-threaded; run it on an otherwise idle core. Target: over 5,000 samples/s.
 *
 * The timing pieces are exported (timePasses, benchTable, BenchRow) so another row can be
 * added by whoever runs a model, e.g. the share of an eval's wall time that is not generation.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { execFileSync } from "node:child_process";
import { createEmbeddedEngine } from "../src/engine/embedded/llama-engine.js";
import { runEval } from "../src/eval/runner.js";
import { packageRoot } from "../src/config.js";
import { extractAnswer } from "../src/answers/index.js";
import { prng as rng } from "../src/answers/compare.js";
import { scoreOutputs } from "../src/eval/from-outputs.js";

export interface BenchRow {
  /** What was timed. */
  method: string;
  /** Samples (responses) handled per pass. */
  samples: number;
  /** Milliseconds per pass, one entry per pass. */
  passesMs: number[];
}

/** Runs fn once to warm up, then `passes` times; milliseconds of each timed pass. */
export async function timePasses(fn: () => unknown, passes: number): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < passes; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Markdown table: samples/s and median ms per pass, and each row's time relative to the first row. */
export function benchTable(rows: readonly BenchRow[]): string {
  const base = rows.length > 0 ? median(rows[0]!.passesMs) : 1;
  const out = ["| method | samples | median ms | samples/s | time vs first row |", "| --- | ---: | ---: | ---: | ---: |"];
  for (const r of rows) {
    const ms = median(r.passesMs);
    out.push(`| ${r.method} | ${r.samples.toLocaleString("en-US")} | ${ms.toFixed(1)} | ${Math.round(r.samples / (ms / 1000)).toLocaleString("en-US")} | ${(ms / base).toFixed(2)}x |`);
  }
  return out.join("\n");
}

interface Problem {
  question: string;
  gold: string;
  /** Correct answers written differently from the reference. */
  variants: string[];
  /** Wrong answers. */
  wrong: string[];
  level: string;
  type: string;
}

const TYPES = ["Algebra", "Counting & Probability", "Geometry", "Intermediate Algebra", "Number Theory", "Prealgebra", "Precalculus"];

function makeProblem(i: number, r: () => number): Problem {
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const level = `Level ${int(1, 5)}`;
  const type = TYPES[int(0, TYPES.length - 1)]!;
  const kind = i % 3;
  if (kind === 0) {
    const a = int(2, 90);
    const b = int(2, 90);
    const v = a * b;
    return { question: `A store sells ${a} boxes with ${b} pencils each. How many pencils does it sell?`, gold: String(v), variants: [`${v}.0`, `${v} \\text{ pencils}`, `${v.toLocaleString("en-US")}`], wrong: [String(v + a), String(v - b), String(a + b)], level, type };
  }
  if (kind === 1) {
    let p = int(1, 12);
    let q = int(p + 1, 24);
    const g = gcd(p, q);
    p /= g;
    q /= g;
    const decimal = Number.isInteger((p / q) * 1000) ? String(p / q) : null;
    const variants = [`\\dfrac{${p}}{${q}}`, `${p}/${q}`, `\\frac{${2 * p}}{${2 * q}}`];
    if (decimal) variants.push(decimal);
    return { question: `What fraction of a ${q}-slice pizza is ${p} slice${p === 1 ? "" : "s"}?`, gold: `\\frac{${p}}{${q}}`, variants, wrong: [`\\frac{${q}}{${p}}`, `\\frac{${p + 1}}{${q}}`, `\\frac{${p}}{${q + p}}`], level, type };
  }
  const a = int(2, 9);
  const b = int(1, 9);
  return {
    question: `Expand $(x+${b})(${a}x-${b})$.`,
    gold: `${a}x^2+${a * b - b}x-${b * b}`,
    variants: [`${a}x^{2} + ${a * b - b}x - ${b * b}`, `-${b * b}+${a * b - b}x+${a}x^2`, `(x+${b})(${a}x-${b})`],
    wrong: [`${a}x^2+${a * b + b}x-${b * b}`, `${a}x^2-${b * b}`, `${a}x^2+${a * b - b}x+${b * b}`],
    level,
    type,
  };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

const FILLER = [
  "First, let us restate the problem in our own words and identify what is being asked.",
  "We organise the given quantities and write down the relation between them.",
  "Substituting the known values, we simplify step by step: $2 \\cdot 3 + 4 = 10$ and $\\frac{10}{2} = 5$.",
  "Let $n$ be the unknown. Then $3n - 7 = 2n + 5$, so $n = 12$ in this intermediate step.",
  "We double-check the arithmetic: $(a+b)^2 = a^2 + 2ab + b^2$ applies here with the values above.",
  "Grouping like terms and cancelling common factors gives a simpler expression.",
  "Note that the constraint $0 < x < 10$ rules out the negative root.",
  "Adding the partial results together, we obtain the total for each case.",
];

function response(p: Problem, answer: string, r: () => number): string {
  const steps: string[] = [];
  const n = 5 + Math.floor(r() * 8);
  for (let s = 0; s < n; s++) steps.push(`Step ${s + 1}: ${FILLER[Math.floor(r() * FILLER.length)]}`);
  const lead = r() < 0.5 ? "Therefore, the final answer is" : "So the answer is";
  return `We are asked: ${p.question} To solve this, we reason carefully.\n\n${steps.join("\n\n")}\n\n${lead} $\\boxed{${answer}}$.`;
}

/** Writes a math_eval.py-style outputs file; returns the number of responses and the file size. */
export function writeSyntheticOutputs(file: string, problems = 1250, perProblem = 8, seed = 7): { samples: number; bytes: number } {
  const r = rng(seed);
  const lines: string[] = [];
  for (let i = 0; i < problems; i++) {
    const p = makeProblem(i, r);
    const code: string[] = [];
    for (let j = 0; j < perProblem; j++) {
      const u = r();
      const answer = u < 0.6 ? p.gold : u < 0.75 ? p.variants[Math.floor(r() * p.variants.length)]! : p.wrong[Math.floor(r() * p.wrong.length)]!;
      code.push(response(p, answer, r));
    }
    const pred_score = code.map(() => [Math.round(r() * 1e4) / 1e4]);
    lines.push(JSON.stringify({ idx: i, question: p.question, gt_cot: "", gt: p.gold, level: p.level, type: p.type, code, pred: [], report: code.map(() => null), score: code.map(() => true), pred_score }));
  }
  const text = lines.join("\n") + "\n";
  fs.writeFileSync(file, text);
  return { samples: problems * perProblem, bytes: Buffer.byteLength(text) };
}

/**
 * The share of an evaluation's wall time that is not model generation: a run of the tiny
 * test model over a few problems, one problem at a time (loading the model not counted).
 */
async function harnessShare(dir: string): Promise<string> {
  const root = packageRoot();
  const modelPath = path.join(root, "test", "fixtures", "models", "tiny-qwen2.gguf");
  execFileSync(process.execPath, [path.join(root, "dist", "scripts", "make-test-model.js"), "--out", modelPath, "--shape", "tiny", "--if-missing"]);
  const engine = await createEmbeddedEngine({ modelPath, threads: 2, maxParallel: 8, gpu: false });
  try {
    const rows = 12;
    const data = path.join(dir, "problems.jsonl");
    fs.writeFileSync(data, Array.from({ length: rows }, (_, i) => JSON.stringify({ q: `What is ${i} + ${i}?`, a: String(2 * i) })).join("\n") + "\n");
    const result = await runEval(engine, { data: [data], questionField: "q", answerField: "a", out: path.join(dir, "run"), n: 8, sampling: { temperature: 0.7, maxTokens: 32 }, concurrency: 1 });
    const share = 1 - result.generateMs / result.wallMs;
    return (
      `tiny-model run (${rows} problems x 8 samples, 32 tokens each, one problem at a time): wall ${result.wallMs.toFixed(0)} ms, ` +
      `generation ${result.generateMs.toFixed(0)} ms, not generation ${(share * 100).toFixed(1)}% ` +
      "(prompt evaluation, extraction, grading, voting, writing results)"
    );
  } finally {
    await engine.close();
  }
}

async function main(): Promise<void> {
  const passes = Number(process.env.BENCH_PASSES ?? 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qmath-bench-eval-"));
  try {
    const file = path.join(dir, "math", "test_cot_-1_seed0_t0.7_s0_e-1.jsonl");
    fs.mkdirSync(path.dirname(file));
    const { samples, bytes } = writeSyntheticOutputs(file);

    // first call in a fresh process, as `qmath eval --from-outputs` runs it (JIT not warm)
    const c0 = performance.now();
    await scoreOutputs(file, { k: 8 });
    const coldMs = performance.now() - c0;

    const readParse = await timePasses(async () => {
      const text = await fs.promises.readFile(file, "utf8");
      for (const line of text.split("\n")) if (line) JSON.parse(line);
    }, passes);
    const extractOnly = await timePasses(async () => {
      const text = await fs.promises.readFile(file, "utf8");
      for (const line of text.split("\n")) {
        if (!line) continue;
        const row = JSON.parse(line) as { code: string[] };
        for (const c of row.code) extractAnswer(c, { answerStyle: "math" });
      }
    }, passes);
    let result: Awaited<ReturnType<typeof scoreOutputs>> | null = null;
    const full = await timePasses(async () => {
      result = await scoreOutputs(file, { k: 8 });
    }, passes);

    const rows: BenchRow[] = [
      { method: "baseline: read + JSON.parse", samples, passesMs: readParse },
      { method: "baseline: read + JSON.parse + extractAnswer", samples, passesMs: extractOnly },
      { method: "scoreOutputs (extract, grade, maj@8, rm@8, pass@k, summary)", samples, passesMs: full },
    ];
    const r = result as unknown as Awaited<ReturnType<typeof scoreOutputs>>;
    const out: string[] = [];
    out.push(`qmath eval --from-outputs benchmark: ${samples.toLocaleString("en-US")} samples (1,250 problems x 8), ${(bytes / 1e6).toFixed(1)} MB, ${passes} passes, node ${process.version}`);
    out.push("");
    out.push(benchTable(rows));
    out.push("");
    const rate = samples / (median(full) / 1000);
    out.push(`scoreOutputs: ${Math.round(rate).toLocaleString("en-US")} samples/s (target > 5,000): ${rate > 5000 ? "met" : "NOT met"}`);
    out.push(`first call in a fresh process (cold): ${coldMs.toFixed(0)} ms = ${Math.round(samples / (coldMs / 1000)).toLocaleString("en-US")} samples/s`);
    out.push(`scored: ${Object.entries(r.metrics).map(([key, v]) => `${key} ${v.toFixed(1)}`).join(", ")}; ${r.errors.length} bad lines`);
    out.push("");
    out.push(await harnessShare(dir));
    process.stdout.write(out.join("\n") + "\n");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
