import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { barChartSvg, escapeXml, lineChartSvg } from "../../src/eval/charts.js";
import { formatSummaryTable, writeReports } from "../../src/eval/report.js";
import { summarize } from "../../src/eval/summary.js";
import { rec, twoDatasets } from "../fixtures/eval/records.js";

const tmp = mkdtempSync(join(tmpdir(), "qmath-report-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Well-formedness of the SVG we write: one root <svg>, every tag closed in order, entities escaped. */
function checkSvg(text: string): void {
  assert.ok(text.startsWith("<svg "), "starts with <svg");
  assert.ok(text.trimEnd().endsWith("</svg>"), "ends with </svg>");
  assert.match(text, /xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z][a-zA-Z0-9:-]*="[^"<>]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    const between = text.slice(last, m.index);
    assert.doesNotMatch(between, /[<>]/, `stray markup before ${m[0]}`);
    assert.doesNotMatch(between, /&(?!amp;|lt;|gt;|quot;|apos;)/, "unescaped &");
    last = m.index + m[0].length;
    if (m[4] === "/") continue;
    if (m[1] === "/") assert.equal(stack.pop(), m[2], `</${m[2]}> closes the open tag`);
    else stack.push(m[2]!);
  }
  assert.equal(text.slice(last).trim(), "");
  assert.deepEqual(stack, [], "every tag is closed");
}

/** Texts of the <text> elements of an SVG. */
const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe("formatSummaryTable", () => {
  it("prints one row per dataset, the average, and a column per metric that exists", () => {
    assert.equal(
      formatSummaryTable(summarize(twoDatasets())),
      [
        "dataset  problems  accuracy  pass@1  maj@4  pass@4  rm@4",
        "gsm8k           2     100.0    62.5   50.0   100.0  50.0",
        "math            3      66.7    41.7   66.7   100.0     -",
        "average         5      83.3    52.1   58.3   100.0     -",
      ].join("\n"),
    );
  });

  it("shows only accuracy for greedy runs, and no average row for one dataset", () => {
    const s = summarize([rec("gsm8k", "a", ["1"], [true]), rec("gsm8k", "b", ["2"], [false]), rec("gsm8k", "c", ["2"], [false])]);
    assert.equal(formatSummaryTable(s), ["dataset  problems  accuracy", "gsm8k           3      33.3"].join("\n"));
  });
});

