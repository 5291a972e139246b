/**
 * Problems from what a user names after --data: benchmark set names (the registry: data
 * folder, cache, download) and local .jsonl files (fields named by the caller, else the
 * usual names). Used by `qmath eval` and `qmath sample`.
 */
import { QmathError } from "../errors.js";
import { loadDatasetFile, loadJsonlProblems, USUAL_ANSWER_FIELDS, USUAL_QUESTION_FIELDS, type Problem, type ReadFile } from "./load.js";

export interface ProblemSources {
  /** Dataset names or paths to .jsonl files. */
  data: readonly string[];
  dataDir?: string;
  download?: boolean;
  /** Field names for local .jsonl files (default: the usual names, question/problem and answer/gt). */
  questionField?: string;
  answerField?: string;
  /** Problems per source (the first ones). */
  limit?: number;
}

export interface LoadedProblems {
  problems: Problem[];
  /** Lines of local files that could not be used; the other lines are loaded. */
  errors: { source: string; line: number; message: string }[];
  /** The file each source was read from, with a SHA-256 of what was read. */
  files: Record<string, ReadFile>;
}

export async function loadProblems(sources: ProblemSources): Promise<LoadedProblems> {
  const problems: Problem[] = [];
  const errors: LoadedProblems["errors"] = [];
  const files: LoadedProblems["files"] = {};
  for (const source of sources.data) {
    if (/\.jsonl?$/i.test(source)) {
      const loaded = await loadJsonlProblems(source, { questionField: sources.questionField, answerField: sources.answerField, limit: sources.limit });
      // A file none of whose lines has the fields is a file with other names, not broken lines.
      if (loaded.problems.length === 0 && loaded.errors.some((e) => / or '/.test(e.message))) {
        const want = [
          sources.questionField === undefined && `a question field (${USUAL_QUESTION_FIELDS.join(" or ")})`,
          sources.answerField === undefined && `an answer field (${USUAL_ANSWER_FIELDS.join(" or ")})`,
        ].filter(Boolean);
        throw new QmathError(
          "bad_input",
          `${source} has no usable lines: ${loaded.errors[0]!.message}.`,
          `qmath looks for ${want.join(" and ")}; name the file's own fields with --question-field and --answer-field.`,
        );
      }
      problems.push(...loaded.problems);
      errors.push(...loaded.errors.map((e) => ({ source, ...e })));
      files[source] = loaded.file;
    } else {
      const loaded = await loadDatasetFile(source, { dataDir: sources.dataDir, download: sources.download, limit: sources.limit });
      problems.push(...loaded.problems);
      files[source] = loaded.file;
    }
  }
  return { problems, errors, files };
}
