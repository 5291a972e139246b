/**
 * The benchmark sets qmath evaluates on, and their loaders. Each set keeps the field layout
 * of the Qwen2.5-Math evaluation harness's data folder, and each set's fields are mapped here
 * explicitly: the question as the harness's parse_question builds it (multiple-choice options
 * included), the reference answer from answers/references.ts, id, level, subject and worked
 * solution from the set's own fields.
 *
 * Where a set comes from, in order: a data folder laid out as `<dir>/<name>/test.jsonl`
 * (options.dataDir, then $QMATH_DATA_DIR), then the dataset cache
 * (`<cache>/<name>/test.jsonl`, see datasetsCacheDir), then, with `download`, the Hugging
 * Face Hub into the cache.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, extname, join } from "node:path";
import { QmathError, isQmathError } from "../errors.js";
import { isMultipleChoice } from "../answers/datasets.js";
import { referenceAnswer, workedSolution, type DatasetRow } from "../answers/references.js";
import type { DownloadProgress } from "../models/download.js";
import { fewShotSetOf, type FewShotSetName } from "../prompts/fewshot-sets.js";
import { downloadDataset, type HubSource } from "./download-dataset.js";

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

export interface DatasetInfo {
  name: string;
  /** The name the harness (and answers/references.ts) knows the layout by: "mawps" for the MAWPS parts, else `name`. */
  layout: string;
  /** The field(s) the question is built from. */
  questionField: string;
  /** The field(s) the reference answer comes from. */
  answerField: string;
  /** The field that names a problem, or null when problems are named by line index. */
  idField: string | null;
  levelField?: string;
  subjectField?: string;
  /** Every reference is a choice letter and the options are formatted into the question. */
  multipleChoice: boolean;
  /** The few-shot set the harness prompts base models with, or null for zero-shot sets. */
  fewShot: FewShotSetName | null;
  /** The file inside a data folder like shared/datasets. */
  file: string;
  /** Number of problems in the published test split. */
  rows: number;
  /** Where the set can be downloaded; absent when there is no JSON/JSONL copy on the Hub. */
  hub?: HubSource;
  description: string;
}

/** The Qwen2.5-Math evaluation data folder, as published on the Hub (field layout unchanged). */
const QWEN_EVAL_DATA = "HuggingFaceTB/math_tasks";
const qwenData = (file: string): HubSource => ({ repo: QWEN_EVAL_DATA, path: `data/${file}` });

type Spec = Omit<DatasetInfo, "multipleChoice" | "fewShot" | "file" | "layout"> & { layout?: string; file?: string };

