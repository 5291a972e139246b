/** The flags that pick a reward model for --select rm / prm, shared by solve and eval. */
import { QmathError } from "../errors.js";
import { createOutcomeRewardModel, createProcessRewardModel, type StepReduce } from "../rewards/index.js";
import type { RewardScorer } from "../select/reward.js";
import type { SelectMethod } from "../solve/options.js";
import type { Options } from "./flags.js";

export const REWARD_FLAGS: Options = {
  "rm-url": { type: "string" },
  "rm-model": { type: "string" },
  "prm-reduce": { type: "string" },
};

export const REWARD_FLAGS_HELP = `      --rm-url URL       with --select rm|prm: the vLLM server of the reward model
                         (Qwen2.5-Math-RM-72B for rm, Qwen2.5-Math-PRM-7B for prm; see the README)
      --rm-model NAME    the reward model's served name (default: the Hub name)
      --prm-reduce R     with --select prm: min or product of the step scores (default min)`;

/** The reward scorer the flags ask for, or undefined when the selection needs none. */
export function rewardScorerFromFlags(select: SelectMethod, values: Record<string, unknown>): RewardScorer | undefined {
  const url = values["rm-url"] as string | undefined;
  if (select !== "rm" && select !== "prm") {
    if (url !== undefined) throw new QmathError("bad_input", "--rm-url is only used with --select rm or --select prm.");
    return undefined;
  }
  if (!url)
    throw new QmathError(
      "bad_input",
      `--select ${select} needs a reward model server.`,
      `Pass --rm-url with the address of a vLLM server serving ${select === "rm" ? "Qwen2.5-Math-RM-72B" : "Qwen2.5-Math-PRM-7B"} (see the README).`,
    );
  const model = values["rm-model"] as string | undefined;
  const apiKey = process.env.QMATH_RM_API_KEY;
  if (select === "rm") return createOutcomeRewardModel({ baseUrl: url, model, apiKey });
  return createProcessRewardModel({ baseUrl: url, model, apiKey, reduce: ((values["prm-reduce"] as string | undefined) ?? "min") as StepReduce });
}