describe("writeReports", () => {
  it("writes summary.json, report.md and two valid SVG charts", async () => {
    const dir = join(tmp, "run");
    const summary = summarize(twoDatasets());
    const files = await writeReports(dir, summary, { model: "qwen2.5-math-1.5b-instruct", mode: "cot", n: 4, temperature: 0.7, data: ["gsm8k", "math"], note: "a|b" });
    assert.deepEqual(
      files.map((f) => f.slice(dir.length + 1)).sort(),
      ["accuracy-vs-k.svg", "accuracy.svg", "report.md", "summary.json"],
    );
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")), summary);

    const md = readFileSync(join(dir, "report.md"), "utf8");
    const results = [
      "| dataset | problems | accuracy | pass@1 | maj@4 | pass@4 | rm@4 |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
      "| gsm8k | 2 | 100.0 | 62.5 | 50.0 | 100.0 | 50.0 |",
      "| math | 3 | 66.7 | 41.7 | 66.7 | 100.0 | - |",
      "| **average** | 5 | 83.3 | 52.1 | 58.3 | 100.0 | - |",
    ].join("\n");
    assert.ok(md.includes(results), md);
    assert.ok(md.includes(["| dataset | pass@1 | pass@2 | pass@4 |", "| --- | ---: | ---: | ---: |", "| gsm8k | 62.5 | 91.7 | 100.0 |", "| math | 41.7 | 72.2 | 100.0 |", "| **average** | 52.1 | 81.9 | 100.0 |"].join("\n")));
    assert.ok(md.includes(["| dataset | rm@1 | rm@2 | rm@4 |", "| --- | ---: | ---: | ---: |", "| gsm8k | 50.0 | 50.0 | 50.0 |"].join("\n")), "rm@k only where scored");
    assert.ok(
      md.includes(
        [
          "## By level",
          "",
          "### math",
          "",
          "| level | problems | accuracy | pass@1 | maj@4 | pass@4 |",
          "| --- | ---: | ---: | ---: | ---: | ---: |",
          "| Level 1 | 1 | 100.0 | 50.0 | 100.0 | 100.0 |",
          "| Level 3 | 1 | 100.0 | 50.0 | 100.0 | 100.0 |",
          "| Level 10 | 1 | 0.0 | 25.0 | 0.0 | 100.0 |",
        ].join("\n"),
      ),
    );
    assert.ok(md.includes("| Algebra | 2 | 100.0 | 50.0 | 100.0 | 100.0 |"));
    assert.ok(md.includes("| temperature | `0.7` |"));
    assert.ok(md.includes('| data | `["gsm8k","math"]` |'));
    assert.ok(md.includes("| note | `a\\|b` |"), "pipes escaped in table cells");
    assert.ok(md.includes("![Accuracy per dataset](accuracy.svg)"));
    assert.ok(md.includes("![Accuracy against k](accuracy-vs-k.svg)"));
    assert.ok(md.includes("Samples without an extracted answer: math 8.3%."));

    const bars = readFileSync(join(dir, "accuracy.svg"), "utf8");
    checkSvg(bars);
    const barTexts = texts(bars);
    for (const label of ["gsm8k", "math", "average", "100.0", "66.7", "83.3", "accuracy (%)"]) assert.ok(barTexts.includes(label), `bar chart shows ${label}`);
    assert.equal((bars.match(/<rect /g) ?? []).length, 4, "background and three bars");

    const lines = readFileSync(join(dir, "accuracy-vs-k.svg"), "utf8");
    checkSvg(lines);
    const lineTexts = texts(lines);
    for (const label of ["maj@k", "pass@k", "k (samples)", "1", "2", "4", "41.7", "58.3", "52.1", "81.9", "100.0"]) assert.ok(lineTexts.includes(label), `line chart shows ${label}`);
    assert.equal((lines.match(/<polyline /g) ?? []).length, 2, "a line for maj@k and one for pass@k");
  });

  it("writes no accuracy-against-k chart for one sample per problem, and removes a stale one", async () => {
    const dir = join(tmp, "greedy");
    await writeReports(dir, summarize(twoDatasets()), {});
    assert.ok(existsSync(join(dir, "accuracy-vs-k.svg")));
    const files = await writeReports(dir, summarize([rec("gsm8k", "a", ["1"], [true]), rec("math & co", "b", ["x<1"], [false])]), {});
    assert.equal(files.length, 3);
    assert.ok(!existsSync(join(dir, "accuracy-vs-k.svg")));
    const md = readFileSync(join(dir, "report.md"), "utf8");
    assert.ok(!md.includes("accuracy-vs-k.svg"));
    assert.ok(!md.includes("## Accuracy against k"));
    assert.ok(md.includes("| **average** | 2 | 50.0 |"));
    assert.ok(md.includes("(none recorded)"));
    const bars = readFileSync(join(dir, "accuracy.svg"), "utf8");
    checkSvg(bars);
    assert.ok(texts(bars).includes("math &amp; co"), "labels are escaped");
  });
});

describe("charts", () => {
  it("escapes XML", () => {
    assert.equal(escapeXml(`a<b & "c">'d'`), "a&lt;b &amp; &quot;c&quot;&gt;&apos;d&apos;");
  });

  it("draws bars to scale and rotates long labels", () => {
    const svg = barChartSvg(
      [
        { label: "gaokao2023en_long_name", value: 50 },
        { label: "x", value: 0 },
      ],
      { title: "t", yLabel: "y" },
    );
    checkSvg(svg);
    const heights = [...svg.matchAll(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)" fill="#4c78a8"/g)].map((m) => Number(m[1]));
    assert.deepEqual(heights, [110, 0], "half of the 220 px plot, and nothing");
    assert.match(svg, /transform="rotate\(-35 /);
  });

  it("draws no point for a missing value", () => {
    const svg = lineChartSvg([1, 2, 4, 8], [{ name: "a", values: [10, null, 30, 40] }], { title: "t", xLabel: "k", yLabel: "y" });
    checkSvg(svg);
    assert.equal((svg.match(/<circle [^>]*><title>/g) ?? []).length, 3);
    assert.ok(texts(svg).includes("8"));
  });
});
