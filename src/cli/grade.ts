/** qmath grade: whether predicted answers equal the references, for pipelines. */
import { equivalent, type EquivalenceOptions } from "../answers/equivalent.js";
import { gradeLine, processLines } from "./line-batch.js";
import { QmathError } from "../errors.js";
import { createCommand, HELP_SHOWN, openInput, parseCommand } from "./command.js";
import { numberFlag } from "./number-flag.js";

/** Longest time bound of one pair (--timeout-ms): a minute. */
const MAX_GRADE_MS = 60_000;

/** The command with its options (the tests read every command's flags from it). */
export function buildCommand() {
  return createCommand(
    "grade",
    `Reads JSON lines {"pred": "...", "gold": "..."} from stdin (or --file) and writes one line
{"equivalent": true|false, "reason": "equal|different|unparseable|timeout|undecided"} per input, in order.
A null "pred" (nothing extracted) grades as unparseable.
With --pred and --gold, prints "equivalent" (exit 0) or "different" (exit 1).`,
  )
    .usage("[--file FILE] [options]   |   --pred ANSWER --gold REFERENCE")
    .option("--file <FILE>", "read this file instead of stdin (- for stdin)")
    .option("--pred <ANSWER>", "one predicted answer (with --gold; negative numbers work: --pred -3)")
    .option("--gold <REFERENCE>", "one reference answer (with --pred)")
    .option("--tolerance <T>", "relative tolerance for decimals (default: to the precision they show; 1e-4 is the reference harness's rule)", numberFlag({ name: "tolerance", min: 0, max: 1 }))
    .option("--timeout-ms <MS>", "work bound per pair, in milliseconds of a warm core: 40,000 steps each, the same verdict on any machine (default 50)", numberFlag({ name: "timeout-ms", min: 0, max: MAX_GRADE_MS, unit: "milliseconds" }))
    .option("--percent-scale", "also accept 100x and 1/100x (the Qwen2.5-Math harness's leniency)")
    .addHelpText(
      "after",
      '\nA malformed line gets {"error": "line N: ..."} in its place and the exit code is 1;\nthe other lines are still graded. Blank lines are skipped.',
    );
}

export async function run(argv: string[]): Promise<number> {
  const command = buildCommand();
  if (parseCommand(command, argv) === HELP_SHOWN) return 0;
  const values = command.opts();
  const options: EquivalenceOptions = { percentScale: Boolean(values.percentScale) };
  if (values.tolerance !== undefined) options.tolerance = values.tolerance;
  if (values.timeoutMs !== undefined) options.timeoutMs = values.timeoutMs;

  const { pred, gold } = values;
  if (pred !== undefined || gold !== undefined) {
    if (pred === undefined || gold === undefined) throw new QmathError("bad_input", "--pred and --gold go together.", 'Give both, e.g. qmath grade --pred "1/2" --gold "0.5".');
    if (values.file !== undefined) throw new QmathError("bad_input", "Give either --pred/--gold or --file, not both.");
    const r = equivalent(pred, gold, options);
    process.stdout.write((r.equivalent ? "equivalent" : "different") + "\n");
    return r.equivalent ? 0 : 1;
  }
  const input = await openInput(values.file);
  const errors = await processLines(input, (value, n) => gradeLine(value, n, options));
  if (errors > 0) process.stderr.write(`qmath grade: ${errors} malformed line${errors === 1 ? "" : "s"} (see the error lines)\n`);
  return errors > 0 ? 1 : 0;
}
