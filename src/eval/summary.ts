/**
 * The numbers of an evaluation, computed from its ProblemRecords: per dataset the accuracy
 * of the selected answers and, with N > 1 samples per problem, pass@1 (mean accuracy over
 * samples), maj@k (equivalence-clustered majority of the first k), pass@k (unbiased) and
 * rm@k (highest reward score of the first k, when every sample has a score), all from
 * select/metrics.ts with the caller's equivalence options; the average
 * across datasets (the unweighted mean of the per-dataset numbers, as the papers' "Avg."
 * column); breakdowns by level and subject; and accuracy against k = 1, 2, 4, ..., N for
 * the chart. All numbers are percentages, unrounded; every object is plain JSON.
 */
import type { EquivalenceOptions } from "../answers/equivalent.js";
import { QmathError } from "../errors.js";
import { accuracy, accuracyCurve, curveKs, metricsAtK, sampleMetrics, type CurvePoint, type ProblemOutcome } from "../select/metrics.js";
import type { ProblemRecord } from "./record.js";

export { curveKs, type CurvePoint };

/** Metric values in percent. Keys other than accuracy exist only when they can be computed. */
export interface Metrics {
  /** Accuracy of the selected answers. */
  accuracy: number;
  /** Mean accuracy over samples (N > 1). */
  "pass@1"?: number;
  /** Majority among the first k samples, clustered by equivalence (N > 1). */
  "maj@k"?: number;
  /** Unbiased pass@k (N > 1). */
  "pass@k"?: number;
  /** Highest-scored of the first k samples (N > 1 and every sample has a score). */
  "rm@k"?: number;
}

export type MetricName = keyof Metrics;

/** All metric names in display order. */
const METRIC_NAMES: readonly MetricName[] = ["accuracy", "pass@1", "maj@k", "pass@k", "rm@k"];

/** A slice of one dataset (one level, one subject). */
export interface GroupSummary {
  /** The level or subject as the records state it ("(none)" for records without one). */
  key: string;
  problems: number;
  metrics: Metrics;
}

export interface DatasetSummary {
  dataset: string;
  problems: number;
  /** Samples over all problems. */
  samples: number;
  /** Samples per problem: the smallest N among the dataset's problems. */
  samplesPerProblem: number;
  /** Share of samples without an extracted answer, percent. */
  noAnswer: number;
  metrics: Metrics;
  /** Accuracy against k = 1, 2, 4, ..., N (and N itself); empty when N = 1. */
  curve: CurvePoint[];
  /** By level, when any record has one (natural order: "Level 2" before "Level 10"). */
  byLevel: GroupSummary[];
  /** By subject, when any record has one (alphabetical). */
  bySubject: GroupSummary[];
}

export interface EvalSummary {
  /** The k of maj@k, pass@k and rm@k. */
  k: number;
  /** Smallest number of samples per problem over all records. */
  samplesPerProblem: number;
  /** Metrics that exist in at least one dataset, in display order. */
  metricNames: MetricName[];
  /** In order of first appearance in the records. */
  datasets: DatasetSummary[];
  /**
   * Unweighted mean of the per-dataset numbers. A metric is averaged only when every
   * dataset has it; the curve only over the k that every dataset has.
   */
  average: {
    datasets: number;
    problems: number;
    samples: number;
    metrics: Metrics;
    curve: CurvePoint[];
  };
}

export interface SummaryOptions {
  /** k for maj@k / pass@k / rm@k. Default: the number of samples per problem (the smallest N). */
  k?: number;
  /** How maj@k clusters answers: the options the samples were graded and voted with. */
  equivalence?: EquivalenceOptions;
}

/** Per-problem outcomes, computed once and reused for every grouping. */
interface Outcome {
  record: ProblemRecord;
  metrics: ProblemOutcome;
}

function metricsOf(outcomes: readonly Outcome[], n: number, k: number): Metrics {
  const m: Metrics = { accuracy: accuracy(outcomes.map((o) => o.record.correct)) };
  if (n <= 1 || outcomes.length === 0) return m;
  return { ...m, ...metricsAtK(outcomes.map((o) => o.metrics), k) };
}

function curveOf(outcomes: readonly Outcome[], n: number): CurvePoint[] {
  if (n <= 1 || outcomes.length === 0) return [];
  return accuracyCurve(outcomes.map((o) => o.metrics), curveKs(n));
}

const naturalOrder = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true, sensitivity: "base" }) || (a < b ? -1 : a > b ? 1 : 0);

