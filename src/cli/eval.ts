/** qmath eval: the benchmark tables, resumable; or scoring of recorded outputs. */
import { join } from "node:path";
import { QmathError } from "../errors.js";
import { scoreOutputs } from "../eval/from-outputs.js";
import { formatBreakdowns, formatSummaryTable, writeReports } from "../eval/report.js";
import { runEval, type EvalProgress } from "../eval/runner.js";
import { summarize } from "../eval/summary.js";
import { isPromptFormat, PROMPT_FORMATS } from "../prompts/formats.js";
import { SELECT_METHODS, SOLVE_MODES, type SelectMethod, type SolveMode } from "../solve/solve.js";
import { MODEL_FLAGS, MODEL_FLAGS_HELP, modelSetup, parse, positive, positiveInt } from "./flags.js";
import { downloadProgressBar } from "./progress.js";
import { REWARD_FLAGS, REWARD_FLAGS_HELP, rewardScorerFromFlags } from "./reward-flags.js";

const HELP = `usage: qmath eval --data math500,gsm8k [options] --out runs/NAME
       qmath eval --from-outputs FILE --k 8 [--json]

Runs the benchmark sets, writing every finished problem to runs/NAME/results.jsonl at once.
Running the same command again (or with --resume) continues where it stopped; a folder made
with other settings is refused. Ends with a table per dataset, summary.json and report.md.

options:
  -d, --data LIST        comma-separated dataset names (math500, gsm8k, aime24, ...) or .jsonl files
  -o, --out DIR          the run folder (required)
      --resume           continue the run in --out (re-running into it does the same)
      --mode cot|tir     reasoning mode (default cot)
  -n, --n N              samples per problem (default 1)
      --select S         how the answer of N samples is chosen: maj, rm, prm (reward models,
                         with --rm-url) or first (default maj)
${REWARD_FLAGS_HELP}
      --limit N          the first N problems of each dataset
      --concurrency C    problems at once (default: parallel samples / n)
      --prompt-format F  ${PROMPT_FORMATS.join(" | ")} (default: the model's own)
      --max-calls N      TIR: code executions per sample (default 4)
      --cell-timeout S   TIR: seconds per code cell (default 5)
      --unsafe-no-sandbox  TIR: run model code without bubblewrap (dangerous: see the README)
      --data-dir DIR     folder with <name>/test.jsonl files (default: cache, download when missing)
      --question-field F, --answer-field F   field names for local .jsonl files
                         (default: question or problem, answer or gt)
      --fewshot-file PATH  base models: the harness's evaluation/examples.py (default
                         $QMATH_FEWSHOT_FILE, else the cache, else a download)
      --from-outputs FILE  score recorded outputs of the reference harness (no model)
      --k K              with --from-outputs: samples per problem to score (default 8)
      --json             print the metrics as one JSON object
${MODEL_FLAGS_HELP}
  -h, --help             this help`;

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
  const { values } = parse(
    argv,
    {
      ...MODEL_FLAGS,
    ...REWARD_FLAGS,
      data: { type: "string", short: "d" },
      out: { type: "string", short: "o" },
      resume: { type: "boolean" },
      mode: { type: "string" },
      n: { type: "string", short: "n" },
      select: { type: "string" },
      limit: { type: "string" },
      concurrency: { type: "string" },
      "prompt-format": { type: "string" },
      "max-calls": { type: "string" },
      "cell-timeout": { type: "string" },
      "unsafe-no-sandbox": { type: "boolean" },
      "data-dir": { type: "string" },
      "question-field": { type: "string" },
      "answer-field": { type: "string" },
      "fewshot-file": { type: "string" },
      "from-outputs": { type: "string" },
      k: { type: "string" },
      json: { type: "boolean" },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }

  const fromOutputs = values["from-outputs"] as string | undefined;
  if (fromOutputs !== undefined) {
    const k = positiveInt("k", values.k as string | undefined) ?? 8;
    const scored = await scoreOutputs(fromOutputs, { k });
    for (const e of scored.errors) process.stderr.write(`qmath eval: ${fromOutputs} line ${e.line}: ${e.message}\n`);
    if (values.json) process.stdout.write(JSON.stringify(scored.metrics) + "\n");
    else {
      process.stdout.write(formatSummaryTable(scored.summary) + "\n");
      process.stdout.write(Object.entries(scored.metrics).map(([key, v]) => `${key}: ${v.toFixed(1)}`).join("  ") + "\n");
    }
    return scored.errors.length > 0 ? 1 : 0;
  }

  const data = ((values.data as string | undefined) ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (data.length === 0) throw new QmathError("bad_input", "No data given.", "Pass --data with dataset names, for example --data math500,gsm8k.");
  const out = values.out as string | undefined;
  if (!out) throw new QmathError("bad_input", "No run folder given.", "Pass --out runs/NAME (re-running into it continues the run).");
  const mode = ((values.mode as string | undefined) ?? "cot") as SolveMode;
  if (!SOLVE_MODES.includes(mode)) throw new QmathError("bad_input", `Unknown --mode '${mode}'.`, "Use --mode cot or --mode tir.");
  const select = ((values.select as string | undefined) ?? "maj") as SelectMethod;
  if (!SELECT_METHODS.includes(select)) throw new QmathError("bad_input", `Unknown --select '${select}'.`, `Use --select ${SELECT_METHODS.join(", ")}.`);
  const rewardScorer = rewardScorerFromFlags(select, values);
  const formatFlag = values["prompt-format"] as string | undefined;
  if (formatFlag !== undefined && !isPromptFormat(formatFlag))
    throw new QmathError("bad_input", `Unknown --prompt-format '${formatFlag}'.`, `Use one of ${PROMPT_FORMATS.join(", ")}.`);
  const setup = modelSetup(values);
  const n = positiveInt("n", values.n as string | undefined) ?? 1;
  const cellTimeout = positive("cell-timeout", values["cell-timeout"] as string | undefined);

  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once("SIGINT", onSigint);
  try {
    const result = await runEval({
      data,
      out,
      mode,
      n,
      select,
      rewardScorer,
      temperature: setup.temperature,
      topP: setup.topP,
      topK: setup.topK,
      seed: setup.seed,
      maxTokens: setup.maxTokens,
      limit: positiveInt("limit", values.limit as string | undefined),
      concurrency: positiveInt("concurrency", values.concurrency as string | undefined),
      promptFormat: formatFlag as never,
      maxCalls: positiveInt("max-calls", values["max-calls"] as string | undefined),
      sandboxOptions: {
        isolation: values["unsafe-no-sandbox"] ? "none" : "bwrap",
        ...(cellTimeout !== undefined && { timeoutMs: cellTimeout * 1000 }),
      },
      dataDir: values["data-dir"] as string | undefined,
      download: setup.download,
      questionField: values["question-field"] as string | undefined,
      answerField: values["answer-field"] as string | undefined,
      fewShotFile: values["fewshot-file"] as string | undefined,
      engineSetup: {
        engineKind: setup.engineKind,
        baseUrls: setup.baseUrls,
        apiKey: setup.apiKey,
        model: setup.model,
        threads: setup.threads,
        useMmap: setup.useMmap,
        gpu: setup.gpu,
        download: setup.download,
        onDownloadStart: (url) => process.stderr.write(`Downloading ${url}\n`),
        onDownloadProgress: downloadProgressBar("  model"),
      },
      onProgress: progressLine(),
      signal: abort.signal,
    });
    for (const e of result.dataErrors) process.stderr.write(`qmath eval: ${e.source} ${e.message}\n`); // the message names the line
    if (result.resumed > 0) process.stderr.write(`Continued a run: ${result.resumed} problems were already done, ${result.ran} ran now.\n`);
    const summary = summarize(result.records, { k: n });
    await writeReports(out, summary, result.config);
    if (values.json) process.stdout.write(JSON.stringify(summary) + "\n");
    else {
      const breakdowns = formatBreakdowns(summary);
      process.stdout.write(formatSummaryTable(summary) + "\n" + (breakdowns ? `\n${breakdowns}\n` : ""));
      process.stdout.write(`\nReports: ${join(out, "report.md")}, ${join(out, "summary.json")}\n`);
    }
    return result.dataErrors.length > 0 ? 1 : 0;
  } finally {
    process.off("SIGINT", onSigint);
  }
}
