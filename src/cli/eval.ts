/** qmath eval: the benchmark tables, resumable; or scoring of recorded outputs. */
import { join } from "node:path";
import type { EquivalenceOptions } from "../answers/equivalent.js";
import { QmathError } from "../errors.js";
import { scoreOutputs } from "../eval/from-outputs.js";
import { formatBreakdowns, formatSummaryTable, writeReports } from "../eval/report.js";
import { withEngine } from "../engine/create.js";
import { evalEngineParallel, runEval, type EvalOptions, type EvalProgress } from "../eval/runner.js";
import { summarize } from "../eval/summary.js";
import { PROMPT_FORMATS } from "../prompts/formats.js";
import { SELECT_METHODS, SOLVE_MODES } from "../solve/options.js";
import { resolveRunPlan } from "../solve/plan.js";
import { choice, commaList, createCommand, HELP_SHOWN, parseCommand } from "./command.js";
import { interruptSignal } from "./interrupt.js";
import { addModelOptions, checkParallel, modelSetup, PARALLEL_HELP } from "./model-flags.js";
import { integerFlag, MAX_CELL_SECONDS, MAX_PROBLEMS, MAX_SAMPLES, MAX_TIR_CALLS, numberFlag, secondsFlag } from "./number-flag.js";
import { downloadProgressBar } from "./progress.js";
import { addRewardOptions, probeRewardModel, selectionScorer } from "./reward-flags.js";

/** Problems of one run in flight at once (--concurrency). */
const MAX_CONCURRENCY = 1024;

/** The command with its options (the tests read every command's flags from it). */
export function buildCommand() {
  const command = addModelOptions(
    createCommand(
      "eval",
      `Runs the benchmark sets, writing every finished problem to runs/NAME/results.jsonl at once.
Running the same command again (or with --resume) continues where it stopped; a folder made
with other settings is refused. Ends with a table per dataset, summary.json and report.md.
Ctrl-C stops the run; the finished problems stay saved.`,
    ),
  )
    .usage("--data math500,gsm8k [options] --out runs/NAME   |   --from-outputs FILE --k 8 [--json]")
    .option("-d, --data <LIST>", "comma-separated dataset names (math500, gsm8k, aime24, ...) or .jsonl files", commaList)
    .option("-o, --out <DIR>", "the run folder (required)")
    .option("--resume", "continue the run in --out (re-running into it does the same)")
    .option("--mode <MODE>", "reasoning mode: cot or tir", choice("mode", SOLVE_MODES), "cot" as const)
    .option("-n, --n <N>", "samples per problem", integerFlag("n", 1, MAX_SAMPLES), 1)
    .option("--parallel <P>", PARALLEL_HELP, integerFlag("parallel", 1, MAX_SAMPLES))
    .option("--select <S>", "how the answer of N samples is chosen: maj, rm, prm (reward models, with --rm-url) or first", choice("select", SELECT_METHODS), "maj" as const)
    .option("--limit <N>", "the first N problems of each dataset", integerFlag("limit", 1, MAX_PROBLEMS))
    .option("--concurrency <C>", "problems at once (default: as many as 8 engine slots hold, at least 1)", integerFlag("concurrency", 1, MAX_CONCURRENCY))
    .option("--prompt-format <F>", `${PROMPT_FORMATS.join(" | ")} (default: the model's own)`, choice("prompt-format", PROMPT_FORMATS))
    .option("--max-calls <N>", "TIR: code executions per sample (default 4)", integerFlag("max-calls", 1, MAX_TIR_CALLS))
    .option("--cell-timeout <S>", "TIR: seconds per code cell (default 5)", secondsFlag("cell-timeout", MAX_CELL_SECONDS))
    .option("--unsafe-no-sandbox", "TIR: run model code without bubblewrap (dangerous: see the README)")
    .option("--data-dir <DIR>", "folder with <name>/test.jsonl files (default: cache, download when missing)")
    .option("--question-field <F>", "the question's field name in local .jsonl files (default: question or problem)")
    .option("--answer-field <F>", "the answer's field name in local .jsonl files (default: answer or gt)")
    .option("--fewshot-file <PATH>", "base models: the harness's evaluation/examples.py (default $QMATH_FEWSHOT_FILE, else the cache, else a download)")
    .option("--from-outputs <FILE>", "score recorded outputs of the reference harness (no model)")
    .option("--k <K>", "with --from-outputs: samples per problem to score", integerFlag("k", 1, MAX_SAMPLES), 8)
    .option("--percent-scale", "also count a plain number 100x or 1/100x the reference as equal (0.25 for 25), as the reference harness does")
    .option("--tolerance <T>", "relative tolerance for decimals (default: to the precision they show; 1e-4 with --percent-scale reproduces the reference harness)", numberFlag({ name: "tolerance", min: 0, max: 1 }))
    .option("--json", "print the metrics as one JSON object");
  return addRewardOptions(command);
}

