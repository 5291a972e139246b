/**
 * The evaluation runner: the solve pipeline over benchmark problems, several problems at a
 * time, every finished problem appended to the run folder at once, and a re-run continuing
 * where the last one stopped.
 */
import { equivalent, type EquivalenceOptions } from "../answers/equivalent.js";
import { version } from "../config.js";
import { fewShotsFor, loadHarnessExamples } from "../datasets/fewshot.js";
import { answerStyleOf, findDataset } from "../datasets/registry.js";
import { loadProblems } from "../datasets/sources.js";
import type { Engine } from "../engine/types.js";
import { isQmathError, QmathError } from "../errors.js";
import { createSandbox } from "../sandbox/index.js";
import type { RunOptions } from "../solve/options.js";
import { parallelSamples, resolveRunPlan } from "../solve/plan.js";
import { solve } from "../solve/solve.js";
import type { ProblemRecord, SampleRecord } from "./record.js";
import { problemKey, RunFolder, type RunConfig } from "./run-folder.js";

/** The run's options (the same groups as solve's), and where its problems come from. */
export interface EvalOptions extends RunOptions {
  /** Dataset names (see the datasets registry) or paths to local .jsonl files. */
  data: string[];
  /** The run folder. */
  out: string;
  /** Problems per dataset (the first ones). */
  limit?: number;
  /** Where benchmark files are (a folder of <name>/test.jsonl), and whether to download missing ones (sets and the few-shot examples). */
  dataDir?: string;
  download?: boolean;
  /** Field names for local .jsonl files (default: the usual names, question/problem and answer/gt). */
  questionField?: string;
  answerField?: string;
  /** Base models (few-shot format): a local copy of the harness's examples.py (default $QMATH_FEWSHOT_FILE, else the cache or a download). */
  fewShotFile?: string;
  /** Problems solved at once (default: as many as the engine runs samples at once, divided by a problem's parallel samples). */
  concurrency?: number;
  onProgress?: (progress: EvalProgress) => void;
  signal?: AbortSignal;
}

export interface EvalProgress {
  /** Problems finished, including those found finished in the run folder. */
  done: number;
  total: number;
  /** Finished problems whose selected answer is correct. */
  correct: number;
  /** Problems found finished in the run folder at the start. */
  resumed: number;
  dataset: string;
  elapsedMs: number;
  /** Estimated time left, from the problems run in this session. */
  etaMs: number;
}

export interface EvalResult {
  records: ProblemRecord[];
  config: RunConfig;
  /** Problems found finished in the run folder. */
  resumed: number;
  /** Problems run now. */
  ran: number;
  /** Lines of local .jsonl files that could not be used. */
  dataErrors: { source: string; line: number; message: string }[];
  /** Wall-clock milliseconds of this session, and the part spent inside the engine generating. */
  wallMs: number;
  generateMs: number;
}

/** Engine slots an evaluation wants: at least 8, so that several problems run at once. */
export function evalEngineParallel(options: RunOptions & { concurrency?: number }): number {
  const perProblem = parallelSamples(options);
  return options.concurrency ? perProblem * options.concurrency : Math.max(perProblem, 8);
}

function sampleRecords(result: Awaited<ReturnType<typeof solve>>, reference: string, equivalence: EquivalenceOptions | undefined): SampleRecord[] {
  return result.samples.map((s, i) => {
    const verdict = s.answer === null ? { equivalent: false, reason: "unparseable" as const } : equivalent(s.answer, reference, equivalence);
    const record: SampleRecord = {
      text: s.text,
      answer: s.answer,
      correct: verdict.equivalent,
      reason: verdict.reason,
      finishReason: s.finishReason,
      tokens: s.usage.completionTokens,
    };
    if (s.cells) record.cells = s.cells;
    if (result.scores) record.score = result.scores[i];
    return record;
  });
}

