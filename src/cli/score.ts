/** qmath score: reward model scores of responses, from a vLLM server running Qwen2.5-Math-RM-72B or Qwen2.5-Math-PRM-7B. */
import { QmathError } from "../errors.js";
import { reduceSteps } from "../rewards/clients/process-rm.js";
import type { ScoredResponse } from "../select/reward.js";
import { createCommand, HELP_SHOWN, openInput, parseCommand } from "./command.js";
import { integerFlag, secondsFlag } from "./number-flag.js";
import { addRewardOptions, outcomeRewardModel, processRewardModel } from "./reward-flags.js";
import { jsonlStream, type JsonlLine } from "../jsonl.js";

/** Responses per request (--batch-size). */
const MAX_BATCH = 4096;
/** Longest wait for one request (--timeout): a day. */
const MAX_REQUEST_SECONDS = 86_400;

/** The command with its options (the tests read every command's flags from it). */
export function buildCommand() {
  const command = createCommand(
    "score",
    `Reads JSON lines {"problem": "...", "response": "..."} from stdin (or --file) and writes one
line per input, in order: {"score": S} from the outcome reward model (Qwen2.5-Math-RM-72B:
the model's output at the last token), or with --prm {"score": S, "steps": [p1, ...]} from
the process reward model (Qwen2.5-Math-PRM-7B: the probability that each step, split on
blank lines, is correct; the score is their minimum, or product with --prm-reduce product).`,
  ).usage("--rm-url URL [--prm] [options] [--file FILE]");
  return addRewardOptions(command)
    .option("--prm", "the server runs the process reward model")
    .option("--batch-size <N>", "responses per request", integerFlag("batch-size", 1, MAX_BATCH), 16)
    .option("--timeout <S>", "seconds per request (default 300)", secondsFlag("timeout", MAX_REQUEST_SECONDS))
    .option("--file <FILE>", "read this file instead of stdin (- for stdin)")
    .addHelpText(
      "after",
      `
The API key, if the server wants one, comes from $QMATH_RM_API_KEY.
A malformed line gets {"error": "line N: ..."} in its place and the exit code is 1; the
other lines are still scored. Blank lines are skipped. A server that does not serve a
reward model stops the command with one line saying what it answered (exit code 2).`,
    );
}

type Parsed = { ok: true; item: ScoredResponse } | { ok: false; error: string };

function parseScoreLine(line: JsonlLine): Parsed {
  if (!line.ok) return { ok: false, error: `line ${line.line}: ${line.error}` };
  const o = line.value;
  if (typeof o.problem !== "string") return { ok: false, error: `line ${line.line}: 'problem' must be a string` };
  if (typeof o.response !== "string") return { ok: false, error: `line ${line.line}: 'response' must be a string` };
  return { ok: true, item: { problem: o.problem, response: o.response } };
}

export async function run(argv: string[]): Promise<number> {
  const command = buildCommand();
  if (parseCommand(command, argv) === HELP_SHOWN) return 0;
  const values = command.opts();
  if (!values.rmUrl) throw new QmathError("bad_input", "--rm-url is required.", "Give the address of the vLLM server running the reward model, e.g. --rm-url http://127.0.0.1:8000.");
  const prm = Boolean(values.prm);
  const reduce = values.prmReduce ?? "min";
  const { batchSize } = values;
  const extra = { batchSize, ...(values.timeout !== undefined && { timeoutMs: values.timeout * 1000 }) };
  const outcome = prm ? undefined : outcomeRewardModel(values.rmUrl, values, extra);
  const process_ = prm ? processRewardModel(values.rmUrl, values, extra) : undefined;

  const input = await openInput(values.file);
  let errors = 0;
  // Lines are read in chunks of a few batches; each chunk's output is written in input order.
  let pending: Parsed[] = [];
  const flush = async () => {
    const items = pending.flatMap((p) => (p.ok ? [p.item] : []));
    let lines: string[];
    if (prm) {
      const steps = await process_!.scoreStepsBatch(items);
      lines = steps.map((s) => JSON.stringify({ score: reduceSteps(s, reduce), steps: s }));
    } else {
      lines = (await outcome!.score(items)).map((score) => JSON.stringify({ score }));
    }
    let k = 0;
    let out = "";
    for (const p of pending) out += (p.ok ? lines[k++]! : JSON.stringify({ error: p.error })) + "\n";
    pending = [];
    if (!process.stdout.write(out)) await new Promise<void>((r) => process.stdout.once("drain", () => r()));
  };
  for await (const line of jsonlStream(input)) {
    const p = parseScoreLine(line);
    if (!p.ok) errors++;
    pending.push(p);
    if (pending.length >= batchSize * 4) await flush();
  }
  await flush();
  if (errors > 0) process.stderr.write(`qmath score: ${errors} malformed line${errors === 1 ? "" : "s"} (see the error lines)\n`);
  return errors > 0 ? 1 : 0;
}
