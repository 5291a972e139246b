/**
 * Loading benchmark sets and local JSON Lines files into problems. A registered set's rows
 * are read through its descriptor (sets.ts); a local file through the fields the caller
 * names, or the usual names (question/problem, answer/gt).
 *
 * Where a set comes from, in order: a data folder laid out as `<dir>/<name>/test.jsonl`
 * (options.dataDir, then $QMATH_DATA_DIR), then the dataset cache
 * (`<cache>/<name>/test.jsonl`, see datasetsCacheDir), then, with `download`, the Hugging
 * Face Hub into the cache.
 */
import { existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { QmathError, isQmathError } from "../errors.js";
import type { DownloadProgress } from "../models/download.js";
import { optionalText, RowError, text, type DatasetDescriptor, type DatasetRow } from "./descriptor.js";
import { downloadDataset } from "./download.js";
import { datasetsCacheDir, userDataDir } from "../config.js";
import { datasetDescriptor } from "./registry.js";
import { jsonlLines } from "../jsonl.js";

export interface Problem {
  /** The set's own id/idx/unique_id field when it has one, else the 0-based line index. */
  id: string;
  dataset: string;
  /** The text the model is asked (for multiple-choice sets: the question and its options). */
  question: string;
  /** The reference final answer. */
  reference: string;
  solution?: string;
  level?: string;
  subject?: string;
}

// ---------------------------------------------------------------------------------------
// Rows to problems

/** parse_question's suffix for a yes/no or true/false reference. */
function yesNoSuffix(reference: string): string {
  const r = reference.trim().replace(/\.+$/, "").toLowerCase();
  if (r === "true" || r === "false") return " (True or False)";
  if (r === "yes" || r === "no") return " (Yes or No)";
  return "";
}

/** The reference of a row; a row without its field is a RowError (reported with its line). */
function reference(set: DatasetDescriptor, row: DatasetRow): string {
  try {
    return set.reference(row);
  } catch (e) {
    if (isQmathError(e)) throw new RowError(e.message.replace(/\.$/, ""));
    throw e;
  }
}

function rowToProblem(set: DatasetDescriptor, row: DatasetRow, lineIndex: number): Problem {
  // An empty reference is kept, as the harness keeps it (two gaokao2023en rows have their
  // answer inside the question and an empty 'answer'): dropping the row would change the
  // set's size and so every published percentage of it.
  const ref = reference(set, row).trim();
  const question = (set.question(row) + yesNoSuffix(ref)).trim();
  if (question === "") throw new RowError("the question is empty");
  // a row without the set's id field (a GSM8K file without idx) is named by its line index
  const id = (set.idField !== null ? optionalText(row, set.idField) : undefined) ?? String(lineIndex);
  const p: Problem = { id, dataset: set.name, question, reference: ref };
  const solution = set.solution(row);
  if (solution !== null && solution.trim() !== "") p.solution = solution;
  const level = set.levelField ? optionalText(row, set.levelField) : undefined;
  if (level !== undefined) p.level = level;
  const subject = set.subjectField ? optionalText(row, set.subjectField) : undefined;
  if (subject !== undefined) p.subject = subject;
  return p;
}

interface ParsedLines {
  problems: Problem[];
  errors: { line: number; message: string }[];
}

/** Parses JSON Lines text, one problem per non-blank line; a bad line becomes an error naming its (1-based) line number. */
function parseLines(content: string, toProblem: (row: DatasetRow, lineIndex: number) => Problem, limit?: number): ParsedLines {
  const out: ParsedLines = { problems: [], errors: [] };
  for (const parsed of jsonlLines(content)) {
    if (limit !== undefined && out.problems.length >= limit) break;
    const { line } = parsed;
    if (!parsed.ok) {
      out.errors.push({ line, message: `line ${line}: ${parsed.error}` });
      continue;
    }
    try {
      out.problems.push(toProblem(parsed.value as DatasetRow, line - 1));
    } catch (e) {
      if (!(e instanceof RowError)) throw e;
      out.errors.push({ line, message: `line ${line}: ${e.message}` });
    }
  }
  return out;
}

/** A data file as it was read: where, and a SHA-256 of its content (to notice an edit later). */
export interface ReadFile {
  path: string;
  sha256: string;
}

const fileOf = (path: string, text: string): ReadFile => ({ path, sha256: createHash("sha256").update(text).digest("hex") });

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new QmathError("bad_input", `Cannot read ${path} (${code}).`, "Check the path of the data file.", { cause: e });
  }
}

/** The usual field names of a local file, tried in order when the caller names none. */
export const USUAL_QUESTION_FIELDS = ["question", "problem"] as const;
export const USUAL_ANSWER_FIELDS = ["answer", "gt"] as const;

/** The named field, or the first usual field the row has. Throws RowError. */
function fieldOf(row: DatasetRow, named: string | undefined, usual: readonly string[]): { name: string; value: string } {
  if (named !== undefined) return { name: named, value: text(row, named) };
  const found = usual.find((f) => row[f] !== undefined && row[f] !== null);
  if (found === undefined) throw new RowError(`missing field ${usual.map((f) => `'${f}'`).join(" or ")}`);
  return { name: found, value: text(row, found) };
}

export interface JsonlFields {
  /** The question field (default: the first of question, problem). */
  questionField?: string;
  /** The reference field (default: the first of answer, gt). */
  answerField?: string;
}

