/** qmath score: reward model scores of responses, from a vLLM server running Qwen2.5-Math-RM-72B or Qwen2.5-Math-PRM-7B. */
import { createInterface } from "node:readline";
import { QmathError } from "../errors.js";
import { createOutcomeRewardModel } from "../rewards/outcome-rm.js";
import { createProcessRewardModel, reduceSteps, STEP_REDUCES, type StepReduce } from "../rewards/process-rm.js";
import type { ScoredResponse } from "../select/reward.js";
import { openInput } from "./extract.js";
import { parse, positive, positiveInt } from "./flags.js";

const HELP = `usage: qmath score --rm-url URL [--prm] [options] [--file FILE]

Reads JSON lines {"problem": "...", "response": "..."} from stdin (or --file) and writes one
line per input, in order: {"score": S} from the outcome reward model (Qwen2.5-Math-RM-72B:
the model's output at the last token), or with --prm {"score": S, "steps": [p1, ...]} from
the process reward model (Qwen2.5-Math-PRM-7B: the probability that each step, split on
blank lines, is correct; the score is their minimum, or product with --reduce product).

  --rm-url URL        the vLLM server (vllm serve ... --runner pooling), e.g. http://127.0.0.1:8000
  --prm               the server runs the process reward model
  --model M           the served model name (default Qwen/Qwen2.5-Math-RM-72B, with --prm
                      Qwen/Qwen2.5-Math-PRM-7B)
  --reduce min|product  with --prm: how step scores make the score (default min)
  --batch-size N      responses per request (default 16)
  --timeout S         seconds per request (default 300)
  --file FILE         read this file instead of stdin
  -h, --help          show this help

The API key, if the server wants one, comes from $QMATH_RM_API_KEY.
A malformed line gets {"error": "line N: ..."} in its place and the exit code is 1; the
other lines are still scored. Blank lines are skipped. A server that does not serve a
reward model stops the command with one line saying what it answered (exit code 2).`;

type Parsed = { ok: true; item: ScoredResponse } | { ok: false; error: string };

export function parseScoreLine(line: string, lineNo: number): Parsed {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { ok: false, error: `line ${lineNo}: not valid JSON` };
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return { ok: false, error: `line ${lineNo}: expected a JSON object` };
  const o = v as Record<string, unknown>;
  if (typeof o.problem !== "string") return { ok: false, error: `line ${lineNo}: 'problem' must be a string` };
  if (typeof o.response !== "string") return { ok: false, error: `line ${lineNo}: 'response' must be a string` };
  return { ok: true, item: { problem: o.problem, response: o.response } };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      "rm-url": { type: "string" },
      prm: { type: "boolean" },
      model: { type: "string" },
      reduce: { type: "string" },
      "batch-size": { type: "string" },
      timeout: { type: "string" },
      file: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  const baseUrl = values["rm-url"] as string | undefined;
  if (!baseUrl) throw new QmathError("bad_input", "--rm-url is required.", "Give the address of the vLLM server running the reward model, e.g. --rm-url http://127.0.0.1:8000.");
  const prm = Boolean(values.prm);
  const reduce = (values.reduce as string | undefined) ?? "min";
  if (!STEP_REDUCES.includes(reduce as StepReduce)) throw new QmathError("bad_input", `Unknown --reduce '${reduce}'.`, "Use --reduce min or --reduce product.");
  if (values.reduce !== undefined && !prm) throw new QmathError("bad_input", "--reduce goes with --prm.");
  const batchSize = positiveInt("batch-size", values["batch-size"] as string | undefined) ?? 16;
  const timeout = positive("timeout", values.timeout as string | undefined);
  const options = {
    baseUrl,
    model: values.model as string | undefined,
    apiKey: process.env.QMATH_RM_API_KEY || undefined,
    batchSize,
    ...(timeout !== undefined && { timeoutMs: timeout * 1000 }),
  };
  const outcome = prm ? undefined : createOutcomeRewardModel(options);
  const process_ = prm ? createProcessRewardModel({ ...options, reduce: reduce as StepReduce }) : undefined;

  const input = await openInput(values.file as string | undefined);
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let errors = 0;
  // Lines are read in chunks of a few batches; each chunk's output is written in input order.
  let pending: Parsed[] = [];
  const flush = async () => {
    const items = pending.flatMap((p) => (p.ok ? [p.item] : []));
    let lines: string[];
    if (prm) {
      const steps = await process_!.scoreStepsBatch(items);
      lines = steps.map((s) => JSON.stringify({ score: reduceSteps(s, reduce as StepReduce), steps: s }));
    } else {
      lines = (await outcome!.score(items)).map((score) => JSON.stringify({ score }));
    }
    let k = 0;
    let out = "";
    for (const p of pending) out += (p.ok ? lines[k++]! : JSON.stringify({ error: p.error })) + "\n";
    pending = [];
    if (!process.stdout.write(out)) await new Promise<void>((r) => process.stdout.once("drain", () => r()));
  };
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === "") continue;
    const p = parseScoreLine(line, lineNo);
    if (!p.ok) errors++;
    pending.push(p);
    if (pending.length >= batchSize * 4) await flush();
  }
  await flush();
  if (errors > 0) process.stderr.write(`qmath score: ${errors} malformed line${errors === 1 ? "" : "s"} (see the error lines)\n`);
  return errors > 0 ? 1 : 0;
}
