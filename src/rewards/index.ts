/** Reward models (Qwen2.5-Math-RM-72B, Qwen2.5-Math-PRM-7B over vLLM) and rewards for RL. */
export { createOutcomeRewardModel, outcomeRmInput, OUTCOME_RM_MODEL, type OutcomeRewardModel, type RewardModelOptions } from "./outcome-rm.js";
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
} from "./process-rm.js";
export { ruleReward, countBoxed, lengthTerm, type LengthPenalty, type RuleReward, type RuleRewardOptions } from "./rule.js";
export { computeRewards, groupAdvantages, DEFAULT_ALPHA, DEFAULT_EPSILON, type RewardItem, type RewardOptions, type RewardResult } from "./grpo.js";
export { rejectionSample, type RejectionSampleOptions, type SampledProblem, type TrainingExample } from "./sample.js";