function groupsOf(outcomes: readonly Outcome[], field: "level" | "subject", n: number, k: number): GroupSummary[] {
  if (!outcomes.some((o) => o.record[field] !== undefined && o.record[field] !== null)) return [];
  const groups = new Map<string, Outcome[]>();
  for (const o of outcomes) {
    const v = o.record[field];
    const key = v === undefined || v === null || String(v) === "" ? "(none)" : String(v);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(o);
  }
  return [...groups.keys()].sort(naturalOrder).map((key) => {
    const list = groups.get(key) as Outcome[];
    return { key, problems: list.length, metrics: metricsOf(list, n, k) };
  });
}

function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * Summarises finished problems. Throws QmathError("bad_input") for no records, a record
 * without samples, or a k that is not a whole number between 1 and the samples per problem.
 */
export function summarize(records: readonly ProblemRecord[], options: SummaryOptions = {}): EvalSummary {
  if (records.length === 0) throw new QmathError("bad_input", "No finished problems to summarise.", "Run the evaluation (or score recorded outputs) first.");
  let n = Infinity;
  for (const r of records) {
    if (r.samples.length === 0) throw new QmathError("bad_input", `Problem ${r.dataset}/${r.id} has no samples.`, "Every finished problem needs at least one sample.");
    n = Math.min(n, r.samples.length);
  }
  const k = options.k ?? n;
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new QmathError("bad_input", `k must be a whole number from 1 to ${n} (the samples per problem), not ${k}.`, `Use --k between 1 and ${n}.`);

  const byDataset = new Map<string, ProblemRecord[]>();
  for (const r of records) {
    let list = byDataset.get(r.dataset);
    if (!list) byDataset.set(r.dataset, (list = []));
    list.push(r);
  }

  const datasets: DatasetSummary[] = [];
  for (const [dataset, list] of byDataset) {
    let dn = Infinity;
    let samples = 0;
    let noAnswer = 0;
    for (const r of list) {
      dn = Math.min(dn, r.samples.length);
      samples += r.samples.length;
      for (const s of r.samples) if (s.answer === null) noAnswer++;
    }
    const ks = dn > 1 ? [...new Set([...curveKs(dn), k])] : [1];
    const outcomes = list.map((record) => ({ record, metrics: sampleMetrics(record.samples, ks, options.equivalence) }));
    datasets.push({
      dataset,
      problems: list.length,
      samples,
      samplesPerProblem: dn,
      noAnswer: (100 * noAnswer) / samples,
      metrics: metricsOf(outcomes, dn, k),
      curve: curveOf(outcomes, dn),
      byLevel: groupsOf(outcomes, "level", dn, k),
      bySubject: groupsOf(outcomes, "subject", dn, k),
    });
  }

  const metricNames = METRIC_NAMES.filter((name) => datasets.some((d) => d.metrics[name] !== undefined));
  const average: Metrics = { accuracy: mean(datasets.map((d) => d.metrics.accuracy)) };
  for (const name of metricNames) {
    if (name !== "accuracy" && datasets.every((d) => d.metrics[name] !== undefined)) average[name] = mean(datasets.map((d) => d.metrics[name] as number));
  }

  // the average curve: over the k every dataset has
  const common = datasets.every((d) => d.curve.length > 0) ? datasets[0]!.curve.map((p) => p.k).filter((kk) => datasets.every((d) => d.curve.some((p) => p.k === kk))) : [];
  const avgCurve = common.map((kk) => {
    const points = datasets.map((d) => d.curve.find((p) => p.k === kk) as CurvePoint);
    const p: CurvePoint = { k: kk, "maj@k": mean(points.map((q) => q["maj@k"])), "pass@k": mean(points.map((q) => q["pass@k"])) };
    if (points.every((q) => q["rm@k"] !== undefined)) p["rm@k"] = mean(points.map((q) => q["rm@k"] as number));
    return p;
  });

  return {
    k,
    samplesPerProblem: n,
    metricNames,
    datasets,
    average: {
      datasets: datasets.length,
      problems: records.length,
      samples: datasets.reduce((s, d) => s + d.samples, 0),
      metrics: average,
      curve: avgCurve,
    },
  };
}

/** The metric's label with k filled in: "maj@k" with k = 8 -> "maj@8". */
export function metricLabel(name: MetricName, k: number): string {
  return name.endsWith("@k") ? name.replace("@k", `@${k}`) : name;
}