function progressLine(): (p: EvalProgress) => void {
  const tty = Boolean(process.stderr.isTTY);
  let lastPrinted = 0;
  return (p) => {
    const accuracy = p.done > 0 ? ((100 * p.correct) / p.done).toFixed(1) : "-";
    const eta = p.etaMs > 0 ? `ETA ${Math.ceil(p.etaMs / 1000)}s` : "";
    const width = 20;
    const filled = Math.round((p.done / p.total) * width);
    const line = `${"█".repeat(filled)}${"░".repeat(width - filled)} ${p.done}/${p.total}  accuracy ${accuracy}%  ${eta}  (${p.dataset})`;
    if (tty) process.stderr.write(`\r${line}\x1b[K${p.done === p.total ? "\n" : ""}`);
    else if (p.done === p.total || Date.now() - lastPrinted > 5000) {
      lastPrinted = Date.now();
      process.stderr.write(line + "\n");
    }
  };
}

export async function run(argv: string[]): Promise<number> {
  const command = buildCommand();
  if (parseCommand(command, argv) === HELP_SHOWN) return 0;
  const values = command.opts();

  // one set of equivalence options for grading, voting and the summary
  const equivalence = equivalenceOptions(values);
  const fromOutputs = values.fromOutputs;
  if (fromOutputs !== undefined) {
    const scored = await scoreOutputs(fromOutputs, { k: values.k, equivalence });
    for (const e of scored.errors) process.stderr.write(`qmath eval: ${fromOutputs} line ${e.line}: ${e.message}\n`);
    const { fromSet, differFromGt } = scored.references;
    // references read from the set's own fields, and how many the harness's clean-up of gt changed
    const referencesNote = fromSet > 0 ? `references: ${fromSet} read from the set's own fields, ${differFromGt} of them differ from the harness's gt\n` : "";
    if (values.json) {
      process.stdout.write(JSON.stringify(scored.metrics) + "\n");
      process.stderr.write(referencesNote);
    } else {
      process.stdout.write(formatSummaryTable(scored.summary) + "\n");
      process.stdout.write(Object.entries(scored.metrics).map(([key, v]) => `${key}: ${v.toFixed(1)}`).join("  ") + "\n");
      process.stdout.write(referencesNote);
    }
    return scored.errors.length > 0 ? 1 : 0;
  }

  const data = values.data ?? [];
  if (data.length === 0) throw new QmathError("bad_input", "No data given.", "Pass --data with dataset names, for example --data math500,gsm8k.");
  const out = values.out;
  if (!out) throw new QmathError("bad_input", "No run folder given.", "Pass --out runs/NAME (re-running into it continues the run).");
  const { mode, select, n } = values;
  const rewardScorer = selectionScorer(select, values);
  const setup = modelSetup(values);
  checkParallel(values.engine, values.parallel);
  const signal = interruptSignal();
  const options: EvalOptions = {
    data,
    out,
    mode,
    n,
    parallel: values.parallel,
    promptFormat: values.promptFormat,
    sampling: setup.sampling,
    selection: { method: select, rewardScorer, equivalence },
    tir: {
      maxCalls: values.maxCalls,
      sandboxOptions: {
        isolation: values.unsafeNoSandbox ? "none" : "bwrap",
        ...(values.cellTimeout !== undefined && { timeoutMs: values.cellTimeout * 1000 }),
      },
    },
    limit: values.limit,
    concurrency: values.concurrency,
    dataDir: values.dataDir,
    download: setup.engine.download,
    questionField: values.questionField,
    answerField: values.answerField,
    fewShotFile: values.fewshotFile,
    onProgress: progressLine(),
    signal,
  };
  resolveRunPlan(options); // refuses bad combinations before a model loads
  await probeRewardModel(rewardScorer);
  const engineSetup = {
    ...setup.engine,
    maxParallel: evalEngineParallel(options),
    signal,
    onDownloadStart: (url: string) => process.stderr.write(`Downloading ${url}\n`),
    onDownloadProgress: downloadProgressBar("  model"),
  };
  const result = await withEngine(engineSetup, ({ engine }) => runEval(engine, options));
  for (const e of result.dataErrors) process.stderr.write(`qmath eval: ${e.source} ${e.message}\n`); // the message names the line
  if (result.resumed > 0) process.stderr.write(`Continued a run: ${result.resumed} problems were already done, ${result.ran} ran now.\n`);
  const summary = summarize(result.records, { k: n, equivalence });
  await writeReports(out, summary, result.config);
  if (values.json) process.stdout.write(JSON.stringify(summary) + "\n");
  else {
    const breakdowns = formatBreakdowns(summary);
    process.stdout.write(formatSummaryTable(summary) + "\n" + (breakdowns ? `\n${breakdowns}\n` : ""));
    process.stdout.write(`\nReports: ${join(out, "report.md")}, ${join(out, "summary.json")}\n`);
  }
  return result.dataErrors.length > 0 ? 1 : 0;
}

/** The equivalence flags as options (undefined when none is given: qmath's own rules). */
function equivalenceOptions(values: { percentScale?: boolean; tolerance?: number }): EquivalenceOptions | undefined {
  if (!values.percentScale && values.tolerance === undefined) return undefined;
  return { ...(values.percentScale ? { percentScale: true } : {}), ...(values.tolerance !== undefined ? { tolerance: values.tolerance } : {}) };
}
