/**
 * The run plan: every decision that turns a user's options into what a run executes, made
 * here and only here. solve(), runEval(), rejectionSample(), the server's /v1/solve and the
 * CLI commands resolve their options with resolveRunPlan(); an eval run's config.json
 * records the plan as it was executed.
 *
 * Decisions: the prompt format (the model's own, the TIR format in TIR mode, or the one
 * asked for), the stop strings (the format's, plus where TIR code runs), best-of-N sampling
 * (N > 1 without a temperature samples as the Qwen2.5-Math reports do: 0.7, top-p 0.8), the
 * TIR call limit and cell time limit, the selection method, how many samples of one problem
 * run at once, and how many sandbox interpreters are kept warm.
 */
import type { EquivalenceOptions } from "../answers/equivalent.js";
import { QmathError } from "../errors.js";
import { promptFormatForName } from "../models/resolve.js";
import { formatStops, TIR_CODE_STOP, type PromptFormat } from "../prompts/formats.js";
import { DEFAULT_CELL_TIMEOUT_MS } from "../sandbox/launch.js";
import { MAX_CALLS_DEFAULT } from "../tir/loop.js";
import { checkTimerMs } from "../timer-ms.js";
import { SELECT_METHODS, SOLVE_MODES, type RunOptions, type SelectMethod, type SolveMode } from "./options.js";

/** Sampling for N > 1 when no temperature is given: the setting of the reports' Maj@N / RM@N. */
export const BEST_OF_N_SAMPLING = { temperature: 0.7, topP: 0.8 } as const;

/** Early stopping gains most when samples finish in turn: at most this many run at once. */
const EARLY_STOP_PARALLEL = 8;
/**
 * Samples of one problem that run at once at most; more run in waves of this many (sample i
 * still gets seed + i). Each costs a full context of KV cache on the embedded engine.
 */
export const MAX_PARALLEL_SAMPLES = 64;
/** Warm sandbox interpreters at most (each is a forked Python with sympy and numpy loaded). */
const MAX_SANDBOX_SPARES = 8;

/** What a run executes: plain JSON, recorded with eval runs. */
export interface RunPlan {
  mode: SolveMode;
  promptFormat: PromptFormat;
  /** Every stop string of the run: the prompt format's, and in TIR mode where code runs. */
  stop: string[];
  /** Samples per problem. */
  n: number;
  sampling: {
    temperature: number;
    topP: number;
    topK: number;
    /** Seed of sample 0 (sample i uses seed + i); null: a random seed per request. */
    seed: number | null;
    /** Token budget per sample; null: what the context leaves. */
    maxTokens: number | null;
  };
  /** TIR only. */
  tir: { maxCalls: number; cellTimeoutMs: number } | null;
  /** The selection, and how answers are compared when voting and grading (the options given, as given). */
  selection: { method: SelectMethod; earlyStop: boolean; equivalence: EquivalenceOptions };
  /** Samples of one problem that run at once (the rest wait for a free slot). */
  parallel: number;
  /** Sandbox interpreters kept warm (TIR), 0 otherwise. */
  sandboxSpares: number;
}

export interface PlanContext {
  /** The model's name (catalog id, file name or served id): its prompt format is the default. */
  model?: string;
  /** Runs that must repeat exactly (evaluation): an unset seed is 0 instead of random. */
  reproducible?: boolean;
}

function check<T extends string>(what: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) throw new QmathError("bad_input", `Unknown ${what} '${String(value)}'.`, `Use one of ${allowed.join(", ")}.`);
  return value;
}

function wholeAtLeast(what: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new QmathError("bad_input", `The ${what} must be a whole number of at least ${min}, not ${value}.`);
  return value;
}

/** Samples of one problem that run at once under these options. */
export function parallelSamples(options: RunOptions): number {
  const n = options.n ?? 1;
  if (options.parallel !== undefined) return Math.min(n, options.parallel);
  return Math.min(n, options.selection?.earlyStop ? EARLY_STOP_PARALLEL : MAX_PARALLEL_SAMPLES);
}

export function resolveRunPlan(options: RunOptions, context: PlanContext = {}): RunPlan {
  const mode = check("mode", options.mode ?? "cot", SOLVE_MODES);
  const n = wholeAtLeast("number of samples", options.n ?? 1, 1);
  if (options.parallel !== undefined) wholeAtLeast("number of samples decoded at once", options.parallel, 1);
  const selection = options.selection ?? {};
  const method = check("selection", selection.method ?? "maj", SELECT_METHODS);
  if ((method === "rm" || method === "prm") && !selection.rewardScorer)
    throw new QmathError(
      "bad_input",
      "Selection by reward model needs a reward scorer.",
      "Pass a reward scorer (a function scorer, or a reward model server: --rm-url), or select by majority (maj).",
    );
  const earlyStop = Boolean(selection.earlyStop);
  if (earlyStop && method !== "maj") throw new QmathError("bad_input", "Early stopping works with majority voting only.", "Select by majority (maj), or drop early stopping.");

  // The model's own format; TIR needs the TIR format unless one is asked for.
  const promptFormat: PromptFormat =
    options.promptFormat ?? (mode === "tir" ? "qwen25-math-tir" : context.model ? promptFormatForName(context.model) : "qwen25-math-cot");
  const stop = formatStops(promptFormat);
  if (mode === "tir" && !stop.includes(TIR_CODE_STOP)) stop.push(TIR_CODE_STOP);

  // N samples of greedy decoding would all be the same: sample as the reports do for best-of-N.
  const sampling = options.sampling ?? {};
  const bestOfN = n > 1 && sampling.temperature === undefined;
  const tir = options.tir ?? {};
  const parallel = parallelSamples({ ...options, n });
  return {
    mode,
    promptFormat,
    stop,
    n,
    sampling: {
      temperature: sampling.temperature ?? (bestOfN ? BEST_OF_N_SAMPLING.temperature : 0),
      topP: sampling.topP ?? (bestOfN ? BEST_OF_N_SAMPLING.topP : 1),
      topK: sampling.topK ?? 0,
      seed: sampling.seed ?? (context.reproducible ? 0 : null),
      maxTokens: sampling.maxTokens ?? null,
    },
    tir:
      mode === "tir"
        ? {
            maxCalls: wholeAtLeast("TIR call limit", tir.maxCalls ?? MAX_CALLS_DEFAULT, 1),
            cellTimeoutMs: checkTimerMs("The TIR cell time limit (timeoutMs)", tir.sandboxOptions?.timeoutMs ?? DEFAULT_CELL_TIMEOUT_MS),
          }
        : null,
    selection: { method, earlyStop, equivalence: { ...selection.equivalence } },
    parallel,
    sandboxSpares: mode === "tir" ? Math.min(parallel, MAX_SANDBOX_SPARES) : 0,
  };
}

/** The sampling part of an engine request for a plan (unset values left to the engine). */
export function planSampling(plan: RunPlan): { temperature: number; topP: number; topK: number; seed?: number; maxTokens?: number } {
  const s = plan.sampling;
  return {
    temperature: s.temperature,
    topP: s.topP,
    topK: s.topK,
    ...(s.seed !== null && { seed: s.seed }),
    ...(s.maxTokens !== null && { maxTokens: s.maxTokens }),
  };
}
