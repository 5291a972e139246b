/** qmath check: a worked solution judged step by step (one solution, or JSON lines in batch). */
import { readFile } from "node:fs/promises";
import { checkSolution, type CheckResult } from "../check/index.js";
import { explainFirstError, type Explanation } from "../check/explain.js";
import { withEngine } from "../engine/create.js";
import { interruptSignal } from "./interrupt.js";
import { addModelOptions, modelSetup } from "./model-flags.js";
import { addRewardOptions, processRewardModel } from "./reward-flags.js";
import { prmScores, type PrmScores } from "../check/prm.js";
import { finalByModelVote } from "../check/vote.js";
import { integerFlag, MAX_SAMPLES } from "./number-flag.js";
import { downloadProgressBar } from "./progress.js";
import { QmathError } from "../errors.js";
import type { JsonObject } from "../jsonl.js";
import { createCommand, HELP_SHOWN, openInput, parseCommand, readStdin } from "./command.js";
import { processLines } from "./line-batch.js";

export function buildCommand() {
  const command = addModelOptions(
    createCommand(
      "check",
    `Checks a worked solution step by step: every equality chain is evaluated exactly, every equation
is compared with the one it came from, and the final answer is graded against --reference (or
substituted back into the problem's equation). Steps are ok, error (with a reason) or unchecked.
Batch: --file in.jsonl with lines {"problem", "solution", "reference"?}; one JSON line out per line, in order.
With --explain, a model (the model options) explains the first error to the student; its text is labelled as the model's.
With --rm-url (Qwen2.5-Math-PRM-7B on vLLM), each step gets the process reward model's score of its paragraph.`,
    ),
  )
    .usage("--problem TEXT --solution FILE [--reference ANSWER] [--json]   |   --file IN.jsonl")
    .option("--problem <TEXT>", "the problem statement")
    .option("--solution <FILE>", "the worked solution (a file; - for stdin)")
    .option("--reference <ANSWER>", "the reference answer (the final answer is graded against it)")
    .option("--file <FILE>", "batch: JSON lines {problem, solution, reference?} (- for stdin)")
    .option("--json", "print the result as JSON (single solution)")
    .option("--explain", "a model explains the first error, given what the check found (single solution; loads the model only when a step is an error)")
    .option("--vote <N>", "without a reference or an equation to substitute into: compare the final answer with the majority answer of N model samples", integerFlag("vote", 1, MAX_SAMPLES));
  return addRewardOptions(command)
    .addHelpText(
      "after",
      '\nExit code: 0 when no step is an error, 1 when one is (single), or when a batch line is malformed\n({"error": "line N: ..."} in its place); 2 on bad usage.',
    );
}

/** The JSON shape of a result: the library's, as is. */
const asJson = (r: CheckResult) => ({ steps: r.steps, firstError: r.firstError, finalAnswer: r.finalAnswer });

export function checkLine(v: JsonObject, lineNo: number): { ok: true; out: Record<string, unknown> } | { ok: false; out: { error: string } } {
  const fail = (error: string) => ({ ok: false as const, out: { error: `line ${lineNo}: ${error}` } });
  if (typeof v.problem !== "string") return fail("'problem' must be a string");
  if (typeof v.solution !== "string") return fail("'solution' must be a string");
  if (v.reference !== undefined && v.reference !== null && typeof v.reference !== "string" && typeof v.reference !== "number") return fail("'reference' must be a string or a number");
  const reference = v.reference === undefined || v.reference === null ? undefined : String(v.reference);
  try {
    return { ok: true, out: asJson(checkSolution({ problem: v.problem, solution: v.solution, reference })) };
  } catch (e) {
    if (e instanceof QmathError) return fail(e.message);
    throw e;
  }
}

async function readSolution(file: string): Promise<string> {
  if (file === "-") return readStdin();
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw new QmathError("bad_input", `Cannot read the solution file ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}).`, "Check the path given to --solution.");
  }
}

