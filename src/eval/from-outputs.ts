/**
 * Scoring recorded outputs of the Qwen2.5-Math evaluation harness (the JSONL that
 * evaluation/math_eval.py saves, and that evaluation/rm_maj_eval.py reads): one problem per
 * line with
 *   - the responses: `code` (a list of strings; math_eval.py's name) or `response`;
 *   - the reference: for a known set, read from the set's own fields when the line carries them
 *     (`answer`, `solution`, gsm8k's "#### n", ...) through referenceAnswer, since the harness's
 *     clean-up of `gt` damages some ("\\text{4:30 p.m.}" becomes "4:30p.."); else `gt`
 *     (math_eval.py's parsed reference). `references` counts the lines whose two differ;
 *   - optionally `pred` (extracted answers) and `score` (booleans): both ignored, every
 *     response is re-extracted and re-graded with qmath's extractAnswer + equivalent;
 *   - optionally `pred_score`: reward scores, a list of one-score lists (rm_maj_eval.py
 *     flattens it), or a flat list of numbers;
 *   - `idx`, `question`, `level`, `type` (MATH's subject) or `subject`, and `data_source`.
 * The dataset name comes from options.dataset, else the line's `data_source`, else the
 * folder the file is in when it is a harness dataset name (math_eval.py writes
 * <output_dir>/<data_name>/<...>.jsonl), else "outputs".
 *
 * maj@k and rm@k are computed on the first k responses as rm_maj_eval.py does, but the
 * majority clusters answers by mathematical equivalence (the reference counts strings), and
 * ties go to the earliest sample in both. pass@1 is the mean accuracy over all responses of
 * a line and pass@k the unbiased estimator over all of them. Every number comes from
 * select/metrics.ts, and the summary gets the same equivalence options as the grading.
 */
import fs from "node:fs";
import path from "node:path";
import { equivalent, type EquivalenceOptions, type EquivalenceReason } from "../answers/equivalent.js";
import { extractAnswer } from "../answers/extract.js";
import { answerStyleOf, findDataset, referenceAnswer } from "../datasets/registry.js";
import { QmathError } from "../errors.js";
import { metricsAtK, sampleMetrics, type ProblemOutcome } from "../select/metrics.js";
import type { ProblemRecord, SampleRecord } from "./record.js";
import { summarize, type EvalSummary } from "./summary.js";
import { jsonlLines } from "../jsonl.js";

export interface ScoreOutputsOptions {
  /** maj@k / rm@k / pass@k. Every line needs at least k responses. */
  k: number;
  /** Dataset name for every line (extraction rules, multiple choice), overriding the file's. */
  dataset?: string;
  /** Passed to equivalent(). */
  equivalence?: EquivalenceOptions;
}

export interface OutputsLineError {
  /** 1-based line number in the file. */
  line: number;
  /** What is wrong with the line (without its number): "not valid JSON", "3 responses, fewer than k = 4". */
  message: string;
}

/**
 * Metrics over all scored lines together (problem-weighted, as rm_maj_eval.py computes
 * over one file), in percent: "pass@1", "maj@<k>", "pass@<k>", and "rm@<k>" when every
 * scored line has pred_score.
 */
export interface OutputsMetrics {
  "pass@1": number;
  [key: string]: number;
}

/** Where the references came from: the set's own fields, and how many of those are a different answer from the harness's `gt`. */
export interface ReferenceCounts {
  /** Scored lines whose reference was read from the set's own fields (`answer`, `solution`, ...). */
  fromSet: number;
  /** Of those, lines that also carry `gt` and whose `gt` is not the same answer (the harness's clean-up damaged it). */
  differFromGt: number;
}

export interface ScoredOutputs {
  summary: EvalSummary;
  records: ProblemRecord[];
  errors: OutputsLineError[];
  metrics: OutputsMetrics;
  references: ReferenceCounts;
}

/** Data names of the harness (its data/ folders), for naming a dataset after the file's folder. */
const HARNESS_DATASETS = new Set([
  "gsm8k", "math", "math500", "minerva_math", "gaokao2023en", "olympiadbench", "college_math", "aime24", "amc23",
  "svamp", "asdiv", "mawps", "tabmwp", "mmlu_stem", "sat_math", "carp_en", "cmath", "cn_middle_school", "aqua",
  "gaokao_math_cloze", "gaokao_math_qa", "gaokao2024_I", "gaokao2024_II", "gaokao2024_mix", "math_oai",
]);

