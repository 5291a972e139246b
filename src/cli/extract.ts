/** qmath extract: final answers of model responses, one JSON line in, one JSON line out. */
import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import { extractLine, processLines } from "../answers/jsonl.js";
import { answerStyleOf } from "../datasets/registry.js";
import { QmathError } from "../errors.js";
import { parse } from "./flags.js";

const HELP = `usage: qmath extract [--file FILE] [--dataset NAME]

Reads JSON lines {"response": "...", "dataset": "..."} from stdin (or --file) and writes
one line {"answer": "..."} per input, in order ("answer" is null when none is found).
The answer is the last \\boxed{...}, else the Minerva "final answer is $...$", else
"the answer is ...", else GSM8K's "#### n", else (multiple-choice sets) the letter,
else the last number.

  --file FILE      read this file instead of stdin
  --dataset NAME   dataset for lines without their own "dataset" (e.g. gsm8k, aqua, mmlu_stem)
  -h, --help       show this help

A malformed line gets {"error": "line N: ..."} in its place and the exit code is 1;
the other lines are still processed. Blank lines are skipped.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { file: { type: "string" }, dataset: { type: "string" }, help: { type: "boolean", short: "h" } }, false);
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  const dataset = values.dataset as string | undefined;
  if (dataset !== undefined && !/^[\w.-]+$/.test(dataset)) throw new QmathError("bad_input", `--dataset must be a dataset name, not '${dataset}'.`);
  const input = await openInput(values.file as string | undefined);
  const errors = await processLines(input, (line, n) => extractLine(line, n, answerStyleOf, dataset));
  if (errors > 0) process.stderr.write(`qmath extract: ${errors} malformed line${errors === 1 ? "" : "s"} (see the error lines)\n`);
  return errors > 0 ? 1 : 0;
}

export async function openInput(file: string | undefined): Promise<NodeJS.ReadableStream> {
  if (file === undefined) return process.stdin;
  try {
    await access(file);
  } catch {
    throw new QmathError("bad_input", `Cannot read ${file}.`, "Check the path given to --file.");
  }
  return createReadStream(file);
}
