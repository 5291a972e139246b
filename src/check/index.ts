/** Step-by-step checking of worked solutions: the public pieces. */
export { checkSolution, MAX_CHECK_CHARS, type CheckInput, type CheckResult, type CheckedStep, type FinalAnswerCheck, type Verdict } from "./check.js";
export { explainFirstError, explanationPrompt, type Explanation, type ExplainOptions } from "./explain.js";
export { prmScores, paragraphs, type PrmScores } from "./prm.js";
export { finalByModelVote, type VoteOptions } from "./vote.js";
export { giveHint, givesAnswerAway, HINT_LEVELS, type Hint, type HintLevel, type HintOptions, type HintRequest } from "./hint.js";