const SPECS: Spec[] = [
  { name: "gsm8k", questionField: "question", answerField: "answer (after ####)", idField: "idx", rows: 1319, hub: qwenData("gsm8k/test.jsonl"), description: "GSM8K: grade-school word problems" },
  {
    name: "math",
    questionField: "problem",
    answerField: "answer, else the last \\boxed{} of solution",
    idField: null,
    levelField: "level",
    subjectField: "type",
    rows: 5000,
    hub: qwenData("math/test.jsonl"),
    description: "MATH: the full 5000-problem competition test set (download only)",
  },
  {
    name: "math500",
    questionField: "problem",
    answerField: "answer",
    idField: "unique_id",
    levelField: "level",
    subjectField: "subject",
    rows: 500,
    hub: { repo: "HuggingFaceH4/MATH-500", path: "test.jsonl" },
    description: "MATH-500: the 500-problem MATH test subset of PRM800K",
  },
  {
    name: "minerva_math",
    questionField: "problem",
    answerField: "last \\boxed{} of solution",
    idField: "idx",
    subjectField: "type",
    rows: 272,
    hub: qwenData("minerva_math/test.jsonl"),
    description: "Minerva Math: MIT OCW science and engineering problems",
  },
  { name: "aime24", questionField: "question", answerField: "answer", idField: "id", rows: 30, hub: qwenData("aime24/test.jsonl"), description: "AIME 2024" },
  { name: "amc23", questionField: "question", answerField: "answer", idField: "id", rows: 40, hub: qwenData("amc23/test.jsonl"), description: "AMC 2023 (numeric answers)" },
  {
    name: "olympiadbench",
    questionField: "question",
    answerField: "final_answer",
    idField: "id",
    subjectField: "subfield",
    rows: 675,
    hub: qwenData("olympiadbench/test.jsonl"),
    description: "OlympiadBench: English, text-only, open-ended math",
  },
  {
    name: "college_math",
    questionField: "question",
    answerField: "answer",
    idField: null,
    subjectField: "data_topic",
    rows: 2818,
    hub: qwenData("college_math/test.jsonl"),
    description: "College Math: college-level exercises",
  },
  { name: "gaokao2023en", questionField: "question", answerField: "answer", idField: null, rows: 385, hub: qwenData("gaokao2023en/test.jsonl"), description: "Gaokao 2023 (English translation)" },
  { name: "gaokao2024_I", questionField: "question", answerField: "answer", idField: null, rows: 14, hub: qwenData("gaokao2024_I/test.jsonl"), description: "Gaokao 2024 paper I (Chinese)" },
  { name: "gaokao2024_II", questionField: "question", answerField: "answer", idField: null, rows: 14, hub: qwenData("gaokao2024_II/test.jsonl"), description: "Gaokao 2024 paper II (Chinese)" },
  {
    name: "gaokao2024_mix",
    questionField: "question",
    answerField: "choice_answer, else answer",
    idField: "idx",
    rows: 91,
    hub: qwenData("gaokao2024_mix/test.jsonl"),
    description: "Gaokao 2024 mixed (Chinese)",
  },
  { name: "gaokao_math_cloze", questionField: "question", answerField: "answer", idField: null, rows: 118, hub: qwenData("gaokao_math_cloze/test.jsonl"), description: "Gaokao math cloze (Chinese, fill in the blank)" },
  {
    name: "gaokao_math_qa",
    questionField: "question + options",
    answerField: "label",
    idField: null,
    rows: 351,
    hub: qwenData("gaokao_math_qa/test.jsonl"),
    description: "Gaokao math QA (Chinese, multiple choice)",
  },
  { name: "cmath", questionField: "question", answerField: "answer", idField: null, levelField: "grade", rows: 600, hub: qwenData("cmath/test.jsonl"), description: "CMATH: Chinese primary school problems" },
  {
    name: "cn_middle_school",
    questionField: "question",
    answerField: "choice_answer, else answer",
    idField: "idx",
    rows: 101,
    hub: qwenData("cn_middle_school/test.jsonl"),
    description: "Chinese middle school problems",
  },
  {
    name: "mmlu_stem",
    questionField: "question + choices",
    answerField: "answer (choice index)",
    idField: null,
    subjectField: "type",
    rows: 3018,
    hub: qwenData("mmlu_stem/test.jsonl"),
    description: "MMLU STEM subjects (multiple choice)",
  },
  { name: "sat_math", questionField: "question + options", answerField: "Answer", idField: "id", rows: 32, hub: qwenData("sat_math/test.jsonl"), description: "SAT math (multiple choice)" },
  { name: "aqua", questionField: "question + options", answerField: "correct", idField: null, rows: 254, hub: qwenData("aqua/test.jsonl"), description: "AQuA-RAT (multiple choice)" },
  {
    name: "svamp",
    questionField: "Body + Question",
    answerField: "Answer",
    idField: "idx",
    subjectField: "Type",
    rows: 1000,
    hub: qwenData("svamp/test.jsonl"),
    description: "SVAMP: arithmetic word problems",
  },
  {
    name: "asdiv",
    questionField: "body + question",
    answerField: "answer (units removed)",
    idField: "idx",
    subjectField: "solution_type",
    rows: 2215,
    hub: qwenData("asdiv/test.jsonl"),
    description: "ASDiv: arithmetic word problems",
  },
  { name: "mawps", questionField: "input", answerField: "target", idField: "idx", subjectField: "type", rows: 2065, hub: qwenData("mawps/test.jsonl"), description: "MAWPS: its four parts together" },
  ...(["addsub", "multiarith", "singleeq", "singleop"] as const).map(
    (part): Spec => ({
      name: part,
      layout: "mawps",
      file: `mawps/${part}.jsonl`,
      questionField: "input",
      answerField: "target",
      idField: null,
      rows: { addsub: 395, multiarith: 600, singleeq: 508, singleop: 562 }[part],
      hub: qwenData(`mawps/${part}.jsonl`),
      description: `MAWPS part ${part}`,
    }),
  ),
  { name: "carp_en", questionField: "content", answerField: "answer", idField: null, rows: 976, hub: qwenData("carp_en/test.jsonl"), description: "CARP (English): arithmetic and algebra problems" },
];

export const DATASETS: readonly DatasetInfo[] = SPECS.map((s) => ({
  ...s,
  layout: s.layout ?? s.name,
  file: s.file ?? `${s.name}/test.jsonl`,
  multipleChoice: isMultipleChoice(s.layout ?? s.name),
  fewShot: fewShotSetOf(s.name),
}));

