/** Selection over N samples: majority voting, reward models, pass@k and friends. */
export { AnswerClusters, majorityVote, majorityVotes, voteDecided, type AnswerCluster, type Vote } from "./majority.js";
export { functionScorer, rewardSelect, type RewardScorer, type ScoredResponse } from "./reward.js";
export {
  accuracy,
  accuracyCurve,
  curveKs,
  majAtK,
  meanAccuracy,
  metricsAtK,
  passAtK,
  rmAtK,
  sampleMetrics,
  type CurvePoint,
  type GradedSample,
  type MetricsAtK,
  type OutcomeAtK,
  type ProblemOutcome,
} from "./metrics.js";
