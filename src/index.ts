/**
 * qmath's library API: what a program using qmath may rely on. Inside the package, the CLI
 * and the server are the doors and may import any room of the pipeline; the rooms import
 * only those below them (eslint.config.js enforces it; see the README's design section).
 */
export { QmathError, isQmathError, type QmathErrorCode } from "./errors.js";
export { MAX_TIMER_MS } from "./timer-ms.js";

// engine
export type { Engine, EngineInfo, FinishReason, OpenRequest, Prompt, Sample, SamplingOptions, Segment, SegmentOptions, Usage } from "./engine/types.js";
export { promptText } from "./engine/types.js";
export { createEngine, withEngine, type CreatedEngine, type EngineSetup } from "./engine/create.js";
export { createEmbeddedEngine, type EmbeddedEngineOptions } from "./engine/embedded/llama-engine.js";
export { createRemoteEngine } from "./engine/remote/openai-engine.js";
export { createScriptedEngine, scriptFromTranscript, type ScriptedEngineOptions, type ScriptSource } from "./engine/scripted.js";
export { generateAll, withSamples, type GeneratedSample, type GenerateAllOptions } from "./engine/generate.js";
export { StopScanner } from "./engine/stop-scanner.js";

// models
export { CATALOG, DEFAULT_MODEL_ID, findModel, type CatalogModel, type ModelKind } from "./models/catalog.js";
export { resolveModel, pullModel, installedModels, type ResolvedModel } from "./models/resolve.js";
export { downloadFile, remoteFileInfo, type DownloadOptions, type DownloadProgress, type DownloadResult } from "./models/download.js";
export { estimateMemoryBytes } from "./models/memory.js";
export { checkGguf } from "./models/gguf-check.js";
export {
  cacheDir,
  datasetsCacheDir,
  defaultPython,
  defaultThreads,
  ENVIRONMENT,
  hubEndpoint,
  modelsDir,
  packageRoot,
  remoteApiKey,
  rewardModelApiKey,
  userDataDir,
  version,
} from "./config.js";

// prompts
export { chatMLPrompt, renderChatML, type ChatMessage, type PromptPart, type Role } from "./prompts/chatml.js";
export { chatPrompt, templatePrompt, type ChatTemplate } from "./prompts/chat-template.js";
export {
  buildProblemPrompt,
  chatSystemPrompt,
  COT_SYSTEM_PROMPT,
  formatStops,
  TIR_SYSTEM_PROMPT,
  PROMPT_FORMATS,
  CHAT_STOPS,
  TIR_CODE_STOP,
  type PromptFormat,
} from "./prompts/formats.js";
export { fewShotPrompt, DEFAULT_SHOTS, type Shot } from "./prompts/fewshot.js";

// answers
export {
  extractAnswer,
  lastBoxed,
  equivalent,
  cleanAnswer,
  ANSWER_STYLES,
  type AnswerStyle,
  type ExtractOptions,
  type EquivalenceOptions,
  type EquivalenceReason,
  type EquivalenceResult,
} from "./answers/index.js";

// checking worked solutions step by step
export {
  checkSolution,
  explainFirstError,
  explanationPrompt,
  MAX_CHECK_CHARS,
  type CheckInput,
  type CheckResult,
  type CheckedStep,
  type FinalAnswerCheck,
  type Verdict,
  type Explanation,
  type ExplainOptions,
  prmScores,
  type PrmScores,
  finalByModelVote,
  type VoteOptions,
  giveHint,
  givesAnswerAway,
  type Hint,
  type HintLevel,
  type HintOptions,
  type HintRequest,
} from "./check/index.js";

// sandbox
export { createSandbox, runCell, Sandbox, SandboxSession, type CellResult, type CellStatus, type Isolation, type CellOptions, type SandboxOptions } from "./sandbox/index.js";

// tir
export { runTir, lastPythonBlock, MAX_CALLS_DEFAULT, CALL_LIMIT_TEXT, type TirCell, type TirOptions, type TirTranscript } from "./tir/loop.js";

// solve
export { solve, type SolveOptions, type SolveResult, type SolvedSample } from "./solve/solve.js";
export {
  SELECT_METHODS,
  SOLVE_MODES,
  type RunOptions,
  type SamplingSettings,
  type SelectMethod,
  type SelectionSettings,
  type SolveCallbacks,
  type SolveMode,
  type TirSettings,
} from "./solve/options.js";
export { BEST_OF_N_SAMPLING, parallelSamples, resolveRunPlan, type PlanContext, type RunPlan } from "./solve/plan.js";
export { ChatSession, type ChatOptions, type ChatReply } from "./solve/chat.js";

// rewards
export {
  createOutcomeRewardModel,
  createProcessRewardModel,
  ruleReward,
  computeRewards,
  groupAdvantages,
  rejectionSample,
  type RewardItem,
  type RewardOptions,
  type RewardResult,
} from "./rewards/index.js";
export {
  functionScorer,
  majorityVote,
  majorityVotes,
  rewardSelect,
  passAtK,
  meanAccuracy,
  majAtK,
  rmAtK,
  sampleMetrics,
  metricsAtK,
  accuracyCurve,
  curveKs,
  type RewardScorer,
  type Vote,
  type AnswerCluster,
  type GradedSample,
  type ProblemOutcome,
  type OutcomeAtK,
  type MetricsAtK,
  type CurvePoint,
} from "./select/index.js";

// evaluation and serving
export { runEval, evalEngineParallel, type EvalOptions, type EvalResult } from "./eval/runner.js";
export type { RunConfig } from "./eval/run-folder.js";

// benchmark sets
export {
  DATASETS,
  datasetDescriptor,
  answerStyleOf,
  referenceAnswer,
  workedSolution,
  loadDataset,
  loadJsonlProblems,
  loadHarnessExamples,
  fewShotsFor,
  type DatasetDescriptor,
  type DatasetRow,
  type Problem,
} from "./datasets/index.js";
export { HarnessExamples } from "./prompts/harness-examples.js";
export { summarize, type EvalSummary, type SummaryOptions } from "./eval/summary.js";
export { writeReports } from "./eval/report.js";
export { scoreOutputs, type ScoreOutputsOptions } from "./eval/from-outputs.js";
export { createServer, type ServerOptions, type QmathServer } from "./server/app.js";
