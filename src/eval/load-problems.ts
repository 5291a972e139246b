/**
 * Problems from what a user names after --data: benchmark set names (the datasets
 * registry: data folder, cache, download) and local .jsonl files (with their field names).
 * Used by `qmath eval` and `qmath sample`.
 */
import { QmathError } from "../errors.js";
import { loadDataset, loadJsonlProblems, type Problem } from "./datasets.js";

export interface ProblemSources {
  /** Dataset names or paths to .jsonl files. */
  data: readonly string[];
  dataDir?: string;
  download?: boolean;
  /** Field names for local .jsonl files. */
  questionField?: string;
  answerField?: string;
  /** Problems per source (the first ones). */
  limit?: number;
}

export interface LoadedProblems {
  problems: Problem[];
  /** Lines of local files that could not be used; the other lines are loaded. */
  errors: { source: string; line: number; message: string }[];
}

export async function loadProblems(sources: ProblemSources): Promise<LoadedProblems> {
  const problems: Problem[] = [];
  const errors: LoadedProblems["errors"] = [];
  for (const source of sources.data) {
    if (/\.jsonl?$/i.test(source)) {
      if (!sources.questionField || !sources.answerField)
        throw new QmathError("bad_input", `${source} is a local file: qmath needs to know its fields.`, "Pass --question-field and --answer-field.");
      const loaded = await loadJsonlProblems(source, { questionField: sources.questionField, answerField: sources.answerField, limit: sources.limit });
      problems.push(...loaded.problems);
      errors.push(...loaded.errors.map((e) => ({ source, ...e })));
    } else {
      problems.push(...(await loadDataset(source, { dataDir: sources.dataDir, download: sources.download, limit: sources.limit })));
    }
  }
  return { problems, errors };
}