export function datasetInfo(name: string): DatasetInfo {
  const info = DATASETS.find((d) => d.name === name);
  if (!info) throw new QmathError("bad_input", `Unknown dataset '${name}'.`, `Known sets: ${DATASETS.map((d) => d.name).join(", ")}.`);
  return info;
}

/** The dataset cache: $QMATH_CACHE_DIR/datasets, else $XDG_CACHE_HOME/qmath/datasets, else ~/.cache/qmath/datasets. */
export function datasetsCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.QMATH_CACHE_DIR) return join(env.QMATH_CACHE_DIR, "datasets");
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "qmath", "datasets");
}

// ---------------------------------------------------------------------------------------
// Rows to problems

/** A row that does not fit its set's layout; caught per line. */
class RowError extends Error {}

function field(row: DatasetRow, name: string): unknown {
  if (!Object.hasOwn(row, name) || row[name] === null || row[name] === undefined) throw new RowError(`missing field '${name}'`);
  return row[name];
}

function text(row: DatasetRow, name: string): string {
  const v = field(row, name);
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  throw new RowError(`field '${name}' is not a string`);
}

/** A scalar field as a string (ids, levels, subjects), or undefined when absent. */
function optionalText(row: DatasetRow, name: string): string | undefined {
  const v = row[name];
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Python's str.strip() for the whitespace that occurs in the data. */
const strip = (s: string): string => s.trim();

/** The question as the harness's parse_question builds it. */
function buildQuestion(layout: string, row: DatasetRow): string {
  let q: string;
  switch (layout) {
    case "asdiv":
      q = `${strip(text(row, "body"))} ${strip(text(row, "question"))}`;
      break;
    case "svamp": {
      let body = strip(text(row, "Body"));
      if (!body.endsWith(".")) body += ".";
      q = `${body} ${strip(text(row, "Question"))}`;
      break;
    }
    case "carp_en":
      q = text(row, "content");
      break;
    case "mmlu_stem": {
      const choices = field(row, "choices");
      if (!Array.isArray(choices) || choices.length !== 4) throw new RowError("field 'choices' is not a list of 4 options");
      const options = choices.map((c, i) => `(${"ABCD"[i]}) ${strip(String(c))}`).join(" ");
      q = `${strip(text(row, "question"))}\nAnswer Choices: ${options}`;
      break;
    }
    case "sat_math": {
      let options = strip(text(row, "options"));
      if (!options.startsWith("A")) throw new RowError("field 'options' does not start with option A");
      options = "(" + options;
      for (const ch of "BCD") options = options.split(` ${ch}) `).join(` (${ch}) `);
      q = `${strip(text(row, "question"))}\nAnswer Choices: ${options}`;
      break;
    }
    case "aqua": {
      const options = field(row, "options");
      if (!Array.isArray(options) || !options.every((o) => typeof o === "string")) throw new RowError("field 'options' is not a list of strings");
      const choice = ("(" + options.join("(")).replaceAll("(", " (").replaceAll(")", ") ").trim();
      q = strip(text(row, "question")) + "\nAnswer Choices: " + choice;
      break;
    }
    case "gaokao_math_qa": {
      const options = field(row, "options");
      if (typeof options !== "object" || Array.isArray(options)) throw new RowError("field 'options' is not an object of options");
      const list = Object.entries(options as Record<string, unknown>).map(([k, v]) => `(${k}) ${String(v)}`);
      q = `${strip(text(row, "question"))}\n选项: ${list.join(" ")}`;
      break;
    }
    case "math":
    case "math500":
    case "minerva_math":
      q = text(row, "problem");
      break;
    case "mawps":
      q = text(row, "input");
      break;
    default:
      // aime24, amc23 (which carry the problem twice, as question and problem), olympiadbench,
      // college_math, the gaokao sets, cmath, cn_middle_school, gsm8k
      q = text(row, "question");
  }
  return q;
}

/** parse_question's suffix for a yes/no or true/false reference. */
function yesNoSuffix(reference: string): string {
  const r = reference.trim().replace(/\.+$/, "").toLowerCase();
  if (r === "true" || r === "false") return " (True or False)";
  if (r === "yes" || r === "no") return " (Yes or No)";
  return "";
}

function reference(layout: string, row: DatasetRow): string {
  try {
    return referenceAnswer(layout, row);
  } catch (e) {
    if (isQmathError(e)) throw new RowError(e.message.replace(/\.$/, ""));
    throw e;
  }
}

function rowToProblem(info: DatasetInfo, row: DatasetRow, lineIndex: number): Problem {
  // An empty reference is kept, as the harness keeps it (two gaokao2023en rows have their
  // answer inside the question and an empty 'answer'): dropping the row would change the
  // set's size and so every published percentage of it.
  const ref = reference(info.layout, row).trim();
  const question = (buildQuestion(info.layout, row) + yesNoSuffix(ref)).trim();
  if (question === "") throw new RowError("the question is empty");
  let id = String(lineIndex);
  if (info.idField !== null) {
    const v = optionalText(row, info.idField);
    if (v === undefined) throw new RowError(`missing field '${info.idField}'`);
    id = v;
  }
  const p: Problem = { id, dataset: info.name, question, reference: ref };
  const solution = workedSolution(info.layout, row);
  if (solution !== null && solution.trim() !== "") p.solution = solution;
  const level = info.levelField ? optionalText(row, info.levelField) : undefined;
  if (level !== undefined) p.level = level;
  const subject = info.subjectField ? optionalText(row, info.subjectField) : undefined;
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
  const lines = content.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (limit !== undefined && out.problems.length >= limit) break;
    const line = lines[i].replace(/\r$/, "");
    if (line.trim() === "") continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      out.errors.push({ line: i + 1, message: `line ${i + 1}: not valid JSON` });
      continue;
    }
    if (row === null || typeof row !== "object" || Array.isArray(row)) {
      out.errors.push({ line: i + 1, message: `line ${i + 1}: expected a JSON object` });
      continue;
    }
    try {
      out.problems.push(toProblem(row as DatasetRow, i));
    } catch (e) {
      if (!(e instanceof RowError)) throw e;
      out.errors.push({ line: i + 1, message: `line ${i + 1}: ${e.message}` });
    }
  }
  return out;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new QmathError("bad_input", `Cannot read ${path} (${code}).`, "Check the path of the data file.", { cause: e });
  }
}

