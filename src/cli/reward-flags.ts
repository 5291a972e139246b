/**
 * The one reward-model flag set, shared by solve, eval, sample, score and serve:
 * --rm-url, --rm-model, --prm-reduce, and the API key from $QMATH_RM_API_KEY.
 * Which model the server runs (outcome or process) comes from the command: --select rm|prm
 * in solve and eval, --prm in sample and score; serve shapes its reward with the outcome model.
 */
import type { Command, OptionValues } from "@commander-js/extra-typings";
import { QmathError } from "../errors.js";
import {
  createOutcomeRewardModel,
  createProcessRewardModel,
  STEP_REDUCES,
  type OutcomeRewardModel,
  type ProcessRewardModel,
  type RewardModelOptions,
} from "../rewards/index.js";
import type { RewardScorer } from "../select/reward.js";
import { rewardModelApiKey } from "../config.js";
import { choice } from "./command.js";

export function addRewardOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(command: Command<A, O, G>) {
  return command
    .optionsGroup("Reward model options:")
    .option("--rm-url <URL>", "the vLLM server of the reward model (Qwen2.5-Math-RM-72B, or Qwen2.5-Math-PRM-7B for a process reward); API key: $QMATH_RM_API_KEY")
    .option("--rm-model <NAME>", "the reward model's served name (default: the Hub name)")
    .option("--prm-reduce <R>", "process reward model: min or product of the step scores (default min)", choice("prm-reduce", STEP_REDUCES))
    .optionsGroup("Options:");
}

export interface RewardFlagValues {
  rmUrl?: string;
  rmModel?: string;
  prmReduce?: (typeof STEP_REDUCES)[number];
}

export type RewardModelKind = "rm" | "prm";

function clientOptions(url: string, values: RewardFlagValues, extra: Partial<RewardModelOptions>): RewardModelOptions {
  return { ...extra, baseUrl: url, model: values.rmModel, apiKey: rewardModelApiKey() };
}

/** The outcome reward model at `url` (--rm-url), with --rm-model and the API key. */
export function outcomeRewardModel(url: string, values: RewardFlagValues, extra: Partial<RewardModelOptions> = {}): OutcomeRewardModel {
  if (values.prmReduce !== undefined) throw new QmathError("bad_input", "--prm-reduce is only used with a process reward model.");
  return createOutcomeRewardModel(clientOptions(url, values, extra));
}

/** The process reward model at `url` (--rm-url), with --rm-model, --prm-reduce and the API key. */
export function processRewardModel(url: string, values: RewardFlagValues, extra: Partial<RewardModelOptions> = {}): ProcessRewardModel {
  return createProcessRewardModel({ ...clientOptions(url, values, extra), reduce: values.prmReduce ?? "min" });
}

/** The reward model the flags name, of the given kind; undefined without --rm-url. */
export function rewardModelFromFlags(kind: RewardModelKind, values: RewardFlagValues, extra: Partial<RewardModelOptions> = {}): RewardScorer | undefined {
  if (values.prmReduce !== undefined && kind !== "prm") throw new QmathError("bad_input", "--prm-reduce is only used with a process reward model.");
  if (values.rmUrl === undefined) return undefined;
  return kind === "rm" ? outcomeRewardModel(values.rmUrl, values, extra) : processRewardModel(values.rmUrl, values, extra);
}

/** The reward scorer --select needs (solve, eval), or undefined when it needs none. */
export function selectionScorer(select: string, values: RewardFlagValues): RewardScorer | undefined {
  if (select !== "rm" && select !== "prm") {
    if (values.rmUrl !== undefined) throw new QmathError("bad_input", "--rm-url is only used with --select rm or --select prm.");
    if (values.prmReduce !== undefined) throw new QmathError("bad_input", "--prm-reduce is only used with --select prm.");
    return undefined;
  }
  const scorer = rewardModelFromFlags(select, values);
  if (!scorer)
    throw new QmathError(
      "bad_input",
      `--select ${select} needs a reward model server.`,
      `Pass --rm-url with the address of a vLLM server serving ${select === "rm" ? "Qwen2.5-Math-RM-72B" : "Qwen2.5-Math-PRM-7B"} (see the README).`,
    );
  return scorer;
}

/**
 * Scores one tiny conversation, so a server that is not the reward model (or is down) is
 * found before any sample is generated; the client's error says what the server answered.
 */
export async function probeRewardModel(scorer: RewardScorer | undefined): Promise<void> {
  if (!scorer) return;
  await scorer.score([{ problem: "What is 1+1?", response: "1+1 = 2, so the answer is $\\boxed{2}$." }]);
}
