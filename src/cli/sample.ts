/** qmath sample: rejection sampling for fine-tuning data, written as chat conversations. */
import { open } from "node:fs/promises";
import { QmathError } from "../errors.js";
import { loadProblems, type ProblemSources } from "../datasets/sources.js";
import { createOutcomeRewardModel } from "../rewards/outcome-rm.js";
import { createProcessRewardModel } from "../rewards/process-rm.js";
import { rejectionSample, type SampleProblem } from "../rewards/sample.js";
import type { RewardScorer } from "../select/reward.js";
import { MODEL_FLAGS, MODEL_FLAGS_HELP, modelSetup, parse, positiveInt } from "./flags.js";
import { downloadProgressBar } from "./progress.js";

const HELP = `usage: qmath sample --data SETS --out FILE [options]

Rejection sampling: N samples per problem, keep those whose final answer is equivalent to
the reference (and that finished on their own; repeated texts once), rank them, keep the
best K, and append them to FILE as JSON lines in the chat format trainers take:
  {"messages": [{"role": "system", ...}, {"role": "user", ...}, {"role": "assistant", ...}]}

Ranking: by the reward model's score with --rm-url (higher first); without one, by the
rule reward (1, plus --format-reward for exactly one \\boxed{}), shorter solutions first on
ties, then the earlier sample.

options:
  -d, --data LIST        comma-separated dataset names (math500, gsm8k, ...) or .jsonl files
      --data-dir DIR     folder with <name>/test.jsonl files (default: cache, download when missing)
      --question-field F, --answer-field F   field names for local .jsonl files
      --limit N          the first N problems of each source
  -n, --n N              samples per problem (default 8)
  -k, --k K              conversations kept per problem (default 1)
      --out FILE         where the conversations go (appended)
      --rm-url URL       rank by the reward model on this vLLM server (see qmath score)
      --prm              the server runs the process reward model (score: the weakest step)
      --rm-model M       the reward model's served name
      --format-reward F  rule-reward ranking: bonus for exactly one \\boxed{} (default 0)
${MODEL_FLAGS_HELP}
  -h, --help             this help

Sampling uses temperature 0.7 and top-p 0.8 unless given (the setting of best-of-N).
Progress goes to stderr, one line per problem.`;

/** The problems of --data, as rejection sampling takes them; unusable lines of local files are reported and skipped. */
async function sampleProblems(sources: ProblemSources): Promise<SampleProblem[]> {
  const { problems, errors } = await loadProblems(sources);
  for (const e of errors) process.stderr.write(`qmath sample: ${e.source}: ${e.message} (skipped)\n`); // the message names the line
  return problems.map((p) => ({ id: `${p.dataset}/${p.id}`, question: p.question, reference: p.reference, dataset: p.dataset }));
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      ...MODEL_FLAGS,
      data: { type: "string", short: "d" },
      "data-dir": { type: "string" },
      "question-field": { type: "string" },
      "answer-field": { type: "string" },
      limit: { type: "string" },
      n: { type: "string", short: "n" },
      k: { type: "string", short: "k" },
      out: { type: "string" },
      "rm-url": { type: "string" },
      prm: { type: "boolean" },
      "rm-model": { type: "string" },
      "format-reward": { type: "string" },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  const setup = modelSetup(values);
  const data = ((values.data as string | undefined) ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (data.length === 0) throw new QmathError("bad_input", "No data given.", "Pass --data with dataset names or a .jsonl file, for example --data gsm8k.");
  const outPath = values.out as string | undefined;
  if (!outPath) throw new QmathError("bad_input", "--out is required.", "Name the JSONL file the conversations go to, e.g. --out sft.jsonl.");
  const n = positiveInt("n", values.n as string | undefined) ?? 8;
  const k = positiveInt("k", values.k as string | undefined) ?? 1;
  const limit = positiveInt("limit", values.limit as string | undefined);
  const formatRaw = values["format-reward"] as string | undefined;
  const format = formatRaw === undefined ? undefined : Number(formatRaw);
  if (format !== undefined && (formatRaw!.trim() === "" || !Number.isFinite(format))) throw new QmathError("bad_input", `--format-reward must be a number, not '${formatRaw}'.`);
  const rmUrl = values["rm-url"] as string | undefined;
  if (values.prm && !rmUrl) throw new QmathError("bad_input", "--prm goes with --rm-url.");
  const rmOptions = { baseUrl: rmUrl ?? "", model: values["rm-model"] as string | undefined, apiKey: process.env.QMATH_RM_API_KEY || undefined };
  const scorer: RewardScorer | undefined = rmUrl ? (values.prm ? createProcessRewardModel(rmOptions) : createOutcomeRewardModel(rmOptions)) : undefined;

  const problems = await sampleProblems({
    data,
    dataDir: values["data-dir"] as string | undefined,
    download: setup.download,
    questionField: values["question-field"] as string | undefined,
    answerField: values["answer-field"] as string | undefined,
    limit,
  });
  if (problems.length === 0) throw new QmathError("bad_input", "The data has no problems.");

  let file;
  try {
    file = await open(outPath, "a");
  } catch (e) {
    throw new QmathError("bad_input", `Cannot write ${outPath} (${(e as NodeJS.ErrnoException).code ?? String(e)}).`, "Check the path given to --out.");
  }
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once("SIGINT", onSigint);
  let kept = 0;
  let solved = 0;
  try {
    await rejectionSample(problems, {
      ...setup,
      n,
      k,
      scorer,
      format,
      signal: abort.signal,
      onDownloadStart: (url) => process.stderr.write(`Downloading ${url}\n`),
      onDownloadProgress: downloadProgressBar("  model"),
      onProblem: async (r, i) => {
        if (r.kept.length > 0) solved++;
        kept += r.kept.length;
        if (r.kept.length > 0) await file.write(r.kept.map((e) => JSON.stringify(e)).join("\n") + "\n");
        process.stderr.write(`[${i + 1}/${problems.length}] ${r.id}: ${r.correct} of ${r.samples} correct, kept ${r.kept.length}\n`);
      },
    });
  } finally {
    process.off("SIGINT", onSigint);
    await file.close();
  }
  process.stderr.write(`Wrote ${kept} conversation${kept === 1 ? "" : "s"} for ${solved} of ${problems.length} problems to ${outPath}.\n`);
  return 0;
}