/**
 * Loads a local JSON Lines file with fields of the caller's choosing, or the usual names.
 * Lines that are not JSON objects or lack a field are reported in `errors` with their line
 * number; the others load.
 */
export async function loadJsonlProblems(
  path: string,
  options: JsonlFields & { name?: string; limit?: number } = {},
): Promise<{ problems: Problem[]; errors: { line: number; message: string }[]; file: ReadFile }> {
  const name = options.name ?? basename(path, extname(path));
  const content = await readText(path);
  return { file: fileOf(path, content), ...parseLines(
    content,
    (row, lineIndex) => {
      const q = fieldOf(row, options.questionField, USUAL_QUESTION_FIELDS);
      const question = q.value.trim();
      if (question === "") throw new RowError(`field '${q.name}' is empty`);
      const a = fieldOf(row, options.answerField, USUAL_ANSWER_FIELDS);
      const ref = a.value.trim();
      if (ref === "") throw new RowError(`field '${a.name}' is empty`);
      let id = String(lineIndex);
      for (const f of ["id", "idx", "unique_id"]) {
        const v = optionalText(row, f);
        if (v !== undefined) {
          id = v;
          break;
        }
      }
      const p: Problem = { id, dataset: name, question, reference: ref };
      if (typeof row.solution === "string") p.solution = row.solution;
      const level = optionalText(row, "level");
      if (level !== undefined) p.level = level;
      const subject = optionalText(row, "subject") ?? optionalText(row, "type");
      if (subject !== undefined) p.subject = subject;
      return p;
    },
    options.limit,
  ) };
}

export interface LoadDatasetOptions {
  /** A folder laid out as `<dir>/<name>/test.jsonl` (default $QMATH_DATA_DIR). */
  dataDir?: string;
  /** The dataset cache (default datasetsCacheDir()). */
  cacheDir?: string;
  /** Download the set into the cache when no local copy exists. */
  download?: boolean;
  /** The first `limit` problems only. */
  limit?: number;
  env?: NodeJS.ProcessEnv;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
}

/** The local files a set may be read from, in order of preference. */
function datasetCandidates(info: DatasetDescriptor, options: LoadDatasetOptions = {}): { dataDirs: string[]; cached: string } {
  const env = options.env ?? process.env;
  const dirs = [options.dataDir, userDataDir(env)].filter((d): d is string => typeof d === "string" && d !== "");
  const dataDirs: string[] = [];
  for (const d of dirs) {
    dataDirs.push(join(d, info.name, "test.jsonl"));
    if (info.file !== `${info.name}/test.jsonl`) dataDirs.push(join(d, info.file));
  }
  return { dataDirs, cached: join(options.cacheDir ?? datasetsCacheDir(env), info.name, "test.jsonl") };
}

/** Where set `name` would be read from now, or null when it has to be downloaded first. */
export function localDatasetFile(name: string, options: LoadDatasetOptions = {}): string | null {
  const { dataDirs, cached } = datasetCandidates(datasetDescriptor(name), options);
  return [...dataDirs, cached].find((p) => existsSync(p)) ?? null;
}

/**
 * Loads a registered benchmark set. A row that does not fit the set's layout is an error
 * (a benchmark must not be scored on part of its problems); so is a set found nowhere.
 */
export async function loadDataset(name: string, options: LoadDatasetOptions = {}): Promise<Problem[]> {
  return (await loadDatasetFile(name, options)).problems;
}

/** loadDataset(), and the file the set was read from. */
export async function loadDatasetFile(name: string, options: LoadDatasetOptions = {}): Promise<{ problems: Problem[]; file: ReadFile }> {
  const info = datasetDescriptor(name);
  let path = localDatasetFile(name, options);
  if (path === null) {
    const { dataDirs, cached } = datasetCandidates(info, options);
    if (!options.download || !info.hub) {
      const looked = [...dataDirs, cached].join(", ");
      const how = info.hub
        ? `Pass --download to fetch it into the cache, or pass --data-dir <dir> with the file at <dir>/${name}/test.jsonl.`
        : `It has no download source: pass --data-dir <dir> with the file at <dir>/${name}/test.jsonl.`;
      throw new QmathError("bad_input", `The '${name}' benchmark set is not on this machine (looked at ${looked}).`, how);
    }
    await mkdir(join(cached, ".."), { recursive: true });
    path = await downloadDataset(name, info.hub, { dest: cached, env: options.env, onProgress: options.onProgress, signal: options.signal });
  }
  const text = await readText(path);
  const parsed = parseLines(text, (row, i) => rowToProblem(info, row, i), options.limit);
  if (parsed.errors.length > 0) {
    const more = parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more bad lines)` : "";
    throw new QmathError(
      "bad_input",
      `${path} does not fit the '${name}' layout: ${parsed.errors[0]!.message}${more}.`,
      `Each ${name} row needs ${info.questionField} and ${info.answerField}; replace the file (delete a damaged cached copy to download it again).`,
    );
  }
  const seen = new Set<string>();
  for (const p of parsed.problems) {
    if (seen.has(p.id)) throw new QmathError("bad_input", `${path} names two '${name}' problems '${p.id}'.`, "Problem ids must be unique within a set; replace the file.");
    seen.add(p.id);
  }
  return { problems: parsed.problems, file: fileOf(path, text) };
}
