/** qmath grade: whether predicted answers equal the references, for pipelines. */
import { equivalent, type EquivalenceOptions } from "../answers/equivalent.js";
import { gradeLine, processLines } from "../answers/jsonl.js";
import { QmathError } from "../errors.js";
import { openInput } from "./extract.js";
import { nonNegative, parse } from "./flags.js";

const HELP = `usage: qmath grade [--file FILE] [options]
       qmath grade --pred ANSWER --gold REFERENCE

Reads JSON lines {"pred": "...", "gold": "..."} from stdin (or --file) and writes one
line {"equivalent": true|false, "reason": "equal|different|unparseable|timeout"} per
input, in order. A null "pred" (nothing extracted) grades as unparseable.
With --pred and --gold, prints "equivalent" (exit 0) or "different" (exit 1).

  --file FILE         read this file instead of stdin
  --pred ANSWER       one predicted answer (with --gold)
  --gold REFERENCE    one reference answer (with --pred)
  --tolerance T       relative tolerance for rounded values (default 1e-4)
  --timeout-ms MS     hard time bound per pair (default 50)
  --percent-scale     also accept 100x and 1/100x (the Qwen2.5-Math harness's leniency)
  -h, --help          show this help

A malformed line gets {"error": "line N: ..."} in its place and the exit code is 1;
the other lines are still graded. Blank lines are skipped.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      file: { type: "string" },
      pred: { type: "string" },
      gold: { type: "string" },
      tolerance: { type: "string" },
      "timeout-ms": { type: "string" },
      "percent-scale": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  const options: EquivalenceOptions = { percentScale: Boolean(values["percent-scale"]) };
  const tolerance = nonNegative("tolerance", values.tolerance as string | undefined);
  if (tolerance !== undefined) options.tolerance = tolerance;
  const timeout = nonNegative("timeout-ms", values["timeout-ms"] as string | undefined);
  if (timeout !== undefined) options.timeoutMs = timeout;

  const pred = values.pred as string | undefined;
  const gold = values.gold as string | undefined;
  if (pred !== undefined || gold !== undefined) {
    if (pred === undefined || gold === undefined) throw new QmathError("bad_input", "--pred and --gold go together.", 'Give both, e.g. qmath grade --pred "1/2" --gold "0.5".');
    if (values.file !== undefined) throw new QmathError("bad_input", "Give either --pred/--gold or --file, not both.");
    const r = equivalent(pred, gold, options);
    process.stdout.write((r.equivalent ? "equivalent" : "different") + "\n");
    return r.equivalent ? 0 : 1;
  }
  const input = await openInput(values.file as string | undefined);
  const errors = await processLines(input, (line, n) => gradeLine(line, n, options));
  if (errors > 0) process.stderr.write(`qmath grade: ${errors} malformed line${errors === 1 ? "" : "s"} (see the error lines)\n`);
  return errors > 0 ? 1 : 0;
}
