/** qmath extract: final answers of model responses, one JSON line in, one JSON line out. */
import { extractLine, processLines } from "./line-batch.js";
import { QmathError } from "../errors.js";
import { createCommand, HELP_SHOWN, openInput, parseCommand } from "./command.js";

/** The command with its options (the tests read every command's flags from it). */
export function buildCommand() {
  return createCommand(
    "extract",
    `Reads JSON lines {"response": "...", "dataset": "..."} from stdin (or --file) and writes
one line {"answer": "..."} per input, in order ("answer" is null when none is found).
The answer is the last \\boxed{...}, else the Minerva "final answer is $...$", else
"the answer is ...", else GSM8K's "#### n", else (multiple-choice sets) the letter,
else the last number.`,
  )
    .option("--file <FILE>", "read this file instead of stdin (- for stdin)")
    .option("--dataset <NAME>", 'dataset for lines without their own "dataset" (e.g. gsm8k, aqua, mmlu_stem)')
    .addHelpText(
      "after",
      '\nA malformed line gets {"error": "line N: ..."} in its place and the exit code is 1;\nthe other lines are still processed. Blank lines are skipped.',
    );
}

export async function run(argv: string[]): Promise<number> {
  const command = buildCommand();
  if (parseCommand(command, argv) === HELP_SHOWN) return 0;
  const { dataset, file } = command.opts();
  if (dataset !== undefined && !/^[\w.-]+$/.test(dataset)) throw new QmathError("bad_input", `--dataset must be a dataset name, not '${dataset}'.`);
  const input = await openInput(file);
  const errors = await processLines(input, (value, n) => extractLine(value, n, dataset));
  if (errors > 0) process.stderr.write(`qmath extract: ${errors} malformed line${errors === 1 ? "" : "s"} (see the error lines)\n`);
  return errors > 0 ? 1 : 0;
}
