/**
 * Reference answers and worked solutions from each benchmark set's own fields (each set
 * names them differently; see shared/datasets/README.md). Mirrors parse_ground_truth of
 * the Qwen2.5-Math harness, without its lossy string stripping: normalisation is the
 * grader's job.
 */
import { QmathError } from "../errors.js";
import { lastBoxed } from "./extract.js";

export type DatasetRow = Record<string, unknown>;

function str(row: DatasetRow, field: string, dataset: string): string {
  const v = row[field];
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return numberText(v);
  throw new QmathError("bad_input", `${dataset} row has no '${field}' field.`, `Each ${dataset} row needs '${field}' (see the dataset's field layout).`);
}

/** 27.0 as "27", 0.5 as "0.5". */
function numberText(v: number): string {
  return Number.isInteger(v) ? v.toFixed(0) : String(v);
}

const LETTERS = "ABCDEFGH";

/** The reference answer of one row of a benchmark set. Throws QmathError("bad_input") when the row lacks the field. */
export function referenceAnswer(dataset: string, row: DatasetRow): string {
  switch (dataset) {
    case "math":
    case "math500":
      if (typeof row.answer === "string") return row.answer;
      return boxedOf(str(row, "solution", dataset), dataset);
    case "minerva_math":
      return boxedOf(str(row, "solution", dataset), dataset);
    case "gsm8k": {
      const a = str(row, "answer", dataset);
      const i = a.lastIndexOf("####");
      if (i < 0) throw new QmathError("bad_input", "gsm8k answer has no '####' marker.", "GSM8K answers end with '#### <number>'.");
      return a.slice(i + 4).trim().replace(/,/g, "");
    }
    case "svamp":
      return str(row, "Answer", dataset);
    case "asdiv":
      return str(row, "answer", dataset).replace(/\([^()]*\)/g, "").trim();
    case "mawps":
      return str(row, "target", dataset);
    case "mmlu_stem": {
      const v = row.answer;
      if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v < LETTERS.length) return LETTERS[v];
      return str(row, "answer", dataset);
    }
    case "sat_math":
      return str(row, "Answer", dataset);
    case "aqua":
      return str(row, "correct", dataset);
    case "gaokao2023en":
    case "college_math":
    case "gaokao_math_cloze":
      return str(row, "answer", dataset).replace(/\$/g, "").trim();
    case "gaokao_math_qa":
      return str(row, "label", dataset);
    case "gaokao2024_mix":
    case "cn_middle_school": {
      const c = row.choice_answer;
      return typeof c === "string" && c.length > 0 ? c : str(row, "answer", dataset);
    }
    case "olympiadbench": {
      const fa = row.final_answer;
      if (Array.isArray(fa) && fa.length > 0 && fa.every((x) => typeof x === "string")) return fa.map((x: string) => x.trim().replace(/^\$|\$$/g, "")).join(", ");
      return str(row, "final_answer", dataset);
    }
    case "carp_en":
    case "aime24":
    case "amc23":
    case "cmath":
    case "gaokao2024_I":
    case "gaokao2024_II":
      return str(row, "answer", dataset);
    default:
      for (const f of ["answer", "final_answer", "Answer", "target", "label", "correct", "gt"]) {
        const v = row[f];
        if (typeof v === "string" || (typeof v === "number" && Number.isFinite(v))) return str(row, f, dataset);
      }
      throw new QmathError("bad_input", `Cannot find the reference answer of a '${dataset}' row.`, "Give rows with an 'answer' field, or use one of the known dataset names.");
  }
}

function boxedOf(solution: string, dataset: string): string {
  const b = lastBoxed(solution);
  if (b === null) throw new QmathError("bad_input", `${dataset} solution has no \\boxed answer.`, "The reference answer of this set is the last \\boxed{...} of 'solution'.");
  return b;
}

/**
 * The worked solution of a row, for sets that carry one next to the final answer, or null.
 * For GSM8K it is the reasoning before the "####" line.
 */
export function workedSolution(dataset: string, row: DatasetRow): string | null {
  const s = (f: string): string | null => (typeof row[f] === "string" ? (row[f] as string) : null);
  switch (dataset) {
    case "math":
    case "math500":
    case "minerva_math":
    case "aime24":
      return s("solution");
    case "olympiadbench": {
      const sol = row.solution;
      return Array.isArray(sol) && typeof sol[0] === "string" ? sol[0] : null;
    }
    case "gsm8k": {
      const a = s("answer");
      return a === null ? null : a.slice(0, Math.max(0, a.lastIndexOf("####")));
    }
    case "aqua":
      return s("rationale");
    case "carp_en":
      return s("steps");
    default:
      return null;
  }
}
