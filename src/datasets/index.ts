/** Benchmark sets: one descriptor per set, loading, download, and the harness's few-shot examples. */
export { type DatasetDescriptor, type DatasetRow, type FewShotChoice, type HubSource } from "./descriptor.js";
export { DATASETS, datasetDescriptor, findDataset, answerStyleOf, referenceAnswer, workedSolution } from "./registry.js";
export { loadDataset, loadJsonlProblems, localDatasetFile, type LoadDatasetOptions, type Problem } from "./load.js";
export { loadProblems, type ProblemSources, type LoadedProblems } from "./sources.js";
export { downloadDataset, hubDatasetUrl } from "./download.js";
export { datasetsCacheDir, HARNESS_EXAMPLES_URL } from "../config.js";
export { loadHarnessExamples, fewShotsFor, type HarnessExamplesOptions } from "./fewshot.js";
