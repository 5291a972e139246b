/**
 * The evaluation runner: the solve pipeline over benchmark problems, several problems at a
 * time, every finished problem appended to the run folder at once, and a re-run continuing
 * where the last one stopped.
 */
import { equivalent } from "../answers/equivalent.js";
import { fewShotsFor, loadHarnessExamples } from "../datasets/fewshot.js";
import { answerStyleOf, findDataset } from "../datasets/registry.js";
import { loadProblems } from "../datasets/sources.js";
import { createEngine, type EngineSetup } from "../engine/create.js";
import type { Engine } from "../engine/types.js";
import { isQmathError, QmathError } from "../errors.js";
import type { PromptFormat } from "../prompts/formats.js";
import { createSandbox, type Sandbox, type SandboxOptions } from "../sandbox/index.js";
import type { RewardScorer } from "../select/reward.js";
import { BEST_OF_N_SAMPLING, solve, type SelectMethod, type SolveMode } from "../solve/solve.js";
import { version } from "../version.js";
import type { ProblemRecord, SampleRecord } from "./record.js";
import { problemKey, RunFolder, type RunConfig } from "./run-folder.js";

export interface EvalOptions {
  /** Dataset names (see the datasets registry) or paths to local .jsonl files. */
  data: string[];
  /** The run folder. */
  out: string;
  /** Use this engine (left open); otherwise one is created from `engineSetup`. */
  engine?: Engine;
  engineSetup?: EngineSetup;
  mode?: SolveMode;
  n?: number;
  select?: SelectMethod;
  rewardScorer?: RewardScorer;
  temperature?: number;
  topP?: number;
  topK?: number;
  seed?: number;
  maxTokens?: number;
  /** Problems per dataset (the first ones). */
  limit?: number;
  promptFormat?: PromptFormat;
  maxCalls?: number;
  sandbox?: Sandbox;
  sandboxOptions?: SandboxOptions;
  /** Where benchmark files are (a folder of <name>/test.jsonl), and whether to download missing ones (sets and the few-shot examples). */
  dataDir?: string;
  download?: boolean;
  /** Field names for local .jsonl files (default: the usual names, question/problem and answer/gt). */
  questionField?: string;
  answerField?: string;
  /** Base models (few-shot format): a local copy of the harness's examples.py (default $QMATH_FEWSHOT_FILE, else the cache or a download). */
  fewShotFile?: string;
  /** Problems solved at once (default: as many as the engine runs samples at once, divided by n). */
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

function sampleRecords(result: Awaited<ReturnType<typeof solve>>, reference: string): SampleRecord[] {
  return result.samples.map((s, i) => {
    const verdict = s.answer === null ? { equivalent: false, reason: "unparseable" as const } : equivalent(s.answer, reference);
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

export async function runEval(options: EvalOptions): Promise<EvalResult> {
  const started = performance.now();
  const n = options.n ?? 1;
  const mode = options.mode ?? "cot";
  const { problems, errors: dataErrors } = await loadProblems(options);
  if (problems.length === 0) throw new QmathError("bad_input", "No problems to evaluate.", "Check --data (and --limit).");

  const ownSandbox = mode === "tir" && !options.sandbox ? await createSandbox({ spares: 8, ...options.sandboxOptions }) : undefined;
  const sandbox = options.sandbox ?? ownSandbox;
  let engine = options.engine;
  let modelName = engine?.info.model;
  let format = options.promptFormat;
  try {
    if (!engine) {
      const created = await createEngine({ maxParallel: Math.max(n, 8), ...options.engineSetup });
      engine = created.engine;
      modelName = created.model.name;
      format ??= created.model.promptFormat;
    }
    if (mode === "tir" && options.promptFormat === undefined) format = "qwen25-math-tir";
    format ??= "qwen25-math-cot";
    const sampled = n > 1 && options.temperature === undefined;
    const temperature = options.temperature ?? (sampled ? BEST_OF_N_SAMPLING.temperature : 0);
    const topP = options.topP ?? (sampled ? BEST_OF_N_SAMPLING.topP : 1);
    const config: RunConfig = {
      model: modelName ?? "unknown",
      data: options.data,
      mode,
      n,
      select: options.select ?? "maj",
      temperature,
      topP,
      topK: options.topK ?? 0,
      maxTokens: options.maxTokens ?? null,
      seed: options.seed ?? 0,
      limit: options.limit ?? null,
      promptFormat: format,
      maxCalls: mode === "tir" ? (options.maxCalls ?? 4) : null,
    };
    // Base models get the harness's shots, read from its published file before anything runs.
    const examples =
      format === "few-shot" && problems.some((p) => findDataset(p.dataset)?.fewShot)
        ? await loadHarnessExamples({ file: options.fewShotFile, download: options.download, signal: options.signal })
        : undefined;
    const folder = RunFolder.open(options.out, config, { qmath: version, created: new Date().toISOString() });
    const known = new Set(problems.map((p) => problemKey(p.dataset, p.id)));
    const previous = folder.readRecords().filter((r) => known.has(problemKey(r.dataset, r.id)));
    const done = new Set(previous.map((r) => problemKey(r.dataset, r.id)));
    const todo = problems.filter((p) => !done.has(problemKey(p.dataset, p.id)));

    const records = [...previous];
    let correct = previous.filter((r) => r.correct).length;
    let ran = 0;
    let generateMs = 0;
    const sessionStart = performance.now();
    const concurrency = Math.max(1, options.concurrency ?? Math.floor(engine.info.maxParallel / n));
    const eng = engine;
    const fmt = format;
    let next = 0;

    const worker = async () => {
      while (next < todo.length && !options.signal?.aborted) {
        const problem = todo[next++]!;
        const t0 = performance.now();
        const result = await solve(problem.question, {
          engine: eng,
          sandbox,
          mode,
          n,
          select: options.select,
          rewardScorer: options.rewardScorer,
          temperature,
          topP,
          topK: options.topK,
          seed: options.seed ?? 0,
          maxTokens: options.maxTokens,
          promptFormat: fmt,
          shots: examples ? (fewShotsFor(findDataset(problem.dataset), examples, problem.reference) ?? undefined) : undefined,
          answerStyle: answerStyleOf(problem.dataset),
          maxCalls: options.maxCalls,
          signal: options.signal,
        });
        const samples = sampleRecords(result, problem.reference);
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
        await folder.append(record);
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
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
    } catch (e) {
      throw options.signal?.aborted && isQmathError(e) && e.code === "aborted" ? interrupted() : e;
    }
    if (options.signal?.aborted) throw interrupted();
    // Report in the order of the data, whatever order the problems finished in.
    const order = new Map(problems.map((p, i) => [problemKey(p.dataset, p.id), i]));
    records.sort((a, b) => order.get(problemKey(a.dataset, a.id))! - order.get(problemKey(b.dataset, b.id))!);
    return { records, config, resumed: previous.length, ran, dataErrors, wallMs: performance.now() - started, generateMs };
  } finally {
    if (ownSandbox) await ownSandbox.close();
    if (engine && !options.engine) await engine.close();
  }
}