class LineError extends Error {}

function responsesOf(row: Record<string, unknown>): string[] {
  const field = row.code !== undefined ? "code" : row.response !== undefined ? "response" : null;
  if (field === null) throw new LineError("missing the responses ('code' or 'response')");
  const v = row[field];
  if (typeof v === "string") return [v];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw new LineError(`'${field}' must be a list of strings`);
  return v as string[];
}

/** The harness's cleaned reference (`gt`), or null when the line has none. */
function harnessGold(row: Record<string, unknown>): string | null {
  const gt = row.gt;
  if (typeof gt === "string" && gt.trim() !== "") return gt;
  if (typeof gt === "number" && Number.isFinite(gt)) return Number.isInteger(gt) ? gt.toFixed(0) : String(gt);
  if (Array.isArray(gt) && gt.length > 0 && gt.every((x) => typeof x === "string")) return gt.join(", ");
  return null;
}

/**
 * The reference of a line: read with qmath's own parsing from the set's original fields when
 * the line carries them (`answer`, `solution`, GSM8K's "#### n": the harness's clean-up of
 * `gt` damages some, "\text{4:30 p.m.}" becomes "4:30p.."), else the harness's `gt`.
 * `fromSet` says which; `gt` is the harness's, for counting disagreements.
 */
function goldOf(row: Record<string, unknown>, dataset: string): { gold: string; gt: string | null; fromSet: boolean } {
  const gt = harnessGold(row);
  if (findDataset(dataset)) {
    try {
      return { gold: referenceAnswer(dataset, row), gt, fromSet: true };
    } catch {
      // the line lacks the set's own fields: the harness's gt
    }
  }
  if (gt !== null) return { gold: gt, gt, fromSet: false };
  try {
    return { gold: referenceAnswer(dataset, row), gt, fromSet: true };
  } catch {
    throw new LineError("missing the reference answer ('gt' or 'answer')");
  }
}

function scoresOf(row: Record<string, unknown>, count: number): number[] | null {
  const v = row.pred_score;
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw new LineError("'pred_score' must be a list");
  const flat: number[] = [];
  for (const x of v) {
    if (Array.isArray(x)) {
      for (const y of x) {
        if (typeof y !== "number") throw new LineError("'pred_score' must hold numbers or lists of numbers");
        flat.push(y);
      }
    } else if (typeof x === "number") flat.push(x);
    else throw new LineError("'pred_score' must hold numbers or lists of numbers");
  }
  if (flat.length !== count) throw new LineError(`'pred_score' has ${flat.length} scores for ${count} responses`);
  return flat;
}

const label = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : undefined);

interface ScoredLine {
  record: ProblemRecord;
  outcome: ProblemOutcome;
  /** Whether the reference came from the set's own fields, and whether it is a different answer from the harness's gt. */
  fromSet: boolean;
  differsFromGt: boolean;
}

function scoreLine(row: Record<string, unknown>, lineNo: number, dataset: string, k: number, eq: EquivalenceOptions): ScoredLine {
  const responses = responsesOf(row);
  if (responses.length < k) throw new LineError(`${responses.length} response${responses.length === 1 ? "" : "s"}, fewer than k = ${k}`);
  const { gold, gt, fromSet } = goldOf(row, dataset);
  const differsFromGt = fromSet && gt !== null && !equivalent(gold, gt, eq).equivalent;
  const scores = scoresOf(row, responses.length);

  // grade each distinct answer once: N samples of a problem often repeat their answer
  const graded = new Map<string, { correct: boolean; reason: EquivalenceReason }>();
  const extractOptions = { answerStyle: answerStyleOf(dataset) };
  const samples: SampleRecord[] = new Array(responses.length);
  for (const [i, text] of responses.entries()) {
    const answer = extractAnswer(text, extractOptions);
    let verdict: { correct: boolean; reason: EquivalenceReason };
    if (answer === null) verdict = { correct: false, reason: "unparseable" };
    else {
      let g = graded.get(answer);
      if (!g) {
        const r = equivalent(answer, gold, eq);
        g = { correct: r.equivalent, reason: r.reason };
        graded.set(answer, g);
      }
      verdict = g;
    }
    const sample: SampleRecord = { text, answer, correct: verdict.correct, reason: verdict.reason, finishReason: "unknown", tokens: 0 };
    if (scores) sample.score = scores[i]!; // one score per response (scoresOf checks)
    samples[i] = sample;
  }

  // the selected answer is maj@k's winner: the record's accuracy is maj@k
  const outcome = sampleMetrics(samples, k, eq);
  const winner = outcome.atK.get(k)!.majWinner;
  const selected = winner ?? 0;

  const id = label(row.idx) ?? `line-${lineNo}`;
  const record: ProblemRecord = {
    dataset,
    id,
    question: typeof row.question === "string" ? row.question : typeof row.problem === "string" ? row.problem : "",
    reference: gold,
    samples,
    selected,
    answer: samples[selected]!.answer,
    correct: winner !== null && samples[winner]!.correct,
    timeMs: 0,
  };
  const level = label(row.level);
  if (level !== undefined) record.level = level;
  const subject = label(row.subject) ?? label(row.type);
  if (subject !== undefined) record.subject = subject;
  return { record, outcome, fromSet, differsFromGt };
}

