/**
 * npm run bench:check — the step checker over the MATH-500 reference solutions (by default;
 * BENCH_SETS=math500,gsm8k,... for others): how many steps it cuts, how many it decides
 * (ok or error) and how many stay unchecked, its speed (steps per second, time per
 * solution), and every reference solution it flags, with the flagged step and the reason,
 * so that each flag can be inspected (a real error in the reference, or a checker bug to fix);
 * and planted slips: one number changed in each solution's first step decided ok, which must be
 * found at that step.
 * The baseline, measured in the same run, is what every checker run does first: cutting the
 * solution into statements (segment()), without reading or judging them. Single-threaded; run it
 * on an otherwise idle core.
 */
import fs from "node:fs";
import path from "node:path";
import { checkSolution, type CheckResult } from "../src/check/index.js";
import { segment } from "../src/check/segment.js";
import { userDataDir } from "../src/config.js";
import { datasetDescriptor, referenceAnswer, workedSolution } from "../src/datasets/index.js";

const SETS = (process.env.BENCH_SETS ?? "math500").split(",").filter(Boolean);
const PASSES = Number(process.env.BENCH_PASSES ?? 3);

interface Item {
  set: string;
  index: number;
  problem: string;
  solution: string;
  reference: string;
}

function datasetsDir(): string {
  const candidates = [userDataDir(), path.resolve(process.cwd(), "../shared/datasets")].filter((x): x is string => Boolean(x));
  for (const c of candidates) if (fs.existsSync(path.join(c, "math500", "test.jsonl"))) return c;
  throw new Error("benchmark data not found: run from the repository root with ../shared/datasets beside it, or set QMATH_DATA_DIR");
}

function load(): Item[] {
  const dir = datasetsDir();
  const items: Item[] = [];
  for (const set of SETS) {
    const d = datasetDescriptor(set);
    const rows = fs.readFileSync(path.join(dir, set, "test.jsonl"), "utf8").split("\n").filter((l) => l.trim());
    rows.forEach((line, index) => {
      const row = JSON.parse(line) as Record<string, unknown>;
      const solution = workedSolution(set, row);
      if (solution !== null) items.push({ set, index, problem: d.question(row), solution, reference: referenceAnswer(set, row) });
    });
  }
  return items;
}

function time<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
}

function main(): void {
  const items = load();
  const results: CheckResult[] = items.map((it) => checkSolution(it)); // warm-up, and the verdicts
  let checkMs = Infinity;
  let gradeMs = Infinity;
  for (let p = 0; p < PASSES; p++) {
    checkMs = Math.min(checkMs, time(() => items.forEach((it) => checkSolution(it)))[1]);
    gradeMs = Math.min(gradeMs, time(() => items.forEach((it) => segment(it.solution)))[1]);
  }
  const steps = results.flatMap((r) => r.steps);
  const count = (v: string) => steps.filter((s) => s.verdict === v).length;
  const ok = count("ok");
  const error = count("error");
  const unchecked = count("unchecked");
  const pct = (n: number) => `${((100 * n) / Math.max(1, steps.length)).toFixed(1)}%`;
  const flagged = results.flatMap((r, i) => (r.firstError === null ? [] : [{ item: items[i]!, step: r.steps[r.firstError]! }]));
  const finals = results.filter((r) => r.finalAnswer.verdict === "correct").length;

  console.log(`step checker over ${items.length} reference solutions (${SETS.join(", ")}), best of ${PASSES} passes\n`);
  console.log("| | value |");
  console.log("|---|---|");
  console.log(`| steps cut | ${steps.length} (${(steps.length / items.length).toFixed(1)} per solution) |`);
  console.log(`| decided: ok | ${ok} (${pct(ok)}) |`);
  console.log(`| decided: error | ${error} (${pct(error)}) |`);
  console.log(`| unchecked | ${unchecked} (${pct(unchecked)}) |`);
  console.log(`| solutions with a decided step | ${results.filter((r) => r.steps.some((s) => s.verdict !== "unchecked")).length} of ${items.length} |`);
  console.log(`| reference solutions flagged | ${flagged.length} |`);
  console.log(`| final answer equal to the reference | ${finals} of ${items.length} |`);
  console.log("");
  console.log("| method | total | per solution | steps/s | ratio |");
  console.log("|---|---|---|---|---|");
  console.log(`| baseline: cutting into statements only | ${gradeMs.toFixed(0)} ms | ${((1000 * gradeMs) / items.length).toFixed(0)} µs | | 1.00 |`);
  console.log(`| checkSolution (steps + final answer) | ${checkMs.toFixed(0)} ms | ${((1000 * checkMs) / items.length).toFixed(0)} µs | ${Math.round(steps.length / (checkMs / 1000))} | ${(checkMs / gradeMs).toFixed(2)} |`);
  // planted slips: in each solution, the last number of the first step decided ok gets one added
  let planted = 0;
  let foundThere = 0;
  let foundBefore = 0;
  let foundAfter = 0;
  const misses: string[] = [];
  results.forEach((r, i) => {
    const it = items[i]!;
    const step = r.steps.find((s) => s.verdict === "ok" && /\d(?![\d.])/.test(s.text));
    if (!step || r.firstError !== null) return;
    const m = /(\d+)(?![\d.])(?!.*\d)/s.exec(step.text);
    if (!m) return;
    const at = step.start + m.index;
    const solution = it.solution.slice(0, at) + String(BigInt(m[1]!) + 1n) + it.solution.slice(at + m[1]!.length);
    planted++;
    const c = checkSolution({ ...it, solution });
    const first = c.firstError === null ? null : c.steps[c.firstError]!;
    if (first === null) misses.push(`${it.set} #${it.index}: ${JSON.stringify(solution.slice(step.start, step.end + 1))}`);
    else if (first.start === step.start) foundThere++;
    else if (first.start < step.start) foundBefore++;
    else foundAfter++;
  });
  console.log("");
  console.log("planted slips (the last number of each solution's first ok step, plus one):");
  console.log("| planted | found at that step | found at an earlier step | found only later | missed |");
  console.log("|---|---|---|---|---|");
  console.log(`| ${planted} | ${foundThere} (${((100 * foundThere) / Math.max(1, planted)).toFixed(1)}%) | ${foundBefore} | ${foundAfter} | ${misses.length} |`);
  if (process.env.BENCH_SHOW_MISSES) for (const miss of misses) console.log(`  missed ${miss}`);
  if (flagged.length > 0) {
    console.log("\nflagged reference solutions:");
    for (const { item, step } of flagged) {
      console.log(`- ${item.set} #${item.index}: ${JSON.stringify(item.solution.slice(step.start, step.end))}\n    ${step.reason}`);
    }
  }
  if (process.env.BENCH_SHOW_UNCHECKED) {
    const reasons = new Map<string, number>();
    for (const s of steps) if (s.verdict === "unchecked") reasons.set(s.reason.replace(/\$[^$]*\$/g, "$…$"), (reasons.get(s.reason.replace(/\$[^$]*\$/g, "$…$")) ?? 0) + 1);
    console.log("\nunchecked, by reason:");
    for (const [r, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${n}\t${r}`);
  }
}

main();
