/** qmath solve: stream a solution to the terminal and print the final answer, or print one JSON object. */
import { withEngine } from "../engine/create.js";
import { PROMPT_FORMATS } from "../prompts/formats.js";
import { createSandbox } from "../sandbox/index.js";
import { SELECT_METHODS, SOLVE_MODES, type RunOptions } from "../solve/options.js";
import { resolveRunPlan } from "../solve/plan.js";
import { solve } from "../solve/solve.js";
import { choice, createCommand, HELP_SHOWN, parseCommand, readProblem } from "./command.js";
import { interruptSignal } from "./interrupt.js";
import { addModelOptions, checkParallel, modelSetup, PARALLEL_HELP } from "./model-flags.js";
import { integerFlag, MAX_CELL_SECONDS, MAX_SAMPLES, MAX_TIR_CALLS, secondsFlag } from "./number-flag.js";
import { writeText } from "./output.js";
import { downloadProgressBar } from "./progress.js";
import { addRewardOptions, probeRewardModel, selectionScorer } from "./reward-flags.js";

/** The command with its options (the tests read every command's flags from it). */
export function buildCommand() {
  const command = addModelOptions(createCommand("solve", "Streams a step-by-step solution, then prints the final (\\boxed{}) answer."))
    .usage('[options] "<problem>"   |   --file problem.txt   |   echo "<problem>" | qmath solve [options]')
    .argument("[problem...]", "the problem text (or - for stdin)")
    .option("-n, --n <N>", "samples, sharing one prompt evaluation", integerFlag("n", 1, MAX_SAMPLES), 1)
    .option("--parallel <P>", PARALLEL_HELP, integerFlag("parallel", 1, MAX_SAMPLES))
    .option(
      "--select <S>",
      "how to choose among N samples: maj (the largest cluster of equivalent answers; ties: the earliest sample), rm / prm (the highest reward-model score, with --rm-url), first",
      choice("select", SELECT_METHODS),
      "maj" as const,
    );
  return addRewardOptions(command)
      .option("--early-stop", "with --select maj: stop sampling once the leading answer cannot be overtaken by the samples still to come")
      .option("--mode <MODE>", "cot (chain of thought) or tir (tool-integrated reasoning: the model's Python runs in the sandbox)", choice("mode", SOLVE_MODES), "cot" as const)
      .option("--max-calls <N>", "TIR: code executions per sample (default 4)", integerFlag("max-calls", 1, MAX_TIR_CALLS))
      .option("--cell-timeout <S>", "TIR: seconds each code cell may run (default 5)", secondsFlag("cell-timeout", MAX_CELL_SECONDS))
      .option("--python <PATH>", "TIR: Python with sympy and numpy (default /usr/bin/python3)")
      .option("--unsafe-no-sandbox", "TIR: run model code without bubblewrap (dangerous: see the README)")
      .option("--prompt-format <F>", `${PROMPT_FORMATS.join(" | ")} (default: the model's own)`, choice("prompt-format", PROMPT_FORMATS))
      .option("-f, --file <FILE>", "read the problem from a file (- for stdin)")
      .option("--json", "print one JSON object (problem, model, answer, text, samples, usage, timings)");
}

export async function run(argv: string[]): Promise<number> {
  const command = buildCommand();
  if (parseCommand(command, argv) === HELP_SHOWN) return 0;
  const values = command.opts();
  const setup = modelSetup(values);
  const { n, select, mode } = values;
  const rewardScorer = selectionScorer(select, values);
  checkParallel(values.engine, values.parallel);
  const options: RunOptions = {
    mode,
    n,
    parallel: values.parallel,
    promptFormat: values.promptFormat,
    sampling: setup.sampling,
    tir: {
      maxCalls: values.maxCalls,
      sandboxOptions: {
        isolation: values.unsafeNoSandbox ? "none" : "bwrap",
        ...(values.python !== undefined && { python: values.python }),
        ...(values.cellTimeout !== undefined && { timeoutMs: values.cellTimeout * 1000 }),
      },
    },
    selection: { method: select, rewardScorer, earlyStop: Boolean(values.earlyStop) },
  };
  const plan = resolveRunPlan(options); // refuses bad combinations before a model loads
  const problem = await readProblem(command.processedArgs[0], values.file);
  const json = Boolean(values.json);
  const signal = interruptSignal();
  await probeRewardModel(rewardScorer);

  // With N > 1 one sample is streamed; say which, once its text starts.
  let header = n > 1 && !json;
  const streamed = (delta: string) => {
    if (header) {
      const others = plan.parallel >= n ? `the other ${n - 1} run alongside` : `the others run in waves of ${plan.parallel}`;
      writeText(`[sample 0 of ${n}; ${others}; ${select === "maj" ? "the votes follow" : "the selection follows"}]\n`);
      header = false;
    }
    writeText(delta);
  };
  // TIR: start the sandbox first, so a machine without one fails before a model is loaded.
  const sandbox = plan.tir ? await createSandbox({ spares: plan.sandboxSpares, ...options.tir?.sandboxOptions }) : undefined;
  const engineSetup = {
    ...setup.engine,
    maxParallel: plan.parallel,
    signal,
    onDownloadStart: (url: string) => process.stderr.write(`Downloading ${url}\n`),
    onDownloadProgress: downloadProgressBar("  model"),
  };
  const { result, loadMs } = await withEngine(engineSetup, async ({ engine, loadMs }) => ({
    loadMs,
    result: await solve(engine, problem, {
      ...options,
      tir: { ...options.tir, sandbox },
      signal,
      callbacks: { onText: json ? undefined : (index, delta) => index === 0 && streamed(delta) },
    }),
  })).finally(() => sandbox?.close());
  if (json) {
    process.stdout.write(JSON.stringify({ ...result, timings: { loadMs, ...result.timings } }) + "\n");
    return 0;
  }
  writeText("\n");
  if (result.vote && n > 1) {
    const noAnswer = result.samples.filter((s) => s.answer === null && s.finishReason !== "abort").length;
    const lines = result.vote.map((c) => `  ${c.answer}: ${c.size} of ${n} (samples ${c.members.join(", ")})`);
    if (noAnswer > 0) lines.push(`  (no answer): ${noAnswer}`);
    writeText(`\nVotes:\n${lines.join("\n")}\n`);
  }
  if (result.scores && n > 1) writeText(`\nReward scores: ${result.scores.map((s, i) => `${i}: ${s.toFixed(3)}`).join(", ")} (selected: sample ${result.selected})\n`);
  if (result.earlyStop && result.earlyStop.samplesSaved > 0)
    writeText(`Stopped early: the vote was decided after ${result.earlyStop.samplesRun} of ${n} samples.\n`);
  writeText(`\nFinal answer: ${result.answer ?? "(none found)"}\n`);
  const t = result.timings;
  process.stderr.write(
    `[${result.model}: ${result.usage.promptTokens} prompt + ${result.usage.completionTokens} generated tokens, ` +
      `${t.tokensPerSecond.toFixed(1)} tokens/s, ${(t.totalMs / 1000).toFixed(1)} s]\n`,
  );
  return 0;
}