/**
 * Loads a local JSON Lines file with fields of the caller's choosing. Lines that are not JSON
 * objects or lack a field are reported in `errors` with their line number; the others load.
 */
export async function loadJsonlProblems(
  path: string,
  options: { questionField: string; answerField: string; name?: string; limit?: number },
): Promise<{ problems: Problem[]; errors: { line: number; message: string }[] }> {
  const name = options.name ?? basename(path, extname(path));
  const content = await readText(path);
  return parseLines(
    content,
    (row, lineIndex) => {
      const question = text(row, options.questionField).trim();
      if (question === "") throw new RowError(`field '${options.questionField}' is empty`);
      const ref = text(row, options.answerField).trim();
      if (ref === "") throw new RowError(`field '${options.answerField}' is empty`);
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
  );
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
export function datasetCandidates(info: DatasetInfo, options: LoadDatasetOptions = {}): { dataDirs: string[]; cached: string } {
  const env = options.env ?? process.env;
  const dirs = [options.dataDir, env.QMATH_DATA_DIR].filter((d): d is string => typeof d === "string" && d !== "");
  const dataDirs: string[] = [];
  for (const d of dirs) {
    dataDirs.push(join(d, info.name, "test.jsonl"));
    if (info.file !== `${info.name}/test.jsonl`) dataDirs.push(join(d, info.file));
  }
  return { dataDirs, cached: join(options.cacheDir ?? datasetsCacheDir(env), info.name, "test.jsonl") };
}

/** Where set `name` would be read from now, or null when it has to be downloaded first. */
export function localDatasetFile(name: string, options: LoadDatasetOptions = {}): string | null {
  const { dataDirs, cached } = datasetCandidates(datasetInfo(name), options);
  return [...dataDirs, cached].find((p) => existsSync(p)) ?? null;
}

/**
 * Loads a registered benchmark set. A row that does not fit the set's layout is an error
 * (a benchmark must not be scored on part of its problems); so is a set found nowhere.
 */
export async function loadDataset(name: string, options: LoadDatasetOptions = {}): Promise<Problem[]> {
  const info = datasetInfo(name);
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
  const parsed = parseLines(await readText(path), (row, i) => rowToProblem(info, row, i), options.limit);
  if (parsed.errors.length > 0) {
    const more = parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more bad lines)` : "";
    throw new QmathError(
      "bad_input",
      `${path} does not fit the '${name}' layout: ${parsed.errors[0].message}${more}.`,
      `Each ${name} row needs ${info.questionField} and ${info.answerField}; replace the file (delete a damaged cached copy to download it again).`,
    );
  }
  const seen = new Set<string>();
  for (const p of parsed.problems) {
    if (seen.has(p.id)) throw new QmathError("bad_input", `${path} names two '${name}' problems '${p.id}'.`, "Problem ids must be unique within a set; replace the file.");
    seen.add(p.id);
  }
  return parsed.problems;
}
