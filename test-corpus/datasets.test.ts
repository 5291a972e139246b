/**
 * Corpus suite: every shared benchmark set loads through its descriptor with the problem
 * count its README gives, unique ids, questions and references; ids, levels, subjects,
 * worked solutions and multiple-choice options come out as the harness builds them.
 */
import assert from "node:assert/strict";
import { readdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DATASETS, loadDataset, localDatasetFile } from "../src/datasets/index.js";
import { corpusDir } from "./data.js";

const emptyCache = () => mkdtempSync(join(tmpdir(), "qmath-ds-cache-"));

/** Problem counts of shared/datasets/README.md and of the MAWPS part files. */
const README_ROWS: Record<string, number> = {
  gsm8k: 1319,
  math500: 500,
  minerva_math: 272,
  aime24: 30,
  amc23: 40,
  olympiadbench: 675,
  college_math: 2818,
  gaokao2023en: 385,
  gaokao2024_I: 14,
  gaokao2024_II: 14,
  gaokao2024_mix: 91,
  gaokao_math_cloze: 118,
  gaokao_math_qa: 351,
  cmath: 600,
  cn_middle_school: 101,
  mmlu_stem: 3018,
  sat_math: 32,
  aqua: 254,
  svamp: 1000,
  asdiv: 2215,
  mawps: 2065,
  addsub: 395,
  multiarith: 600,
  singleeq: 508,
  singleop: 562,
  carp_en: 976,
};

/** Rows of the data whose 'answer' is empty (their answer sits inside the question); the harness keeps them. */
const EMPTY_REFERENCE = new Set(["gaokao2023en/167", "gaokao2023en/192"]);

describe("benchmark set registry", () => {
  it("registers every folder of shared/datasets, and every MAWPS part", () => {
    const names = new Set(DATASETS.map((d) => d.name));
    for (const folder of readdirSync(corpusDir(), { withFileTypes: true }).filter((e) => e.isDirectory())) assert.ok(names.has(folder.name), folder.name);
    for (const part of ["addsub", "multiarith", "singleeq", "singleop"]) assert.ok(names.has(part), part);
    assert.equal(names.size, DATASETS.length, "names are unique");
  });

});

