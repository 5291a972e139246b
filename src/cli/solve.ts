/** qmath solve: stream a solution to the terminal and print the final answer, or print one JSON object. */
import { QmathError } from "../errors.js";
import { withEngine } from "../engine/create.js";
import { isPromptFormat, PROMPT_FORMATS } from "../prompts/formats.js";
import { createSandbox } from "../sandbox/index.js";
import { SELECT_METHODS, SOLVE_MODES, type RunOptions, type SelectMethod, type SolveMode } from "../solve/options.js";
import { parallelSamples, resolveRunPlan } from "../solve/plan.js";
import { solve } from "../solve/solve.js";
import { MODEL_FLAGS, MODEL_FLAGS_HELP, modelSetup, parse, positive, positiveInt, readProblem } from "./flags.js";
import { downloadProgressBar } from "./progress.js";
import { REWARD_FLAGS, REWARD_FLAGS_HELP, rewardScorerFromFlags } from "./reward-flags.js";

const HELP = `usage: qmath solve [options] "<problem>"
       qmath solve [options] --file problem.txt
       echo "<problem>" | qmath solve [options]

Streams a step-by-step solution, then prints the final (\\boxed{}) answer.

options:
  -n, --n N              samples, sharing one prompt evaluation (default 1)
      --select S         how to choose among N samples: maj (the largest cluster of equivalent
                         answers; ties: the earliest sample), rm / prm (the highest reward-model
                         score, with --rm-url), first (default maj)
${REWARD_FLAGS_HELP}
      --early-stop       with --select maj: stop sampling once the leading answer cannot be
                         overtaken by the samples still to come
      --mode cot|tir     chain of thought, or tool-integrated reasoning: the model's Python runs
                         in the sandbox and its output goes back into the answer (default cot)
      --max-calls N      TIR: code executions per sample (default 4)
      --cell-timeout S   TIR: seconds each code cell may run (default 5)
      --python PATH      TIR: Python with sympy and numpy (default /usr/bin/python3)
      --unsafe-no-sandbox  TIR: run model code without bubblewrap (dangerous: see the README)
      --prompt-format F  ${PROMPT_FORMATS.join(" | ")} (default: the model's own)
  -f, --file FILE        read the problem from a file
      --json             print one JSON object (problem, model, answer, text, samples, usage, timings)
${MODEL_FLAGS_HELP}
  -h, --help             this help`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...MODEL_FLAGS,
    ...REWARD_FLAGS,
    n: { type: "string", short: "n" },
    select: { type: "string" },
    "early-stop": { type: "boolean" },
    mode: { type: "string" },
    "max-calls": { type: "string" },
    "cell-timeout": { type: "string" },
    python: { type: "string" },
    "unsafe-no-sandbox": { type: "boolean" },
    "prompt-format": { type: "string" },
    file: { type: "string", short: "f" },
    json: { type: "boolean" },
  });
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  const setup = modelSetup(values);
  const n = positiveInt("n", values.n as string | undefined) ?? 1;
  const mode = ((values.mode as string | undefined) ?? "cot") as SolveMode;
  if (!SOLVE_MODES.includes(mode)) throw new QmathError("bad_input", `Unknown --mode '${mode}'.`, `Use --mode ${SOLVE_MODES.join(" or --mode ")}.`);
  const maxCalls = positiveInt("max-calls", values["max-calls"] as string | undefined);
  const select = ((values.select as string | undefined) ?? "maj") as SelectMethod;
  if (!SELECT_METHODS.includes(select)) throw new QmathError("bad_input", `Unknown --select '${select}'.`, `Use --select ${SELECT_METHODS.join(", ")}.`);
  const rewardScorer = rewardScorerFromFlags(select, values);
  const earlyStop = Boolean(values["early-stop"]);
  if (earlyStop && select !== "maj") throw new QmathError("bad_input", "--early-stop works with --select maj only.");
  const cellTimeout = positive("cell-timeout", values["cell-timeout"] as string | undefined);
  const formatFlag = values["prompt-format"] as string | undefined;
  if (formatFlag !== undefined && !isPromptFormat(formatFlag))
    throw new QmathError("bad_input", `Unknown --prompt-format '${formatFlag}'.`, `Use one of ${PROMPT_FORMATS.join(", ")}.`);
  const problem = await readProblem(positionals, values.file as string | undefined);
  const json = Boolean(values.json);

  const options: RunOptions = {
    mode,
    n,
    promptFormat: formatFlag !== undefined && isPromptFormat(formatFlag) ? formatFlag : undefined,
    sampling: setup.sampling,
    tir: {
      maxCalls,
      sandboxOptions: {
        isolation: values["unsafe-no-sandbox"] ? "none" : "bwrap",
        ...(values.python !== undefined && { python: values.python as string }),
        ...(cellTimeout !== undefined && { timeoutMs: cellTimeout * 1000 }),
      },
    },
    selection: { method: select, rewardScorer, earlyStop },
  };
  const plan = resolveRunPlan(options); // refuses bad combinations before a model loads

  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once("SIGINT", onSigint);
  // TIR: start the sandbox first, so a machine without one fails before a model is loaded.
  const sandbox = plan.tir ? await createSandbox({ spares: plan.sandboxSpares, ...options.tir?.sandboxOptions }) : undefined;
  try {
    const engineSetup = {
      ...setup.engine,
      maxParallel: parallelSamples(options),
      onDownloadStart: (url: string) => process.stderr.write(`Downloading ${url}\n`),
      onDownloadProgress: downloadProgressBar("  model"),
    };
    const { result, loadMs } = await withEngine(engineSetup, async ({ engine, loadMs }) => ({
      loadMs,
      result: await solve(engine, problem, {
        ...options,
        tir: { ...options.tir, sandbox },
        signal: abort.signal,
        callbacks: { onText: json ? undefined : (index, delta) => index === 0 && process.stdout.write(delta) },
      }),
    }));
    if (json) {
      process.stdout.write(JSON.stringify({ ...result, timings: { loadMs, ...result.timings } }) + "\n");
    } else {
      process.stdout.write("\n");
      if (result.vote && n > 1) {
        const noAnswer = result.samples.filter((s) => s.answer === null && s.finishReason !== "abort").length;
        const lines = result.vote.map((c) => `  ${c.answer}: ${c.size} of ${n} (samples ${c.members.join(", ")})`);
        if (noAnswer > 0) lines.push(`  (no answer): ${noAnswer}`);
        process.stdout.write(`\nVotes:\n${lines.join("\n")}\n`);
      }
      if (result.earlyStop && result.earlyStop.samplesSaved > 0)
        process.stdout.write(`Stopped early: the vote was decided after ${result.earlyStop.samplesRun} of ${n} samples.\n`);
      process.stdout.write(`\nFinal answer: ${result.answer ?? "(none found)"}\n`);
      const t = result.timings;
      process.stderr.write(
        `[${result.model}: ${result.usage.promptTokens} prompt + ${result.usage.completionTokens} generated tokens, ` +
          `${t.tokensPerSecond.toFixed(1)} tokens/s, ${(t.totalMs / 1000).toFixed(1)} s]\n`,
      );
    }
    return abort.signal.aborted ? 130 : 0;
  } finally {
    process.off("SIGINT", onSigint);
    await sandbox?.close();
  }
}