function datasetFromPath(file: string): string | undefined {
  const folder = path.basename(path.dirname(path.resolve(file)));
  return HARNESS_DATASETS.has(folder) ? folder : undefined;
}

/**
 * Scores the lines of an outputs file already in memory. `source` names the file for the
 * dataset fallback (its folder). Same result as scoreOutputs.
 */
export function scoreOutputsText(text: string, options: ScoreOutputsOptions & { source?: string }): ScoredOutputs {
  const k = options.k;
  if (!Number.isInteger(k) || k < 1) throw new QmathError("bad_input", `k must be a whole number of at least 1, not ${k}.`, "Use --k 8 for maj@8 / rm@8.");
  const fallback = options.dataset ?? (options.source ? datasetFromPath(options.source) : undefined) ?? "outputs";
  const eq = options.equivalence ?? {};
  const records: ProblemRecord[] = [];
  const outcomes: ProblemOutcome[] = [];
  const errors: OutputsLineError[] = [];
  const references: ReferenceCounts = { fromSet: 0, differFromGt: 0 };

  for (const parsed of jsonlLines(text)) {
    const lineNo = parsed.line;
    if (!parsed.ok) {
      errors.push({ line: lineNo, message: parsed.error });
      continue;
    }
    const obj = parsed.value;
    const dataset = options.dataset ?? label(obj.data_source) ?? fallback;
    try {
      const { record, outcome, fromSet, differsFromGt } = scoreLine(obj, lineNo, dataset, k, eq);
      records.push(record);
      outcomes.push(outcome);
      if (fromSet) references.fromSet++;
      if (differsFromGt) references.differFromGt++;
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      errors.push({ line: lineNo, message: e.message });
    }
  }

  if (records.length === 0) {
    const first = errors[0] ? ` (${errors.length} bad line${errors.length === 1 ? "" : "s"}; first: line ${errors[0].line}: ${errors[0].message})` : " (the file is empty)";
    throw new QmathError("bad_input", `No line of the outputs could be scored${first}.`, "Give the JSONL that math_eval.py saves: 'code' (responses) and 'gt' on every line.");
  }

  const pooled = metricsAtK(outcomes, k);
  const metrics: OutputsMetrics = { "pass@1": pooled["pass@1"] };
  metrics[`maj@${k}`] = pooled["maj@k"];
  if (pooled["rm@k"] !== undefined) metrics[`rm@${k}`] = pooled["rm@k"];
  metrics[`pass@${k}`] = pooled["pass@k"];

  return { summary: summarize(records, { k, equivalence: eq }), records, errors, metrics, references };
}

/**
 * Re-extracts and re-grades every response of a math_eval.py outputs file. Bad lines (not
 * JSON, missing fields, fewer than k responses) are listed in `errors` by line number and
 * the rest are scored. Throws QmathError("bad_input") when the file cannot be read or no
 * line can be scored.
 */
export async function scoreOutputs(file: string, options: ScoreOutputsOptions): Promise<ScoredOutputs> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, "utf8");
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "cannot be read";
    throw new QmathError("bad_input", `Outputs file ${file} ${reason}.`, "Give the path of a math_eval.py outputs .jsonl file.", { cause: e });
  }
  return scoreOutputsText(text, { ...options, source: file });
}
