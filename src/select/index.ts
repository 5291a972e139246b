/** Selection over N samples: majority voting, reward models, pass@k and friends. */
export { AnswerClusters, majorityVote, voteDecided, type AnswerCluster, type Vote } from "./majority.js";
export { functionScorer, rewardSelect, type RewardScorer, type ScoredResponse } from "./reward.js";
export { majAtK, meanAccuracy, passAtK, rmAtK } from "./metrics.js";