describe("loading the shared sets", () => {
  for (const [name, rows] of Object.entries(README_ROWS)) {
    it(`${name}: ${rows} problems, each with a question, a reference and a unique id`, async () => {
      const problems = await loadDataset(name, { dataDir: corpusDir(), cacheDir: emptyCache() });
      assert.equal(problems.length, rows);
      assert.equal(DATASETS.find((d) => d.name === name)!.rows, rows);
      const ids = new Set<string>();
      for (const p of problems) {
        assert.equal(p.dataset, name);
        assert.ok(p.question.trim().length > 0, `${name}/${p.id} has a question`);
        assert.equal(p.question, p.question.trim());
        if (EMPTY_REFERENCE.has(`${name}/${p.id}`)) assert.equal(p.reference, "");
        else assert.ok(p.reference.length > 0, `${name}/${p.id} has a reference`);
        ids.add(p.id);
      }
      assert.equal(ids.size, problems.length, "ids are unique");
    });
  }

  it("takes ids from the set's own id fields, else the line index", async () => {
    const opts = { dataDir: corpusDir(), cacheDir: emptyCache(), limit: 2 };
    assert.equal((await loadDataset("math500", opts))[0]!.id, "test/precalculus/807.json");
    assert.equal((await loadDataset("aime24", opts))[0]!.id, "60");
    assert.equal((await loadDataset("olympiadbench", opts))[0]!.id, "1606");
    assert.deepEqual((await loadDataset("aqua", opts)).map((p) => p.id), ["0", "1"]);
  });

  it("carries level, subject and worked solution where the data has them", async () => {
    const math500 = await loadDataset("math500", { dataDir: corpusDir(), cacheDir: emptyCache() });
    assert.ok(math500.every((p) => /^[1-5]$/.test(p.level ?? "") && (p.subject ?? "").length > 0 && (p.solution ?? "").includes("boxed")));
    assert.equal(math500[0]!.level, "2");
    assert.equal(math500[0]!.subject, "Precalculus");
    const minerva = await loadDataset("minerva_math", { dataDir: corpusDir(), cacheDir: emptyCache(), limit: 1 });
    assert.equal(minerva[0]!.subject, "Introduction to Astronomy (8.282J Spring 2006)");
    const olympiad = await loadDataset("olympiadbench", { dataDir: corpusDir(), cacheDir: emptyCache(), limit: 1 });
    assert.equal(olympiad[0]!.subject, "Combinatorics");
    assert.ok(olympiad[0]!.solution?.startsWith("Sergey can determine"));
    const cmath = await loadDataset("cmath", { dataDir: corpusDir(), cacheDir: emptyCache(), limit: 1 });
    assert.equal(cmath[0]!.level, "1");
    const gsm = await loadDataset("gsm8k", { dataDir: corpusDir(), cacheDir: emptyCache(), limit: 1 });
    assert.equal(gsm[0]!.reference, "18");
    assert.ok(gsm[0]!.solution?.startsWith("Janet sells 16 - 3 - 4"));
    assert.equal(gsm[0]!.level, undefined);
    assert.equal(gsm[0]!.subject, undefined);
  });

  it("formats multiple-choice options as the harness's parse_question does", async () => {
    const opts = { dataDir: corpusDir(), cacheDir: emptyCache(), limit: 1 };
    const sat = (await loadDataset("sat_math", opts))[0]!;
    assert.ok(sat.question.endsWith("Which of the following must be true?\nAnswer Choices: (A) $f(-6)=0$ (B) $f(6)=-6$ (C) $f(-6)=6$ (D) $f(0)=-6$"), sat.question);
    assert.equal(sat.reference, "A");
    const aqua = (await loadDataset("aqua", opts))[0]!;
    assert.ok(aqua.question.endsWith("?\nAnswer Choices: (A) 5 (√3 + 1)  (B) 6 (√3 + √2)  (C) 7 (√3 – 1)  (D) 8 (√3 – 2)  (E) None of these"), aqua.question);
    const qa = (await loadDataset("gaokao_math_qa", opts))[0]!;
    assert.ok(qa.question.endsWith("( )\n选项: (A) $\\{x \\mid x>-1\\}$ (B) $\\{x \\mid x \\geq 1\\}$ (C) $\\{x \\mid-1<x<1\\}$ (D) $\\{x \\mid 1 \\leq x<2\\}$"), qa.question);
    assert.equal(qa.reference, "D");
    const mmlu = await loadDataset("mmlu_stem", { dataDir: corpusDir(), cacheDir: emptyCache() });
    for (const p of mmlu) assert.match(p.question, /\nAnswer Choices: \(A\) .*\(B\) .*\(C\) .*\(D\) /s, p.id);
    assert.ok(mmlu.every((p) => /^[ABCD]$/.test(p.reference)));
    for (const name of ["sat_math", "aqua", "gaokao_math_qa"])
      for (const p of await loadDataset(name, { dataDir: corpusDir(), cacheDir: emptyCache() })) assert.match(p.question, /\n(Answer Choices|选项): \(A.*B/s, `${name}/${p.id}`);
    // one SAT row writes its options "A. ... B. ...": the harness only rewrites "B) " forms, so it stays as given
    const sat17 = (await loadDataset("sat_math", { dataDir: corpusDir(), cacheDir: emptyCache() })).find((p) => p.id === "17")!;
    assert.ok(sat17.question.endsWith("\nAnswer Choices: (A. $100\\left(\\frac{b}{435}\\right)$ B. $100\\left(\\frac{435}{b}\\right)$ C. $435\\left(\\frac{b}{100}\\right)$ D. $435(100 b)$"), sat17.question);
  });

  it("builds the word-problem questions from their parts", async () => {
    const opts = { dataDir: corpusDir(), cacheDir: emptyCache(), limit: 1 };
    assert.equal((await loadDataset("asdiv", opts))[0]!.question, "Seven red apples and two green apples are in the basket. How many apples are in the basket?");
    const svamp = (await loadDataset("svamp", opts))[0]!.question;
    assert.ok(svamp.startsWith("There are 87 oranges and 290 bananas in Philip's collection.") && svamp.endsWith(". How big is each group of bananas?"), svamp);
    assert.equal((await loadDataset("carp_en", opts))[0]!.question, "Calculate $( 3 a - b ) ( - 3 a - b )$ equals to ____?");
  });

  it("marks yes/no questions as the harness does", async () => {
    const college = await loadDataset("college_math", { dataDir: corpusDir(), cacheDir: emptyCache() });
    const yesNo = college.filter((p) => /^(yes|no)\.?$/i.test(p.reference));
    assert.ok(yesNo.length > 10);
    assert.ok(yesNo.every((p) => p.question.endsWith(" (Yes or No)")));
    assert.equal(college.filter((p) => p.question.endsWith(" (Yes or No)")).length, yesNo.length);
  });

  it("loads only the first problems with limit", async () => {
    const p = await loadDataset("gsm8k", { dataDir: corpusDir(), cacheDir: emptyCache(), limit: 3 });
    assert.deepEqual(p.map((x) => x.id), ["0", "1", "2"]);
  });

  it("finds a MAWPS part in a data folder laid out like shared/datasets", async () => {
    assert.equal(localDatasetFile("addsub", { dataDir: corpusDir(), cacheDir: emptyCache() }), join(corpusDir(), "mawps", "addsub.jsonl"));
  });

});
