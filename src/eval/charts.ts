/**
 * Two small hand-written SVG charts for the evaluation report: bars (one value per label)
 * and lines (series over a shared x). Plain SVG 1.1 with axes, grid, labels and the values
 * written on the chart; no script, no external fonts, no dependency.
 */

export interface Bar {
  label: string;
  value: number;
  /** Drawn in the highlight colour (the average). */
  highlight?: boolean;
}

export interface LineSeries {
  name: string;
  /** One value per x; null draws no point there (the line joins its neighbours). */
  values: (number | null)[];
}

const FONT = `font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"`;
const BAR = "#4c78a8";
const HIGHLIGHT = "#f58518";
const COLOURS = ["#4c78a8", "#54a24b", "#e45756", "#b279a2", "#f58518", "#72b7b2"];
const AXIS = "#333333";
const GRID = "#e3e3e3";
const TEXT = "#222222";

/** Text for SVG/XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

const r1 = (x: number): string => (Math.round(x * 10) / 10).toString();
const fmt = (v: number): string => v.toFixed(1);

function open(width: number, height: number, title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${r1(width / 2)}" y="22" text-anchor="middle" font-size="15" font-weight="600" fill="${TEXT}" ${FONT}>${escapeXml(title)}</text>`,
  ];
}

/** Horizontal grid lines and y tick labels between lo and hi (percent). */
function yAxis(out: string[], left: number, right: number, top: number, bottom: number, lo: number, hi: number, step: number, yLabel: string): void {
  const y = (v: number) => bottom - ((v - lo) / (hi - lo)) * (bottom - top);
  for (let v = lo; v <= hi + 1e-9; v += step) {
    out.push(`<line x1="${left}" y1="${r1(y(v))}" x2="${right}" y2="${r1(y(v))}" stroke="${GRID}" stroke-width="1"/>`);
    out.push(`<text x="${left - 6}" y="${r1(y(v) + 4)}" text-anchor="end" font-size="11" fill="${TEXT}" ${FONT}>${r1(v)}</text>`);
  }
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="${AXIS}" stroke-width="1"/>`);
  out.push(`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="${AXIS}" stroke-width="1"/>`);
  const mid = r1((top + bottom) / 2);
  out.push(`<text x="14" y="${mid}" text-anchor="middle" font-size="12" fill="${TEXT}" transform="rotate(-90 14 ${mid})" ${FONT}>${escapeXml(yLabel)}</text>`);
}

/** A bar chart of percentages (0 to 100), the value written above each bar. */
export function barChartSvg(bars: readonly Bar[], options: { title: string; yLabel: string }): string {
  const longest = Math.max(0, ...bars.map((b) => b.label.length));
  const left = 56;
  const top = 44;
  const plotH = 220;
  // the plot is at least as wide as the title needs; bars share it evenly, at most 56 px wide
  const plotW = Math.max(Math.min(96, Math.max(56, longest * 7 + 16)) * bars.length, options.title.length * 9.5 - 30, 280);
  const slot = plotW / Math.max(1, bars.length);
  const rotate = longest * 7 + 8 > slot;
  const bottomPad = rotate ? Math.min(120, 24 + longest * 5) : 40;
  const right = left + plotW;
  const width = right + 24;
  const height = top + plotH + bottomPad;
  const bottom = top + plotH;
  const out = open(width, height, options.title);
  yAxis(out, left, right, top, bottom, 0, 100, 20, options.yLabel);
  const barW = Math.round(Math.min(56, slot * 0.62));
  bars.forEach((b, i) => {
    const v = Math.max(0, Math.min(100, b.value));
    const cx = left + slot * i + slot / 2;
    const h = (v / 100) * plotH;
    const fill = b.highlight ? HIGHLIGHT : BAR;
    out.push(`<rect x="${r1(cx - barW / 2)}" y="${r1(bottom - h)}" width="${barW}" height="${r1(h)}" fill="${fill}"><title>${escapeXml(`${b.label}: ${fmt(b.value)}`)}</title></rect>`);
    out.push(`<text x="${r1(cx)}" y="${r1(bottom - h - 5)}" text-anchor="middle" font-size="11" fill="${TEXT}" ${FONT}>${fmt(b.value)}</text>`);
    const ly = bottom + 16;
    if (rotate) out.push(`<text x="${r1(cx)}" y="${ly}" text-anchor="end" font-size="11" fill="${TEXT}" transform="rotate(-35 ${r1(cx)} ${ly})" ${FONT}>${escapeXml(b.label)}</text>`);
    else out.push(`<text x="${r1(cx)}" y="${ly}" text-anchor="middle" font-size="11" fill="${TEXT}" ${FONT}>${escapeXml(b.label)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

/** Range of the y axis: multiples of 10 around the values, at least 10 wide, within 0..100; and the grid step. */
function yRange(values: readonly number[]): [number, number, number] {
  if (values.length === 0) return [0, 100, 20];
  // room below the lowest point for its label
  let lo = Math.max(0, Math.floor((Math.min(...values) - 4) / 10) * 10);
  let hi = Math.min(100, Math.ceil(Math.max(...values) / 10) * 10);
  if (hi - lo < 10) {
    if (hi < 100) hi = lo + 10;
    else lo = hi - 10;
  }
  if (hi === lo) hi = lo + 10;
  const span = hi - lo;
  return [lo, hi, span <= 20 ? 2 : span <= 50 ? 5 : 10];
}

/**
 * A line chart of percentages over x values placed on a log2 scale (k = 1, 2, 4, 8), each
 * point labelled with its value (labels of one x pushed apart so they do not overlap).
 */
export function lineChartSvg(xs: readonly number[], series: readonly LineSeries[], options: { title: string; xLabel: string; yLabel: string }): string {
  const left = 56;
  const top = 60;
  const plotW = Math.max(320, 110 * Math.max(1, xs.length - 1));
  const plotH = 240;
  const right = left + plotW;
  const bottom = top + plotH;
  const width = right + 64;
  const height = bottom + 48;
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const [lo, hi, step] = yRange(values);
  const out = open(width, height, options.title);
  yAxis(out, left, right, top, bottom, lo, hi, step, options.yLabel);

  const maxLog = Math.log2(Math.max(...xs, 2));
  const x = (v: number) => left + (xs.length === 1 ? plotW / 2 : (Math.log2(v) / maxLog) * plotW);
  const y = (v: number) => bottom - ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * plotH;
  for (const v of xs) {
    out.push(`<line x1="${r1(x(v))}" y1="${bottom}" x2="${r1(x(v))}" y2="${bottom + 4}" stroke="${AXIS}" stroke-width="1"/>`);
    out.push(`<text x="${r1(x(v))}" y="${bottom + 17}" text-anchor="middle" font-size="11" fill="${TEXT}" ${FONT}>${v}</text>`);
  }
  out.push(`<text x="${r1((left + right) / 2)}" y="${bottom + 38}" text-anchor="middle" font-size="12" fill="${TEXT}" ${FONT}>${escapeXml(options.xLabel)}</text>`);

  // legend, one entry per series, left to right under the title
  let lx = left;
  series.forEach((s, i) => {
    const c = COLOURS[i % COLOURS.length];
    out.push(`<line x1="${lx}" y1="40" x2="${lx + 22}" y2="40" stroke="${c}" stroke-width="2.5"/>`);
    out.push(`<circle cx="${lx + 11}" cy="40" r="3.5" fill="${c}"/>`);
    out.push(`<text x="${lx + 28}" y="44" font-size="12" fill="${TEXT}" ${FONT}>${escapeXml(s.name)}</text>`);
    lx += 40 + s.name.length * 7.5;
  });

  series.forEach((s, i) => {
    const c = COLOURS[i % COLOURS.length];
    const pts = xs.map((xv, j) => (s.values[j] === null || s.values[j] === undefined ? null : `${r1(x(xv))},${r1(y(s.values[j] as number))}`)).filter((p): p is string => p !== null);
    if (pts.length > 1) out.push(`<polyline points="${pts.join(" ")}" fill="none" stroke="${c}" stroke-width="2.5" stroke-linejoin="round"/>`);
    xs.forEach((xv, j) => {
      const v = s.values[j];
      if (v === null || v === undefined) return;
      out.push(`<circle cx="${r1(x(xv))}" cy="${r1(y(v))}" r="3.5" fill="${c}"><title>${escapeXml(`${s.name} at ${xv}: ${fmt(v)}`)}</title></circle>`);
    });
  });

  // value labels right of the points, on the side the line leaves free: below where the
  // line climbs on to the next point (or arrived falling), above otherwise; on a white
  // halo; labels of one x pushed apart to 13 px
  const side = (s: LineSeries, j: number): "above" | "below" => {
    const v = s.values[j] as number;
    const next = s.values[j + 1];
    const prev = s.values[j - 1];
    if (next !== null && next !== undefined && next !== v) return next > v ? "below" : "above";
    if (prev !== null && prev !== undefined && prev > v) return "below";
    return "above";
  };
  xs.forEach((xv, j) => {
    const labels = series
      .map((s, i) => ({ s, v: s.values[j], c: COLOURS[i % COLOURS.length] }))
      .filter((l): l is { s: LineSeries; v: number; c: string } => l.v !== null && l.v !== undefined)
      .map((l) => ({ ...l, ly: y(l.v) + (side(l.s, j) === "above" ? -7 : 15) }))
      .sort((a, b) => a.ly - b.ly);
    for (let i = 1; i < labels.length; i++) {
      const label = labels[i]!;
      const above = labels[i - 1]!;
      if (label.ly - above.ly < 13) label.ly = above.ly + 13;
    }
    for (const l of labels) out.push(`<text x="${r1(x(xv) + 6)}" y="${r1(l.ly)}" font-size="11" fill="${l.c}" stroke="#ffffff" stroke-width="3" paint-order="stroke" ${FONT}>${fmt(l.v)}</text>`);
  });

  out.push("</svg>");
  return out.join("\n") + "\n";
}
