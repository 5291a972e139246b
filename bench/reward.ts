/**
 * npm run bench:reward — throughput of the rule reward for RL, in batches of 512 responses:
 * computeRewards() in process, and POST /v1/reward over loopback HTTP, against a baseline
 * measured in the same run: a route with the same body that only parses and answers JSON
 * (the HTTP + JSON round trip alone). Target: over 20,000 responses/s. One process; the route
 * computes the rule rewards in the server's worker threads (one less than the cores).
 */
import Fastify from "fastify";
import { computeRewards, type RewardItem } from "../src/rewards/grpo.js";
import { MathWorkers, mathWorkerCount } from "../src/server/math-work.js";
import { registerRewardRoutes } from "../src/server/reward-routes.js";

const BATCH = 512;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);

const ANSWERS = ["4", "\\frac{1}{2}", "3\\sqrt{2}", "12", "x^2+1", "(1, 2)", "0.25", "\\pi", "-7", "\\frac{3}{4}", "2^{10}", "100"];
const WRONG = ["5", "\\frac{1}{3}", "2\\sqrt{3}", "13", "x^2-1", "(2, 1)", "0.5", "2\\pi", "7", "\\frac{4}{3}", "2^{9}", "99"];

/** 512 responses: 8 per problem (GRPO groups), about 600 characters of CoT each, half correct. */
function batch(seed: number): RewardItem[] {
  const items: RewardItem[] = [];
  for (let i = 0; i < BATCH; i++) {
    const p = (seed * 64 + Math.floor(i / 8)) % ANSWERS.length;
    const correct = (i * 7 + seed) % 2 === 0;
    const body = `Let us compute step by step. First we simplify the expression and collect the terms.\n\n`.repeat(6);
    items.push({
      problem: `Problem ${Math.floor(i / 8)} of batch ${seed}: compute the value.`,
      response: `${body}Therefore the final answer is \\boxed{${correct ? ANSWERS[p] : WRONG[p]}}.`,
      reference: ANSWERS[p]!,
    });
  }
  return items;
}

async function timeIt(fn: (b: RewardItem[]) => Promise<unknown>, batches: RewardItem[][]): Promise<number> {
  for (const b of batches.slice(0, 3)) await fn(b); // warm-up
  const started = performance.now();
  for (const b of batches) await fn(b);
  const s = (performance.now() - started) / 1000;
  return (batches.length * BATCH) / s;
}

async function main(): Promise<void> {
  const batches = Array.from({ length: ROUNDS }, (_, i) => batch(i));
  const app = Fastify({ bodyLimit: 16 * 1024 * 1024 });
  const work = new MathWorkers(mathWorkerCount());
  app.addHook("onClose", () => work.close());
  registerRewardRoutes(app, { work });
  app.post("/baseline", async (request) => ({ results: (request.body as { items: RewardItem[] }).items.map(() => ({ rule: 0, reward: 0, advantage: 0, correct: false, answer: null })) }));
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  const post = (path: string) => async (items: RewardItem[]) => {
    const res = await fetch(url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ items, format_reward: 0.1 }) });
    const body = (await res.json()) as { results: unknown[] };
    if (body.results?.length !== items.length) throw new Error(`bad answer from ${path}: ${JSON.stringify(body).slice(0, 200)}`);
  };
  try {
    const lib = await timeIt((b) => computeRewards(b, { format: 0.1 }), batches);
    const base = await timeIt(post("/baseline"), batches);
    const http = await timeIt(post("/v1/reward"), batches);
    const check = await computeRewards(batches[0]!, { format: 0.1 });
    const correct = check.filter((r) => r.correct).length;
    const fmt = (n: number) => `${Math.round(n).toLocaleString("en-US")} responses/s`;
    console.log(`rule reward, batches of ${BATCH}, ${ROUNDS} batches (${correct} of ${BATCH} correct in the first)`);
    console.log(`  computeRewards (in process)      ${fmt(lib)}`);
    console.log(`  POST /v1/reward (loopback HTTP)  ${fmt(http)}`);
    console.log(`  baseline: JSON round trip only   ${fmt(base)}`);
    console.log(`  /v1/reward vs baseline           ${(http / base).toFixed(2)}x   target: over 20,000 responses/s ${http > 20_000 ? "(met)" : "(NOT met)"}`);
  } finally {
    await app.close();
  }
}

await main();
