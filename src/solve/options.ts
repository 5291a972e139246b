/**
 * The options of a run, in groups that every entry point shares: solve(), runEval(),
 * rejectionSample(), the server's /v1/solve and the CLI commands all take these shapes and
 * hand them to resolveRunPlan() (plan.ts), which makes every decision in one place.
 */
import type { EquivalenceOptions } from "../answers/equivalent.js";
import type { PromptFormat } from "../prompts/formats.js";
import type { Sandbox, SandboxOptions } from "../sandbox/index.js";
import type { RewardScorer } from "../select/reward.js";
import type { TirCell } from "../tir/loop.js";

/** cot: chain of thought; tir: tool-integrated reasoning (the model's Python runs in the sandbox). */
export type SolveMode = "cot" | "tir";
export const SOLVE_MODES: readonly SolveMode[] = ["cot", "tir"];

/**
 * How the answer of N samples is chosen: majority vote, an outcome reward model (rm) or a
 * process reward model (prm) through the reward scorer, or the first sample.
 */
export type SelectMethod = "maj" | "rm" | "prm" | "first";
export const SELECT_METHODS: readonly SelectMethod[] = ["maj", "rm", "prm", "first"];

/** How each sample is drawn. Unset values take the plan's defaults (see resolveRunPlan). */
export interface SamplingSettings {
  /** 0 = greedy (default 0; with N > 1, the reports' best-of-N setting 0.7). */
  temperature?: number;
  /** Nucleus sampling (default 1; with N > 1 and no temperature, 0.8). */
  topP?: number;
  /** Top-k sampling, 0 = off (default 0). */
  topK?: number;
  /** Seed of sample 0; sample i uses seed + i (default: random for solve, 0 for eval). */
  seed?: number;
  /** Token budget per sample (default: what the context leaves). */
  maxTokens?: number;
}

/** Tool-integrated reasoning. */
export interface TirSettings {
  /** Code executions allowed per sample (default 4). */
  maxCalls?: number;
  /** Use this sandbox (left open) instead of creating one. */
  sandbox?: Sandbox;
  /** Options of a sandbox the run creates (isolation, python, cell time limit, ...). */
  sandboxOptions?: SandboxOptions;
}

/** How the answer of N samples is chosen. */
export interface SelectionSettings {
  /** Default "maj". */
  method?: SelectMethod;
  /** The reward scorer of method "rm" / "prm". */
  rewardScorer?: RewardScorer;
  /** Voting: stop sampling once the leading answer cannot be overtaken by the samples still to come. */
  earlyStop?: boolean;
  /** How answers are compared when voting and grading. */
  equivalence?: EquivalenceOptions;
}

/** What a run is: the input of resolveRunPlan(). */
export interface RunOptions {
  /** Default "cot". */
  mode?: SolveMode;
  /** Samples per problem (default 1). */
  n?: number;
  /** Samples of one problem decoded at once; more run in waves (default: n, up to 64; 8 with early stopping). */
  parallel?: number;
  /** Prompt format (default: the model's own; in TIR mode the TIR format). */
  promptFormat?: PromptFormat;
  sampling?: SamplingSettings;
  tir?: TirSettings;
  selection?: SelectionSettings;
}

/** Streaming callbacks, by sample index. */
export interface SolveCallbacks {
  /** Streamed text (in TIR, the output blocks too). */
  onText?: (sampleIndex: number, delta: string) => void;
  /** TIR: each executed cell. */
  onCell?: (sampleIndex: number, cell: TirCell) => void;
}
