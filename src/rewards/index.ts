/**
 * Rewards, in three parts:
 * - pure rewards: rule.ts (correctness, format and length terms), grpo.ts (shaped reward and
 *   GRPO group advantages; the reward model comes in as a RewardScorer);
 * - clients/: the reward models served by vLLM's Pooling API (pooling.ts), the outcome
 *   model Qwen2.5-Math-RM-72B (outcome-rm.ts) and the process model Qwen2.5-Math-PRM-7B (process-rm.ts);
 * - rejection-sampling.ts: correct samples, ranked, as chat fine-tuning data (qmath sample).
 */
export { createOutcomeRewardModel, outcomeRmInput, OUTCOME_RM_MODEL, type OutcomeRewardModel, type RewardModelOptions } from "./clients/outcome-rm.js";
export {
  createProcessRewardModel,
  processRmInput,
  splitSteps,
  reduceSteps,
  STEP_REDUCES,
  PROCESS_RM_MODEL,
  STEP_TAG,
  STEP_TAG_ID,
  type ProcessRewardModel,
  type ProcessRewardModelOptions,
  type StepReduce,
} from "./clients/process-rm.js";
export { ruleReward, countBoxed, lengthTerm, type LengthPenalty, type RuleReward, type RuleRewardOptions } from "./rule.js";
export { computeRewards, groupAdvantages, DEFAULT_ALPHA, DEFAULT_EPSILON, type RewardItem, type RewardOptions, type RewardResult } from "./grpo.js";
export { rejectionSample, type RejectionSampleOptions, type SampledProblem, type TrainingExample } from "./rejection-sampling.js";
