/**
 * What qmath knows about one benchmark set, in one value: its file and fields, how the
 * question is built (multiple-choice options included) and the reference read, how answers
 * are extracted, which of the harness's few-shot sets prompts base models, and where the
 * file can be downloaded. The descriptors themselves are in sets.ts.
 */
import type { AnswerStyle } from "../answers/extract.js";
import { lastBoxed } from "../answers/extract.js";
import { QmathError } from "../errors.js";

export type DatasetRow = Record<string, unknown>;

/** Where a set is published on the Hugging Face Hub. */
export interface HubSource {
  /** Dataset repository, "owner/name". */
  repo: string;
  /** JSON Lines file inside the repository. */
  path: string;
  /** Branch, tag or commit (default "main"). */
  revision?: string;
  /** Expected SHA-256 of the file, when known; else the checksum the Hub publishes is used (LFS files only). */
  sha256?: string;
  /**
   * Maps one row of the published file to the field layout the loader expects, for a source
   * whose schema differs. Absent when the file already has the set's own layout.
   */
  convert?: (row: Record<string, unknown>) => Record<string, unknown>;
}

/** Which of the harness's few-shot sets (evaluation/examples.py) a set's base-model prompt takes. */
export interface FewShotChoice {
  /** The key in examples.py (utils.py load_prompt maps the set to it). */
  set: string;
  /** How many shots, the first ones (eval.sh's --num_shots for the set). */
  shots: number;
  /** --adapt_few_shot: shots only for questions whose reference is one choice letter, the others zero-shot. */
  onlyForChoiceAnswers?: boolean;
}

export interface DatasetDescriptor {
  name: string;
  description: string;
  /** The file inside a data folder like shared/datasets: `<name>/test.jsonl` unless said otherwise. */
  file: string;
  /** Number of problems in the published test split. */
  rows: number;
  /** The field(s) the question is built from (for people: the README and error hints). */
  questionField: string;
  /** The field(s) the reference answer comes from (for people). */
  answerField: string;
  /** The field that names a problem; a row without it is named by its line index. Null: always by line index. */
  idField: string | null;
  levelField?: string;
  subjectField?: string;
  /** How answers to this set are extracted (see extractAnswer). */
  answerStyle: AnswerStyle;
  /** Every reference is a choice letter and the options are formatted into the question (answerStyle "choice"). */
  multipleChoice: boolean;
  /** The few-shot set the harness prompts base models with, or null for zero-shot sets. */
  fewShot: FewShotChoice | null;
  /** Where the set can be downloaded; absent when there is no JSON/JSONL copy on the Hub. */
  hub?: HubSource;
  /** The question as the harness's parse_question builds it (before the yes/no suffix). Throws RowError. */
  question(row: DatasetRow): string;
  /** The reference answer (parse_ground_truth, without its lossy string stripping). Throws QmathError("bad_input"). */
  reference(row: DatasetRow): string;
  /** The worked solution, for sets that carry one next to the final answer, else null. */
  solution(row: DatasetRow): string | null;
}

/** A row that does not fit its set's layout; the loaders report it with its line number. */
export class RowError extends Error {}

function present(row: DatasetRow, name: string): unknown {
  if (!Object.hasOwn(row, name) || row[name] === null || row[name] === undefined) throw new RowError(`missing field '${name}'`);
  return row[name];
}

/** A required string field (a finite number is written as it is). Throws RowError. */
export function text(row: DatasetRow, name: string): string {
  const v = present(row, name);
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  throw new RowError(`field '${name}' is not a string`);
}

/** A required field of any type. Throws RowError. */
export function value(row: DatasetRow, name: string): unknown {
  return present(row, name);
}

/** A scalar field as a string (ids, levels, subjects), or undefined when absent. */
export function optionalText(row: DatasetRow, name: string): string | undefined {
  const v = row[name];
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A string field, or null. */
export function optionalString(row: DatasetRow, name: string): string | null {
  const v = row[name];
  return typeof v === "string" ? v : null;
}

/** 27.0 as "27", 0.5 as "0.5". */
function numberText(v: number): string {
  return Number.isInteger(v) ? v.toFixed(0) : String(v);
}

/** A reference field: a string, or a number written without a trailing ".0". Throws QmathError("bad_input"). */
export function answerText(row: DatasetRow, field: string, set: string): string {
  const v = row[field];
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return numberText(v);
  throw new QmathError("bad_input", `${set} row has no '${field}' field.`, `Each ${set} row needs '${field}' (see the set's file layout in the README).`);
}

/** The last \boxed{} of a solution field. Throws QmathError("bad_input"). */
export function boxedAnswer(row: DatasetRow, field: string, set: string): string {
  const b = lastBoxed(answerText(row, field, set));
  if (b === null) throw new QmathError("bad_input", `${set} solution has no \\boxed answer.`, `The reference answer of this set is the last \\boxed{...} of '${field}'.`);
  return b;
}

/** The reference of a row of a set qmath has no descriptor for: the first of the usual answer fields. */
export function genericReference(row: DatasetRow, set: string): string {
  for (const f of ["answer", "final_answer", "Answer", "target", "label", "correct", "gt"]) {
    const v = row[f];
    if (typeof v === "string" || (typeof v === "number" && Number.isFinite(v))) return answerText(row, f, set);
  }
  throw new QmathError("bad_input", `Cannot find the reference answer of a '${set}' row.`, "Give rows with an 'answer' field, or use one of the known dataset names.");
}
