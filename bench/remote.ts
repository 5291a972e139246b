/**
 * npm run bench:remote — what the remote engine adds per request.
 *
 * A qmath server on the scripted engine (generation takes microseconds) on 127.0.0.1. Per
 * round, alternately: (a) a raw fetch POST /v1/completions with the very body the engine
 * sends (streamed, usage included), reading the whole response; (b) the remote engine:
 * open(), generate() with onText, close(). The difference of the medians is the engine's
 * own cost: building the request, parsing the event stream, the stop-string scan, usage.
 */
import { createRemoteEngine } from "../src/engine/remote/openai-engine.js";
import { createScriptedEngine } from "../src/engine/scripted.js";
import { createServer } from "../src/server/app.js";

const ROUNDS = Number(process.env.ROUNDS ?? 3000);
const WARMUP = 300;
const SCRIPT = "Let me compute: 2 + 2 = 4.\nSo the answer is $\\boxed{4}$.";
const PROMPT = "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n";
const STOP = ["<|im_end|>", "<|endoftext|>", "```output"];

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (x: number) => `${x.toFixed(3)} ms`;

async function main() {
  const server = createServer({ engine: createScriptedEngine({ scripts: [SCRIPT], model: "scripted" }), queueSize: 1024 });
  const url = await server.listen(0);
  // Record the body the engine sends, to send the same one raw.
  let body = "";
  const engine = await createRemoteEngine({
    baseUrls: [`${url}/v1`],
    fetch: (input, init) => {
      if (String(input).endsWith("/v1/completions") && typeof init?.body === "string") body = init.body;
      return fetch(input, init);
    },
  });
  const request = { prompt: PROMPT, stop: STOP, seed: 1, maxTokens: 64 };
  const viaEngine = async () => {
    const [sample] = await engine.open(request);
    let streamed = "";
    const seg = await sample!.generate({ onText: (d) => (streamed += d) });
    await sample!.close();
    if (seg.finishReason !== "eos" || streamed !== SCRIPT) throw new Error(`unexpected result ${JSON.stringify(seg)}`);
  };
  await viaEngine();
  const raw = async () => {
    const res = await fetch(`${url}/v1/completions`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const text = await res.text();
    if (res.status !== 200 || !text.includes("[DONE]")) throw new Error(`raw call answered ${res.status}`);
  };

  const rawMs: number[] = [];
  const engineMs: number[] = [];
  for (let i = 0; i < ROUNDS + WARMUP; i++) {
    let t = performance.now();
    await raw();
    const r = performance.now() - t;
    t = performance.now();
    await viaEngine();
    const e = performance.now() - t;
    if (i >= WARMUP) {
      rawMs.push(r);
      engineMs.push(e);
    }
  }
  await engine.close();
  await server.close();

  const rows = [
    ["raw fetch", pct(rawMs, 50), pct(rawMs, 99)],
    ["remote engine", pct(engineMs, 50), pct(engineMs, 99)],
  ] as const;
  process.stdout.write(`remote engine overhead per request (${ROUNDS} rounds, node ${process.version}, qmath serve + scripted engine on 127.0.0.1)\n`);
  for (const [name, p50, p99] of rows) process.stdout.write(`  ${name.padEnd(14)} p50 ${ms(p50)}  p99 ${ms(p99)}\n`);
  const overhead = pct(engineMs, 50) - pct(rawMs, 50);
  process.stdout.write(`  overhead       p50 ${ms(overhead)}  p99 ${ms(pct(engineMs, 99) - pct(rawMs, 99))}  (target: p50 under 1 ms: ${overhead < 1 ? "met" : "NOT met"})\n`);
}

await main();
