/** qmath hint: hint k of a ladder (a nudge, the method, the next step) for a problem, without the answer. */
import { readFile } from "node:fs/promises";
import { giveHint, type HintLevel } from "../check/hint.js";
import { withEngine } from "../engine/create.js";
import { QmathError } from "../errors.js";
import { SOLVE_MODES } from "../solve/options.js";
import { choice, createCommand, HELP_SHOWN, parseCommand, readProblem } from "./command.js";
import { interruptSignal } from "./interrupt.js";
import { addModelOptions, modelSetup } from "./model-flags.js";
import { integerFlag } from "./number-flag.js";
import { downloadProgressBar } from "./progress.js";

/** Private solutions voted on before a hint is written: at most this many. */
const MAX_HINT_SAMPLES = 64;

export function buildCommand() {
  return addModelOptions(
    createCommand(
      "hint",
      `Gives hint 1, 2 or 3 of a ladder for a problem: a nudge, then the method, then the next concrete step.
The model solves the problem privately (N samples, majority vote) and writes the hint from that
solution; a hint whose math gives the answer away is written again, or the sentences that do are cut.
With --work, the student's work is checked step by step first and the hint starts from its first error.`,
    ),
  )
    .usage('[options] "<problem>"   |   --file problem.txt')
    .argument("[problem...]", "the problem text (or - for stdin)")
    .option("--level <K>", "1 a nudge, 2 the method, 3 the next step (default 1)", integerFlag("level", 1, 3))
    .option("--work <FILE>", "the student's work so far (a file)")
    .option("-n, --n <N>", "private solutions voted on (default 4)", integerFlag("n", 1, MAX_HINT_SAMPLES))
    .option("--mode <MODE>", "how the model solves privately: cot or tir", choice("mode", SOLVE_MODES), "cot" as const)
    .option("-f, --file <FILE>", "read the problem from a file (- for stdin)")
    .option("--json", "print one JSON object (level, text, by, model, attempts, cut, work?)");
}

export async function run(argv: string[]): Promise<number> {
  const command = buildCommand();
  if (parseCommand(command, argv) === HELP_SHOWN) return 0;
  const o = command.opts();
  const setup = modelSetup(o);
  const problem = await readProblem(command.processedArgs[0], o.file);
  let work: string | undefined;
  if (o.work !== undefined) {
    try {
      work = await readFile(o.work, "utf8");
    } catch (e) {
      throw new QmathError("bad_input", `Cannot read the work file ${o.work} (${(e as NodeJS.ErrnoException).code ?? String(e)}).`, "Check the path given to --work.");
    }
  }
  const signal = interruptSignal();
  const n = o.n ?? 4;
  const engineSetup = {
    ...setup.engine,
    maxParallel: Math.min(n, 64),
    signal,
    onDownloadStart: (url: string) => process.stderr.write(`Downloading ${url}\n`),
    onDownloadProgress: downloadProgressBar("  model"),
  };
  const level = (o.level ?? 1) as HintLevel;
  const hint = await withEngine(engineSetup, ({ engine }) => giveHint(engine, { problem, work, level }, { solve: { n, mode: o.mode, sampling: setup.sampling }, sampling: setup.sampling, signal }));
  if (o.json) {
    process.stdout.write(JSON.stringify(hint) + "\n");
    return 0;
  }
  if (hint.work) {
    const w = hint.work;
    process.stdout.write(w.firstError === null ? "Your work: no step is wrong so far.\n\n" : `Your work: step ${w.firstError + 1} is wrong: ${w.steps[w.firstError]!.reason}\n\n`);
  }
  const note = hint.cut ? "; sentences that gave the answer away were cut" : "";
  process.stdout.write(`Hint ${hint.level} of 3 (written by the model ${hint.model}, checked not to give the answer away${note}):\n${hint.text}\n`);
  return 0;
}
