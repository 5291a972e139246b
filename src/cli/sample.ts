/** qmath sample: rejection sampling for fine-tuning data, written as chat conversations. */
import { open } from "node:fs/promises";
import { withEngine } from "../engine/create.js";
import { isQmathError, QmathError } from "../errors.js";
import { loadProblems, type ProblemSources } from "../datasets/sources.js";
import { rejectionSample, type SampleProblem } from "../rewards/rejection-sampling.js";
import { commaList, createCommand, HELP_SHOWN, parseCommand } from "./command.js";
import { interruptSignal } from "./interrupt.js";
import { parallelSamples } from "../solve/plan.js";
import { addModelOptions, checkParallel, modelSetup, PARALLEL_HELP } from "./model-flags.js";
import { integerFlag, MAX_PROBLEMS, MAX_SAMPLES, numberFlag } from "./number-flag.js";
import { downloadProgressBar } from "./progress.js";
import { addRewardOptions, probeRewardModel, rewardModelFromFlags } from "./reward-flags.js";

/** How far from 0 the format bonus may be, either way (the correctness reward it adds to is 0 or 1). */
const MAX_FORMAT_REWARD = 100;

/** The command with its options (the tests read every command's flags from it). */
export function buildCommand() {
  const command = addModelOptions(
    createCommand(
      "sample",
      `Rejection sampling: N samples per problem, keep those whose final answer is equivalent to
the reference (and that finished on their own; repeated texts once), rank them, keep the
best K, and append them to FILE as JSON lines in the chat format trainers take:
  {"messages": [{"role": "system", ...}, {"role": "user", ...}, {"role": "assistant", ...}]}

Ranking: by the reward model's score with --rm-url (higher first; --prm for the process
reward model); without one, by the rule reward (1, plus --format-reward for exactly one
\\boxed{}), shorter solutions first on ties, then the earlier sample.
Sampling uses temperature 0.7 and top-p 0.8 unless given (the setting of best-of-N).
Progress goes to stderr, one line per problem; Ctrl-C stops after writing what is done.`,
    ),
  )
    .usage("--data SETS --out FILE [options]")
    .option("-d, --data <LIST>", "comma-separated dataset names (math500, gsm8k, ...) or .jsonl files", commaList)
    .option("--data-dir <DIR>", "folder with <name>/test.jsonl files (default: cache, download when missing)")
    .option("--question-field <F>", "the question's field name in local .jsonl files")
    .option("--answer-field <F>", "the answer's field name in local .jsonl files")
    .option("--limit <N>", "the first N problems of each source", integerFlag("limit", 1, MAX_PROBLEMS))
    .option("-n, --n <N>", "samples per problem", integerFlag("n", 1, MAX_SAMPLES), 8)
    .option("--parallel <P>", `${PARALLEL_HELP} (default: n)`, integerFlag("parallel", 1, MAX_SAMPLES))
    .option("-k, --k <K>", "conversations kept per problem", integerFlag("k", 1, MAX_SAMPLES), 1)
    .option("--out <FILE>", "where the conversations go (appended)")
    .option("--prm", "the --rm-url server runs the process reward model (score: the weakest step, or --prm-reduce)")
    .option("--format-reward <F>", "rule-reward ranking: bonus for exactly one \\boxed{} (default 0)", numberFlag({ name: "format-reward", min: -MAX_FORMAT_REWARD, max: MAX_FORMAT_REWARD }));
  return addRewardOptions(command);
}

/** The problems of --data, as rejection sampling takes them; unusable lines of local files are reported and skipped. */
async function sampleProblems(sources: ProblemSources): Promise<SampleProblem[]> {
  const { problems, errors } = await loadProblems(sources);
  for (const e of errors) process.stderr.write(`qmath sample: ${e.source}: ${e.message} (skipped)\n`); // the message names the line
  return problems.map((p) => ({ id: `${p.dataset}/${p.id}`, question: p.question, reference: p.reference, dataset: p.dataset }));
}

export async function run(argv: string[]): Promise<number> {
  const command = buildCommand();
  if (parseCommand(command, argv) === HELP_SHOWN) return 0;
  const values = command.opts();
  const setup = modelSetup(values);
  const data = values.data ?? [];
  if (data.length === 0) throw new QmathError("bad_input", "No data given.", "Pass --data with dataset names or a .jsonl file, for example --data gsm8k.");
  const outPath = values.out;
  if (!outPath) throw new QmathError("bad_input", "--out is required.", "Name the JSONL file the conversations go to, e.g. --out sft.jsonl.");
  const { n, k, limit } = values;
  if (values.prm && !values.rmUrl) throw new QmathError("bad_input", "--prm goes with --rm-url.");
  const scorer = rewardModelFromFlags(values.prm ? "prm" : "rm", values);
  checkParallel(values.engine, values.parallel);
  await probeRewardModel(scorer);

  const problems = await sampleProblems({
    data,
    dataDir: values.dataDir,
    download: setup.engine.download,
    questionField: values.questionField,
    answerField: values.answerField,
    limit,
  });
  if (problems.length === 0) throw new QmathError("bad_input", "The data has no problems.");

  let file;
  try {
    file = await open(outPath, "a");
  } catch (e) {
    throw new QmathError("bad_input", `Cannot write ${outPath} (${(e as NodeJS.ErrnoException).code ?? String(e)}).`, "Check the path given to --out.");
  }
  let kept = 0;
  let solved = 0;
  let done = 0;
  const summary = () => `${kept} conversation${kept === 1 ? "" : "s"} for ${solved} of ${done} problems`;
  try {
    const signal = interruptSignal();
    const engineSetup = {
      ...setup.engine,
      maxParallel: parallelSamples({ n, parallel: values.parallel }),
      signal,
      onDownloadStart: (url: string) => process.stderr.write(`Downloading ${url}\n`),
      onDownloadProgress: downloadProgressBar("  model"),
    };
    await withEngine(engineSetup, ({ engine }) =>
      rejectionSample(engine, problems, {
        n,
        k,
        parallel: values.parallel,
        sampling: setup.sampling,
        scorer,
        format: values.formatReward,
        signal,
        onProblem: async (r, i) => {
          done++;
          if (r.kept.length > 0) solved++;
          kept += r.kept.length;
          if (r.kept.length > 0) await file.write(r.kept.map((e) => JSON.stringify(e)).join("\n") + "\n");
          process.stderr.write(`[${i + 1}/${problems.length}] ${r.id}: ${r.correct} of ${r.samples} correct, kept ${r.kept.length}\n`);
        },
      }),
    );
  } catch (e) {
    if (isQmathError(e) && e.code === "aborted")
      throw new QmathError("aborted", `Interrupted after ${done} of ${problems.length} problems; ${summary()} are saved in ${outPath}.`);
    throw e;
  } finally {
    await file.close();
  }
  process.stderr.write(`Wrote ${summary()} to ${outPath}.\n`);
  return 0;
}