export async function run(argv: string[]): Promise<number> {
  const command = buildCommand();
  if (parseCommand(command, argv) === HELP_SHOWN) return 0;
  const o = command.opts();
  const setup = modelSetup(o); // bad model flags are refused before anything is read
  if (o.file !== undefined) {
    if (o.problem !== undefined || o.solution !== undefined || o.reference !== undefined) throw new QmathError("bad_input", "Give either --file (a batch) or --problem/--solution, not both.");
    if (o.explain) throw new QmathError("bad_input", "--explain explains one solution at a time.", "Use it with --problem and --solution, or POST /v1/check with explain: true for a batch.");
    if (o.vote !== undefined) throw new QmathError("bad_input", "--vote checks one solution at a time.", "Use it with --problem and --solution.");
    const errors = await processLines(await openInput(o.file), checkLine);
    if (errors > 0) process.stderr.write(`qmath check: ${errors} malformed line${errors === 1 ? "" : "s"} (see the error lines)\n`);
    return errors > 0 ? 1 : 0;
  }
  if (o.problem === undefined || o.solution === undefined) {
    throw new QmathError("bad_input", "qmath check needs --problem and --solution (or --file for a batch).", 'E.g. qmath check --problem "Solve 2x+3=7" --solution work.txt');
  }
  const solution = await readSolution(o.solution);
  const input = { problem: o.problem, solution, reference: o.reference };
  let r = checkSolution(input);
  // --rm-url: the process reward model's score of each step's paragraph, beside the verdicts
  const prm: PrmScores | null = o.rmUrl === undefined ? null : await prmScores(processRewardModel(o.rmUrl, o), input, r);
  let explanation = null as Explanation | null;
  // a model is loaded only when it has something to do: an error to explain, an answer to vote on
  const explain = Boolean(o.explain) && r.firstError !== null;
  const vote = o.vote !== undefined && r.finalAnswer.method === "none" && r.finalAnswer.answer !== null;
  if (explain || vote) {
    const signal = interruptSignal();
    const engineSetup = {
      ...setup.engine,
      maxParallel: vote ? Math.min(o.vote!, 64) : 1,
      signal,
      onDownloadStart: (url: string) => process.stderr.write(`Downloading ${url}\n`),
      onDownloadProgress: downloadProgressBar("  model"),
    };
    await withEngine(engineSetup, async ({ engine }) => {
      if (vote) r = await finalByModelVote(engine, input, r, { n: o.vote, sampling: setup.sampling, signal });
      if (explain) explanation = await explainFirstError(engine, input, r, { sampling: setup.sampling, signal });
    });
  }
  if (o.json) process.stdout.write(JSON.stringify({ ...asJson(r), ...(prm && { prm }), ...(explanation && { explanation }) }) + "\n");
  else process.stdout.write(render(r, prm) + (explanation ? renderExplanation(explanation) : ""));
  return r.firstError === null ? 0 : 1;
}

function renderExplanation(e: Explanation): string {
  return `\nexplanation of step ${e.step + 1}, written by the model ${e.model} (not checked):\n${e.text}\n`;
}

function render(r: CheckResult, prm: PrmScores | null): string {
  const score = (i: number) => {
    const v = prm?.steps[i];
    return prm ? (v === null || v === undefined ? "  prm  -  " : `  prm ${v.toFixed(2)}`) : "";
  };
  const lines = r.steps.map((s, i) => `${String(i + 1).padStart(3)}. ${s.verdict.padEnd(9)}${score(i)} ${s.text.replace(/\s+/g, " ")}\n${" ".repeat(15)}${s.reason}`);
  if (prm) lines.unshift(`(prm: the score ${prm.model} gives the step's paragraph, beside the exact verdict)`);
  const first = r.firstError === null ? "no step is an error" : `first error: step ${r.firstError + 1}`;
  const f = r.finalAnswer;
  return [...lines, "", first, `final answer: ${f.answer ?? "(none)"}: ${f.verdict} (${f.reason})`, ""].join("\n");
}
