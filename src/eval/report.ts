/**
 * Reports of an evaluation summary: a fixed-width table for the terminal, and in the run
 * folder summary.json (the EvalSummary as is), report.md (results, accuracy against k,
 * breakdowns by level and subject, the configuration) and the two charts it links,
 * accuracy.svg (bars per dataset) and accuracy-vs-k.svg (maj@k / pass@k / rm@k lines).
 */
import fs from "node:fs";
import path from "node:path";
import { barChartSvg, lineChartSvg, type Bar, type LineSeries } from "./charts.js";
import { outputError } from "./output-error.js";
import { configLeaves } from "./run-folder.js";
import { metricLabel, type CurvePoint, type EvalSummary, type GroupSummary, type MetricName, type Metrics } from "./summary.js";

const cell = (v: number | undefined): string => (v === undefined ? "-" : v.toFixed(1));

/** One line per dataset plus the average; a column per metric that exists. Percent, one decimal. */
export function formatSummaryTable(summary: EvalSummary): string {
  const names = summary.metricNames;
  const header = ["dataset", "problems", ...names.map((n) => metricLabel(n, summary.k))];
  const rows: string[][] = summary.datasets.map((d) => [d.dataset, String(d.problems), ...names.map((n) => cell(d.metrics[n]))]);
  if (summary.datasets.length > 1) rows.push(["average", String(summary.average.problems), ...names.map((n) => cell(summary.average.metrics[n]))]);
  // every row has one cell per header column
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  const out = [line(header), ...rows.map(line)];
  return out.join("\n");
}

/** Per-dataset breakdowns by level and by subject, as fixed-width text ("" when the data has none). */
export function formatBreakdowns(summary: EvalSummary): string {
  const names = summary.metricNames;
  const blocks: string[] = [];
  for (const d of summary.datasets) {
    for (const [kind, groups] of [["level", d.byLevel], ["subject", d.bySubject]] as const) {
      if (groups.length === 0) continue;
      const header = [`${d.dataset} by ${kind}`, "problems", ...names.map((n) => metricLabel(n, summary.k))];
      const rows = groups.map((g) => [g.key, String(g.problems), ...names.map((n) => cell(g.metrics[n]))]);
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
      blocks.push([line(header), ...rows.map(line)].join("\n"));
    }
  }
  return blocks.join("\n\n");
}

/** Markdown table cell text: pipes escaped (also inside code spans, as GFM tables need), line breaks flattened. */
function md(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function table(header: string[], rows: string[][], numericFrom = 1): string[] {
  return [
    `| ${header.map(md).join(" | ")} |`,
    `| ${header.map((_, i) => (i >= numericFrom ? "---:" : "---")).join(" | ")} |`,
    ...rows.map((r) => `| ${r.map((c, i) => (i === 0 ? c : md(c))).join(" | ")} |`),
  ];
}

function metricCells(m: Metrics, names: readonly MetricName[]): string[] {
  return names.map((n) => cell(m[n]));
}

function groupTable(kind: string, groups: readonly GroupSummary[], names: readonly MetricName[], k: number): string[] {
  return table(
    [kind, "problems", ...names.map((n) => metricLabel(n, k))],
    groups.map((g) => [md(g.key), String(g.problems), ...metricCells(g.metrics, names)]),
  );
}

const CURVE_METRICS = ["maj@k", "pass@k", "rm@k"] as const;

/** A table per curve metric: one row per dataset (and the average), one column per k. */
function curveTables(summary: EvalSummary): string[] {
  const out: string[] = [];
  const rows: { name: string; curve: CurvePoint[] }[] = summary.datasets.filter((d) => d.curve.length > 0).map((d) => ({ name: md(d.dataset), curve: d.curve }));
  if (summary.datasets.length > 1 && summary.average.curve.length > 0) rows.push({ name: "**average**", curve: summary.average.curve });
  if (rows.length === 0) return out;
  const ks = [...new Set(rows.flatMap((r) => r.curve.map((p) => p.k)))].sort((a, b) => a - b);
  for (const metric of CURVE_METRICS) {
    const withMetric = rows.filter((r) => r.curve.some((p) => p[metric] !== undefined));
    if (withMetric.length === 0) continue;
    out.push(
      ...table(
        ["dataset", ...ks.map((k) => metricLabel(metric, k))],
        withMetric.map((r) => [r.name, ...ks.map((k) => cell(r.curve.find((p) => p.k === k)?.[metric]))]),
      ),
      "",
    );
  }
  return out;
}

function configValue(v: unknown): string {
  if (v === undefined) return "";
  if (typeof v === "string") return v;
  return JSON.stringify(v) ?? String(v);
}

/** The text of report.md. `charts` names the SVG files written next to it. */
function formatReportMarkdown(summary: EvalSummary, config: object, charts: { accuracy?: string; curve?: string } = {}): string {
  const names = summary.metricNames;
  const k = summary.k;
  const out: string[] = [];
  out.push("# qmath evaluation report", "");
  const ds = summary.average.datasets;
  out.push(
    `${summary.average.problems} problems in ${ds} dataset${ds === 1 ? "" : "s"}, ${summary.samplesPerProblem} sample${summary.samplesPerProblem === 1 ? "" : "s"} per problem` +
      (summary.samplesPerProblem > 1 ? `; maj@k, pass@k and rm@k with k = ${k}.` : ".") +
      " All numbers are percentages.",
    "",
  );

  out.push("## Results", "");
  const rows = summary.datasets.map((d) => [md(d.dataset), String(d.problems), ...metricCells(d.metrics, names)]);
  if (summary.datasets.length > 1) rows.push(["**average**", String(summary.average.problems), ...metricCells(summary.average.metrics, names)]);
  out.push(...table(["dataset", "problems", ...names.map((n) => metricLabel(n, k))], rows), "");
  const legend = [
    "accuracy: the selected answer of each problem",
    names.includes("pass@1") ? "pass@1: mean accuracy over samples" : "",
    names.includes("maj@k") ? `maj@${k}: majority of the first ${k} samples, answers grouped by mathematical equivalence (ties: the earliest sample)` : "",
    names.includes("pass@k") ? `pass@${k}: unbiased estimate that one of ${k} samples is correct` : "",
    names.includes("rm@k") ? `rm@${k}: the highest reward score of the first ${k} samples` : "",
  ].filter(Boolean);
  out.push(legend.join("; ") + ".", "");
  if (summary.datasets.length > 1) out.push("The average is the unweighted mean of the per-dataset numbers.", "");
  const noAnswer = summary.datasets.filter((d) => d.noAnswer > 0);
  if (noAnswer.length > 0) out.push(`Samples without an extracted answer: ${noAnswer.map((d) => `${md(d.dataset)} ${d.noAnswer.toFixed(1)}%`).join(", ")}.`, "");
  if (charts.accuracy) out.push(`![Accuracy per dataset](${charts.accuracy})`, "");

  const curves = curveTables(summary);
  if (curves.length > 0) {
    out.push("## Accuracy against k", "");
    out.push(...curves);
    if (charts.curve) out.push(`![Accuracy against k](${charts.curve})`, "");
  }

  for (const [title, kind, field] of [
    ["By level", "level", "byLevel"],
    ["By subject", "subject", "bySubject"],
  ] as const) {
    const withGroups = summary.datasets.filter((d) => d[field].length > 0);
    if (withGroups.length === 0) continue;
    out.push(`## ${title}`, "");
    for (const d of withGroups) {
      out.push(`### ${md(d.dataset)}`, "");
      out.push(...groupTable(kind, d[field], names.filter((n) => d.metrics[n] !== undefined), k), "");
    }
  }

  out.push("## Configuration", "");
  const entries = [...configLeaves(config)].filter(([, v]) => v !== undefined);
  if (entries.length === 0) out.push("(none recorded)", "");
  else out.push(...table(["setting", "value"], entries.map(([key, v]) => [md(key), `\`${configValue(v).replace(/`/g, "'")}\``]), 2), "");
  return out.join("\n");
}

