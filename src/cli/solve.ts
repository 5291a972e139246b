/** qmath solve: stream a solution to the terminal and print the final answer, or print one JSON object. */
import { QmathError } from "../errors.js";
import { isPromptFormat, PROMPT_FORMATS } from "../prompts/formats.js";
import { solve } from "../solve/solve.js";
import { MODEL_FLAGS, MODEL_FLAGS_HELP, modelSetup, parse, positiveInt, readProblem } from "./flags.js";
import { downloadProgressBar } from "./progress.js";

const HELP = `usage: qmath solve [options] "<problem>"
       qmath solve [options] --file problem.txt
       echo "<problem>" | qmath solve [options]

Streams a step-by-step solution, then prints the final (\\boxed{}) answer.

options:
  -n, --n N              samples; the most common answer wins (default 1)
      --mode cot         reasoning mode (default cot)
      --prompt-format F  ${PROMPT_FORMATS.join(" | ")} (default: the model's own)
  -f, --file FILE        read the problem from a file
      --json             print one JSON object (problem, model, answer, text, samples, usage, timings)
${MODEL_FLAGS_HELP}
  -h, --help             this help`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...MODEL_FLAGS,
    n: { type: "string", short: "n" },
    mode: { type: "string" },
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
  const mode = (values.mode as string | undefined) ?? "cot";
  if (mode !== "cot") throw new QmathError("bad_input", `Unknown --mode '${mode}'.`, "Use --mode cot.");
  const formatFlag = values["prompt-format"] as string | undefined;
  if (formatFlag !== undefined && !isPromptFormat(formatFlag))
    throw new QmathError("bad_input", `Unknown --prompt-format '${formatFlag}'.`, `Use one of ${PROMPT_FORMATS.join(", ")}.`);
  const problem = await readProblem(positionals, values.file as string | undefined);
  const json = Boolean(values.json);

  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once("SIGINT", onSigint);
  try {
    const result = await solve(problem, {
      ...setup,
      n,
      mode,
      promptFormat: formatFlag as never,
      signal: abort.signal,
      onDownloadStart: (url) => process.stderr.write(`Downloading ${url}\n`),
      onDownloadProgress: downloadProgressBar("  model"),
      onText: json ? undefined : (index, delta) => index === 0 && process.stdout.write(delta),
    });
    if (json) {
      process.stdout.write(JSON.stringify(result) + "\n");
    } else {
      process.stdout.write("\n");
      if (n > 1) {
        const answers = result.samples.map((s) => `  #${s.index}: ${s.answer ?? "(no answer)"}`);
        process.stdout.write(`\nAnswers of the ${n} samples:\n${answers.join("\n")}\n`);
      }
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
  }
}
