/**
 * Sandbox speed: `npm run bench:sandbox`. Prints one table, with the naive baseline (a new
 * python3 process per cell that imports sympy) measured in the same run.
 *
 * Targets: warm round trip p50 <= 5 ms for a trivial cell; a fresh state <= 20 ms; a
 * sympy cell >= 20x faster than the naive way.
 */
import { spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { createSandbox, type Sandbox } from "../src/sandbox/index.js";
import { defaultPython } from "../src/config.js";

const PYTHON = defaultPython();

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A sympy cell with different numbers each time, so sympy's cache does not answer it. */
function sympyCell(i: number): string {
  const r1 = (i % 17) + 1;
  const r2 = -((i % 13) + 2);
  return `from sympy import symbols, solve\nx = symbols('x')\nprint(solve(x**2 - (${r1 + r2})*x + (${r1 * r2}), x))`;
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function naive(code: string): Promise<number> {
  return timeIt(
    () =>
      new Promise<void>((resolve, reject) => {
        const p = spawn(PYTHON, ["-c", `import sympy\n${code}`], { stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        p.stdout.on("data", (d: Buffer) => (out += d.toString()));
        p.on("error", reject);
        p.on("close", (c) => (c === 0 && out ? resolve() : reject(new Error(`naive python exited ${c}`))));
      }),
  );
}

interface Row {
  what: string;
  p50: number;
  p95: number;
  unit?: string;
  target?: string;
  ok?: boolean;
}

async function roundTrips(sandbox: Sandbox, cell: (i: number) => string, n: number): Promise<number[]> {
  const s = await sandbox.session();
  for (let i = 0; i < 10; i++) await s.run(cell(i + 10_000));
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const code = cell(i);
    times.push(await timeIt(() => s.run(code)));
  }
  await s.close();
  return times;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const t0 = performance.now();
  const sandbox = await createSandbox();
  const coldStart = performance.now() - t0;
  try {
    await sleep(300); // let the spares be forked

    const trivial = await roundTrips(sandbox, () => "1 + 1", 300);
    const trivialP50 = percentile(trivial, 50);
    rows.push({ what: "warm round trip, trivial cell (`1 + 1`)", p50: trivialP50, p95: percentile(trivial, 95), target: "p50 <= 5 ms", ok: trivialP50 <= 5 });

    const sym = await roundTrips(sandbox, sympyCell, 100);
    const symP50 = percentile(sym, 50);
    rows.push({ what: "warm round trip, sympy cell (solve a quadratic)", p50: symP50, p95: percentile(sym, 95) });

    // A new sample: session() hands over a pre-forked interpreter; the next is forked when idle.
    // Samples arrive every 250 ms here (4 new samples a second, sustained).
    const fresh: number[] = [];
    const freshFirst: number[] = [];
    for (let i = 0; i < 40; i++) {
      await sleep(250);
      const t = performance.now();
      const s = await sandbox.session();
      fresh.push(performance.now() - t);
      await s.run("1 + 1");
      freshFirst.push(performance.now() - t);
      await s.close();
    }
    const freshP50 = percentile(fresh, 50);
    rows.push({ what: "fresh state for a new sample (session(), pre-forked)", p50: freshP50, p95: percentile(fresh, 95), target: "<= 20 ms", ok: freshP50 <= 20 });
    rows.push({ what: "fresh state + first trivial cell", p50: percentile(freshFirst, 50), p95: percentile(freshFirst, 95) });

    // No spare ready: the worker forks the interpreter on demand.
    const bare = await createSandbox({ spares: 0 });
    const onDemand: number[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        await sleep(100);
        const t = performance.now();
        const s = await bare.session();
        onDemand.push(performance.now() - t);
        await s.close();
      }
    } finally {
      await bare.close();
    }
    rows.push({ what: "fresh state, no spare ready (fork on demand)", p50: percentile(onDemand, 50), p95: percentile(onDemand, 95) });

    // Burst: 8 samples arrive at once (more than the 4 spares): the rest are forked on demand.
    await sleep(1000);
    const burst: number[] = [];
    const burstSessions = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const t = performance.now();
        const s = await sandbox.session();
        burst.push(performance.now() - t);
        return s;
      }),
    );
    await Promise.all(burstSessions.map((s) => s.close()));
    rows.push({ what: "fresh state, 8 samples arriving at once", p50: percentile(burst, 50), p95: percentile(burst, 95) });

    // Throughput: 8 samples, each a sequence of sympy cells, at the same time.
    await sleep(300);
    const perSample = 25;
    const sessions = await Promise.all(Array.from({ length: 8 }, () => sandbox.session()));
    const tp = await timeIt(() => Promise.all(sessions.map(async (s, k) => {
      for (let i = 0; i < perSample; i++) await s.run(sympyCell(k * 100 + i));
    })));
    await Promise.all(sessions.map((s) => s.close()));
    const cellsPerSecond = (8 * perSample) / (tp / 1000);
    rows.push({ what: `throughput, 8 concurrent samples x ${perSample} sympy cells`, p50: cellsPerSecond, p95: NaN, unit: "cells/s" });

    // The naive way: a new python3 process per cell, importing sympy.
    const naiveTrivial: number[] = [];
    const naiveSym: number[] = [];
    for (let i = 0; i < 10; i++) {
      naiveTrivial.push(await naive("print(1 + 1)"));
      naiveSym.push(await naive(sympyCell(i)));
    }
    rows.push({ what: "naive: new python3 per cell, trivial cell", p50: percentile(naiveTrivial, 50), p95: percentile(naiveTrivial, 95) });
    const naiveSymP50 = percentile(naiveSym, 50);
    rows.push({ what: "naive: new python3 per cell, sympy cell", p50: naiveSymP50, p95: percentile(naiveSym, 95) });
    const speedup = naiveSymP50 / symP50;
    rows.push({ what: "speed-up on the sympy cell (naive p50 / warm p50)", p50: speedup, p95: NaN, unit: "x", target: ">= 20x", ok: speedup >= 20 });
  } finally {
    await sandbox.close();
  }

  const fmt = (v: number, unit = "ms") => (Number.isNaN(v) ? "" : unit === "ms" ? `${v.toFixed(2)} ms` : unit === "x" ? `${v.toFixed(0)}x` : `${v.toFixed(1)} ${unit}`);
  const load = loadavg()[0]!.toFixed(1);
  const lines = [
    `Sandbox benchmark (bubblewrap, ${PYTHON}, ${cpus().length} CPUs, load average ${load}; cold start of the warm worker: ${coldStart.toFixed(0)} ms)`,
    "",
    "| measurement | p50 | p95 | target |",
    "|---|---:|---:|---|",
    ...rows.map((r) => `| ${r.what} | ${fmt(r.p50, r.unit)} | ${fmt(r.p95, r.unit)} | ${r.target ? `${r.target} ${r.ok ? "(met)" : "(MISSED)"}` : ""} |`),
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:sandbox failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