/** The bar chart of accuracy per dataset (and the average when there are several). */
function accuracyChartSvg(summary: EvalSummary): string {
  const bars: Bar[] = summary.datasets.map((d) => ({ label: d.dataset, value: d.metrics.accuracy }));
  if (summary.datasets.length > 1) bars.push({ label: "average", value: summary.average.metrics.accuracy, highlight: true });
  return barChartSvg(bars, { title: "Accuracy per dataset (selected answer)", yLabel: "accuracy (%)" });
}

/** The line chart of maj@k, pass@k (and rm@k) against k, for the average (or the one dataset); null without a curve. */
function curveChartSvg(summary: EvalSummary): string | null {
  const curve = summary.average.curve;
  if (curve.length === 0) return null;
  const xs = curve.map((p) => p.k);
  const series: LineSeries[] = CURVE_METRICS.filter((m) => curve.every((p) => p[m] !== undefined)).map((m) => ({ name: m, values: curve.map((p) => p[m] as number) }));
  const scope = summary.datasets.length === 1 ? summary.datasets[0]!.dataset : `average over ${summary.datasets.length} datasets`;
  return lineChartSvg(xs, series, { title: `Accuracy against k (${scope})`, xLabel: "k (samples)", yLabel: "accuracy (%)" });
}

const REPORT_FILES = {
  summary: "summary.json",
  report: "report.md",
  accuracyChart: "accuracy.svg",
  curveChart: "accuracy-vs-k.svg",
} as const;

/**
 * Writes summary.json, report.md, accuracy.svg and (with N > 1 samples per problem)
 * accuracy-vs-k.svg into dir (created if missing). Returns the paths written.
 */
export async function writeReports(dir: string, summary: EvalSummary, config: object): Promise<string[]> {
  await fs.promises.mkdir(dir, { recursive: true }).catch((e: unknown) => {
    throw outputError(e, dir);
  });
  const written: string[] = [];
  const write = async (name: string, text: string) => {
    const file = path.join(dir, name);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await fs.promises.writeFile(tmp, text);
      await fs.promises.rename(tmp, file);
    } catch (e) {
      await fs.promises.rm(tmp, { force: true });
      throw outputError(e, dir);
    }
    written.push(file);
  };
  await write(REPORT_FILES.summary, JSON.stringify(summary, null, 2) + "\n");
  await write(REPORT_FILES.accuracyChart, accuracyChartSvg(summary));
  const curve = curveChartSvg(summary);
  if (curve !== null) await write(REPORT_FILES.curveChart, curve);
  else await fs.promises.rm(path.join(dir, REPORT_FILES.curveChart), { force: true });
  await write(
    REPORT_FILES.report,
    formatReportMarkdown(summary, config, { accuracy: REPORT_FILES.accuracyChart, ...(curve !== null && { curve: REPORT_FILES.curveChart }) }) + "\n",
  );
  return written;
}
