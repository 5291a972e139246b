/**
 * npm run bench:grade — grading speed on the dataset self-consistency corpus: for every
 * benchmark row with a worked solution, extract the answer from the solution and grade
 * it against the reference. Reports pairs per second, median / p99 / max time per pair
 * (extraction plus equivalence), the 10 slowest pairs, agreement per set, and a naive
 * baseline measured in the same run (extraction plus string equality after clean-up).
 * Single-threaded; run it on an otherwise idle core.
 */
import fs from "node:fs";
import path from "node:path";
import { cleanAnswer, equivalent, extractAnswer } from "../src/answers/index.js";
import { answerStyleOf, referenceAnswer, workedSolution } from "../src/datasets/index.js";
import { userDataDir } from "../src/config.js";

const SETS = ["math500", "minerva_math", "aime24", "gsm8k", "olympiadbench", "aqua", "carp_en"];
const PASSES = Number(process.env.BENCH_PASSES ?? 5);

interface Pair {
  set: string;
  index: number;
  solution: string;
  gold: string;
}

function datasetsDir(): string {
  const candidates = [userDataDir(), path.resolve(process.cwd(), "../shared/datasets")].filter((x): x is string => Boolean(x));
  for (const c of candidates) if (fs.existsSync(path.join(c, "math500", "test.jsonl"))) return c;
  throw new Error("benchmark data not found: run from the repository root with ../shared/datasets beside it, or set QMATH_DATA_DIR");
}

function loadPairs(): Pair[] {
  const dir = datasetsDir();
  const pairs: Pair[] = [];
  for (const set of SETS) {
    const rows = fs.readFileSync(path.join(dir, set, "test.jsonl"), "utf8").split("\n").filter((l) => l.trim());
    rows.forEach((line, index) => {
      const row = JSON.parse(line) as Record<string, unknown>;
      const solution = workedSolution(set, row);
      if (solution !== null) pairs.push({ set, index, solution, gold: referenceAnswer(set, row) });
    });
  }
  return pairs;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);
const short = (s: string | null, n = 40) => {
  const t = JSON.stringify(s);
  return t.length > n ? t.slice(0, n - 1) + "…" : t;
};

function main(): void {
  const pairs = loadPairs();
  // warm-up: one pass of each method
  for (const p of pairs) {
    equivalent(extractAnswer(p.solution, { answerStyle: answerStyleOf(p.set) }) ?? "", p.gold);
    cleanAnswer(extractAnswer(p.solution, { answerStyle: answerStyleOf(p.set) }) ?? "");
  }

  const times: number[][] = pairs.map(() => []);
  const agree = new Map<string, [number, number]>();
  let total = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    const t0 = performance.now();
    for (let k = 0; k < pairs.length; k++) {
      const p = pairs[k]!;
      const s = performance.now();
      const pred = extractAnswer(p.solution, { answerStyle: answerStyleOf(p.set) });
      const r = equivalent(pred ?? "", p.gold);
      times[k]!.push(performance.now() - s);
      if (pass === 0) {
        const a = agree.get(p.set) ?? [0, 0];
        agree.set(p.set, [a[0] + (r.equivalent ? 1 : 0), a[1] + 1]);
      }
    }
    total += performance.now() - t0;
  }

  let baseTotal = 0;
  let baseAgree = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    const t0 = performance.now();
    for (const p of pairs) {
      const pred = extractAnswer(p.solution, { answerStyle: answerStyleOf(p.set) });
      const same = pred !== null && cleanAnswer(pred) === cleanAnswer(p.gold);
      if (pass === 0 && same) baseAgree++;
    }
    baseTotal += performance.now() - t0;
  }

  // per pair: the median of its passes (robust to a GC pause landing on one pass)
  const perPair = times.map((ts) => [...ts].sort((a, b) => a - b)[Math.floor(ts.length / 2)]!);
  const worst = times.map((ts) => Math.max(...ts));
  const sorted = [...perPair].sort((a, b) => a - b);
  const n = pairs.length * PASSES;
  const ours = n / (total / 1000);
  const base = n / (baseTotal / 1000);
  const ok = [...agree.values()].reduce((s, [a]) => s + a, 0);

  const out: string[] = [];
  out.push(`qmath grade benchmark: ${pairs.length} pairs (${SETS.join(", ")}), ${PASSES} passes, node ${process.version}`);
  out.push("");
  out.push("| method | pairs/s | median | p99 | max | agree |");
  out.push("| --- | ---: | ---: | ---: | ---: | ---: |");
  out.push(
    `| extract + equivalent | ${Math.round(ours).toLocaleString("en-US")} | ${fmt(quantile(sorted, 0.5))} | ${fmt(quantile(sorted, 0.99))} | ${fmt(Math.max(...worst))} | ${((100 * ok) / pairs.length).toFixed(2)}% |`,
  );
  out.push(`| baseline: extract + string equality after clean-up | ${Math.round(base).toLocaleString("en-US")} | | | | ${((100 * baseAgree) / pairs.length).toFixed(2)}% |`);
  out.push("");
  out.push(`equivalence costs ${(base / ours).toFixed(2)}x the naive baseline's time per pair`);
  out.push("");
  out.push("agreement per set (extracted from the solution vs the reference):");
  for (const [set, [a, t]] of agree) out.push(`  ${set.padEnd(14)} ${a}/${t} = ${((100 * a) / t).toFixed(2)}%`);
  out.push("");
  out.push("10 slowest pairs (median of passes, worst pass):");
  const order = perPair.map((t, k) => [t, k] as const).sort((a, b) => b[0] - a[0]).slice(0, 10);
  for (const [t, k] of order) {
    const p = pairs[k]!;
    const pred = extractAnswer(p.solution, { answerStyle: answerStyleOf(p.set) });
    out.push(`  ${fmt(t).padStart(9)} ${fmt(worst[k]!).padStart(9)}  ${p.set}#${p.index}  pred=${short(pred)} gold=${short(p.gold)}`);
  }
  process.stdout.write(out.join("\n") + "\n");
}

main();