/** Runs an evaluation on an engine (left open). */
export async function runEval(engine: Engine, options: EvalOptions): Promise<EvalResult> {
  const started = performance.now();
  // Evaluation repeats exactly: an unset seed is 0.
  const plan = resolveRunPlan(options, { model: engine.info.model, reproducible: true });
  const { problems, errors: dataErrors, files: dataFiles } = await loadProblems(options);
  if (problems.length === 0) throw new QmathError("bad_input", "No problems to evaluate.", "Check --data (and --limit).");

  const ownSandbox = plan.tir && !options.tir?.sandbox ? await createSandbox({ spares: 8, ...options.tir?.sandboxOptions }) : undefined;
  const sandbox = options.tir?.sandbox ?? ownSandbox;
  let folder: RunFolder | undefined;
  try {
    const config: RunConfig = { model: engine.info.model, data: options.data, limit: options.limit ?? null, plan };
    // Base models get the harness's shots, read from its published file before anything runs.
    const examples =
      plan.promptFormat === "few-shot" && problems.some((p) => findDataset(p.dataset)?.fewShot)
        ? await loadHarnessExamples({ file: options.fewShotFile, download: options.download, signal: options.signal })
        : undefined;
    const runFolder = RunFolder.open(options.out, config, { qmath: version, created: new Date().toISOString() }, dataFiles);
    folder = runFolder;
    const known = new Set(problems.map((p) => problemKey(p.dataset, p.id)));
    const previous = runFolder.readRecords().filter((r) => known.has(problemKey(r.dataset, r.id)));
    const done = new Set(previous.map((r) => problemKey(r.dataset, r.id)));
    const todo = problems.filter((p) => !done.has(problemKey(p.dataset, p.id)));

    const records = [...previous];
    let correct = previous.filter((r) => r.correct).length;
    let ran = 0;
    let generateMs = 0;
    const sessionStart = performance.now();
    const concurrency = Math.max(1, options.concurrency ?? Math.floor(engine.info.maxParallel / plan.parallel));
    // Every problem runs the resolved plan: the same format, sampling and seed.
    const problemOptions = {
      ...options,
      promptFormat: plan.promptFormat,
      sampling: { ...options.sampling, seed: plan.sampling.seed ?? 0 },
      tir: { ...options.tir, sandbox },
    };
    let next = 0;
    let failure: { error: unknown } | undefined;

    const worker = async () => {
      while (next < todo.length && !options.signal?.aborted && !failure) {
        const problem = todo[next++]!;
        const t0 = performance.now();
        const result = await solve(engine, problem.question, {
          ...problemOptions,
          shots: examples ? (fewShotsFor(findDataset(problem.dataset), examples, problem.reference) ?? undefined) : undefined,
          answerStyle: answerStyleOf(problem.dataset),
          signal: options.signal,
        });
        const samples = sampleRecords(result, problem.reference, options.selection?.equivalence);
        const record: ProblemRecord = {
          dataset: problem.dataset,
          id: problem.id,
          question: problem.question,
          reference: problem.reference,
          ...(problem.level !== undefined && { level: problem.level }),
          ...(problem.subject !== undefined && { subject: problem.subject }),
          samples,
          selected: result.selected,
          answer: result.answer,
          correct: samples[result.selected]?.correct ?? false,
          timeMs: performance.now() - t0,
        };
        await runFolder.append(record);
        records.push(record);
        ran++;
        generateMs += result.timings.generateMs;
        if (record.correct) correct++;
        const elapsed = performance.now() - sessionStart;
        options.onProgress?.({
          done: previous.length + ran,
          total: problems.length,
          correct,
          resumed: previous.length,
          dataset: problem.dataset,
          elapsedMs: elapsed,
          etaMs: (elapsed / ran) * (todo.length - ran),
        });
      }
    };
    const interrupted = () =>
      new QmathError("aborted", `Interrupted after ${previous.length + ran} of ${problems.length} problems; they are saved in ${options.out}.`, "Run the same command again to continue.");
    // A failing problem (or a full disk) stops the others from starting new problems; the run
    // ends once those in flight are written, so the lock and sandbox outlive every write.
    const guarded = async () => {
      try {
        await worker();
      } catch (e) {
        failure ??= { error: e };
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, guarded));
    if (failure) {
      const e = failure.error;
      throw options.signal?.aborted && isQmathError(e) && e.code === "aborted" ? interrupted() : e;
    }
    if (options.signal?.aborted) throw interrupted();
    // Report in the order of the data, whatever order the problems finished in.
    const order = new Map(problems.map((p, i) => [problemKey(p.dataset, p.id), i]));
    records.sort((a, b) => order.get(problemKey(a.dataset, a.id))! - order.get(problemKey(b.dataset, b.id))!);
    return { records, config, resumed: previous.length, ran, dataErrors, wallMs: performance.now() - started, generateMs };
  } finally {
    folder?.close();
    if (ownSandbox) await ownSandbox.close();
  }
}
