import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { QmathError } from "../../src/errors.js";
import { DATASETS, datasetsCacheDir, loadDataset, loadJsonlProblems, localDatasetFile } from "../../src/eval/datasets.js";
import { repoRoot } from "../helpers.js";

const shared = join(repoRoot, "..", "shared", "datasets");
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
    for (const folder of readdirSync(shared, { withFileTypes: true }).filter((e) => e.isDirectory())) assert.ok(names.has(folder.name), folder.name);
    for (const part of ["addsub", "multiarith", "singleeq", "singleop"]) assert.ok(names.has(part), part);
    assert.equal(names.size, DATASETS.length, "names are unique");
  });

  it("marks the multiple-choice sets and the harness's few-shot set of each", () => {
    const mc = DATASETS.filter((d) => d.multipleChoice).map((d) => d.name).sort();
    assert.deepEqual(mc, ["aqua", "gaokao_math_qa", "mmlu_stem", "sat_math"]);
    const shot = Object.fromEntries(DATASETS.map((d) => [d.name, d.fewShot]));
    assert.equal(shot.gsm8k, "gsm8k");
    assert.equal(shot.svamp, "gsm8k");
    assert.equal(shot.math500, "math");
    assert.equal(shot.aime24, "math");
    assert.equal(shot.minerva_math, "minerva_math");
    assert.equal(shot.sat_math, "mmlu_stem");
    assert.equal(shot.cn_middle_school, "gaokao");
    assert.equal(shot.olympiadbench, null);
    assert.equal(shot.cmath, null);
  });
});

describe("loading the shared sets", () => {
  for (const [name, rows] of Object.entries(README_ROWS)) {
    it(`${name}: ${rows} problems, each with a question, a reference and a unique id`, async () => {
      const problems = await loadDataset(name, { dataDir: shared, cacheDir: emptyCache() });
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
    const opts = { dataDir: shared, cacheDir: emptyCache(), limit: 2 };
    assert.equal((await loadDataset("math500", opts))[0].id, "test/precalculus/807.json");
    assert.equal((await loadDataset("aime24", opts))[0].id, "60");
    assert.equal((await loadDataset("olympiadbench", opts))[0].id, "1606");
    assert.deepEqual((await loadDataset("aqua", opts)).map((p) => p.id), ["0", "1"]);
  });

  it("carries level, subject and worked solution where the data has them", async () => {
    const math500 = await loadDataset("math500", { dataDir: shared, cacheDir: emptyCache() });
    assert.ok(math500.every((p) => /^[1-5]$/.test(p.level ?? "") && (p.subject ?? "").length > 0 && (p.solution ?? "").includes("boxed")));
    assert.equal(math500[0].level, "2");
    assert.equal(math500[0].subject, "Precalculus");
    const minerva = await loadDataset("minerva_math", { dataDir: shared, cacheDir: emptyCache(), limit: 1 });
    assert.equal(minerva[0].subject, "Introduction to Astronomy (8.282J Spring 2006)");
    const olympiad = await loadDataset("olympiadbench", { dataDir: shared, cacheDir: emptyCache(), limit: 1 });
    assert.equal(olympiad[0].subject, "Combinatorics");
    assert.ok(olympiad[0].solution?.startsWith("Sergey can determine"));
    const cmath = await loadDataset("cmath", { dataDir: shared, cacheDir: emptyCache(), limit: 1 });
    assert.equal(cmath[0].level, "1");
    const gsm = await loadDataset("gsm8k", { dataDir: shared, cacheDir: emptyCache(), limit: 1 });
    assert.equal(gsm[0].reference, "18");
    assert.ok(gsm[0].solution?.startsWith("Janet sells 16 - 3 - 4"));
    assert.equal(gsm[0].level, undefined);
    assert.equal(gsm[0].subject, undefined);
  });

  it("formats multiple-choice options as the harness's parse_question does", async () => {
    const opts = { dataDir: shared, cacheDir: emptyCache(), limit: 1 };
    const sat = (await loadDataset("sat_math", opts))[0];
    assert.ok(sat.question.endsWith("Which of the following must be true?\nAnswer Choices: (A) $f(-6)=0$ (B) $f(6)=-6$ (C) $f(-6)=6$ (D) $f(0)=-6$"), sat.question);
    assert.equal(sat.reference, "A");
    const aqua = (await loadDataset("aqua", opts))[0];
    assert.ok(aqua.question.endsWith("?\nAnswer Choices: (A) 5 (√3 + 1)  (B) 6 (√3 + √2)  (C) 7 (√3 – 1)  (D) 8 (√3 – 2)  (E) None of these"), aqua.question);
    const qa = (await loadDataset("gaokao_math_qa", opts))[0];
    assert.ok(qa.question.endsWith("( )\n选项: (A) $\\{x \\mid x>-1\\}$ (B) $\\{x \\mid x \\geq 1\\}$ (C) $\\{x \\mid-1<x<1\\}$ (D) $\\{x \\mid 1 \\leq x<2\\}$"), qa.question);
    assert.equal(qa.reference, "D");
    const mmlu = await loadDataset("mmlu_stem", { dataDir: shared, cacheDir: emptyCache() });
    for (const p of mmlu) assert.match(p.question, /\nAnswer Choices: \(A\) .*\(B\) .*\(C\) .*\(D\) /s, p.id);
    assert.ok(mmlu.every((p) => /^[ABCD]$/.test(p.reference)));
    for (const name of ["sat_math", "aqua", "gaokao_math_qa"])
      for (const p of await loadDataset(name, { dataDir: shared, cacheDir: emptyCache() })) assert.match(p.question, /\n(Answer Choices|选项): \(A.*B/s, `${name}/${p.id}`);
    // one SAT row writes its options "A. ... B. ...": the harness only rewrites "B) " forms, so it stays as given
    const sat17 = (await loadDataset("sat_math", { dataDir: shared, cacheDir: emptyCache() })).find((p) => p.id === "17")!;
    assert.ok(sat17.question.endsWith("\nAnswer Choices: (A. $100\\left(\\frac{b}{435}\\right)$ B. $100\\left(\\frac{435}{b}\\right)$ C. $435\\left(\\frac{b}{100}\\right)$ D. $435(100 b)$"), sat17.question);
  });

  it("builds the word-problem questions from their parts", async () => {
    const opts = { dataDir: shared, cacheDir: emptyCache(), limit: 1 };
    assert.equal((await loadDataset("asdiv", opts))[0].question, "Seven red apples and two green apples are in the basket. How many apples are in the basket?");
    const svamp = (await loadDataset("svamp", opts))[0].question;
    assert.ok(svamp.startsWith("There are 87 oranges and 290 bananas in Philip's collection.") && svamp.endsWith(". How big is each group of bananas?"), svamp);
    assert.equal((await loadDataset("carp_en", opts))[0].question, "Calculate $( 3 a - b ) ( - 3 a - b )$ equals to ____?");
  });

  it("marks yes/no questions as the harness does", async () => {
    const college = await loadDataset("college_math", { dataDir: shared, cacheDir: emptyCache() });
    const yesNo = college.filter((p) => /^(yes|no)\.?$/i.test(p.reference));
    assert.ok(yesNo.length > 10);
    assert.ok(yesNo.every((p) => p.question.endsWith(" (Yes or No)")));
    assert.equal(college.filter((p) => p.question.endsWith(" (Yes or No)")).length, yesNo.length);
  });

  it("loads only the first problems with limit", async () => {
    const p = await loadDataset("gsm8k", { dataDir: shared, cacheDir: emptyCache(), limit: 3 });
    assert.deepEqual(p.map((x) => x.id), ["0", "1", "2"]);
  });

  it("refuses an unknown set, naming the known ones", async () => {
    await assert.rejects(loadDataset("nosuchset", { dataDir: shared }), (e: unknown) => {
      assert.ok(e instanceof QmathError);
      assert.equal(e.code, "bad_input");
      assert.equal(e.message, "Unknown dataset 'nosuchset'.");
      assert.match(e.hint ?? "", /^Known sets: .*gsm8k.*math500/);
      return true;
    });
  });

  it("says where it looked when a set is nowhere, and how to give it", async () => {
    const empty = emptyCache();
    await assert.rejects(loadDataset("gsm8k", { dataDir: join(empty, "data"), cacheDir: empty, env: {} }), (e: unknown) => {
      assert.ok(e instanceof QmathError);
      assert.match(e.message, /'gsm8k' benchmark set is not on this machine/);
      assert.ok(e.message.includes(join(empty, "gsm8k", "test.jsonl")));
      assert.match(e.hint ?? "", /--download/);
      assert.match(e.hint ?? "", /--data-dir/);
      return true;
    });
  });

  it("reads a data folder first, then $QMATH_DATA_DIR, then the cache", async () => {
    const root = mkdtempSync(join(tmpdir(), "qmath-ds-prec-"));
    const write = (dir: string, question: string) => {
      mkdirSync(join(root, dir, "aime24"), { recursive: true });
      writeFileSync(join(root, dir, "aime24", "test.jsonl"), JSON.stringify({ id: 1, question, answer: "7" }) + "\n");
    };
    write("cache", "from the cache");
    write("envdir", "from QMATH_DATA_DIR");
    write("given", "from the data folder");
    const cacheDir = join(root, "cache");
    const load = async (o: { dataDir?: string; env: NodeJS.ProcessEnv }) => (await loadDataset("aime24", { cacheDir, ...o }))[0].question;
    assert.equal(await load({ dataDir: join(root, "given"), env: { QMATH_DATA_DIR: join(root, "envdir") } }), "from the data folder");
    assert.equal(await load({ env: { QMATH_DATA_DIR: join(root, "envdir") } }), "from QMATH_DATA_DIR");
    assert.equal(await load({ env: {} }), "from the cache");
    // a data folder without this set falls through to the cache
    assert.equal(await load({ dataDir: join(root, "elsewhere"), env: {} }), "from the cache");
    assert.equal(localDatasetFile("aime24", { cacheDir, env: {} }), join(cacheDir, "aime24", "test.jsonl"));
  });

  it("finds a MAWPS part in a data folder laid out like shared/datasets", async () => {
    assert.equal(localDatasetFile("addsub", { dataDir: shared, cacheDir: emptyCache() }), join(shared, "mawps", "addsub.jsonl"));
  });

  it("puts the cache under $QMATH_CACHE_DIR, $XDG_CACHE_HOME or ~/.cache", () => {
    assert.equal(datasetsCacheDir({ QMATH_CACHE_DIR: "/c" }), join("/c", "datasets"));
    assert.equal(datasetsCacheDir({ XDG_CACHE_HOME: "/x" }), join("/x", "qmath", "datasets"));
    assert.match(datasetsCacheDir({}), /\.cache[/\\]qmath[/\\]datasets$/);
  });

  it("refuses a registered set whose file does not fit the layout, naming the line", async () => {
    const root = mkdtempSync(join(tmpdir(), "qmath-ds-bad-"));
    mkdirSync(join(root, "gsm8k"));
    writeFileSync(join(root, "gsm8k", "test.jsonl"), [JSON.stringify({ question: "q", answer: "x #### 1", idx: 0 }), JSON.stringify({ question: "q", idx: 1 })].join("\n"));
    await assert.rejects(loadDataset("gsm8k", { dataDir: root, cacheDir: emptyCache() }), /line 2: gsm8k row has no 'answer' field/);
  });
});

describe("loadJsonlProblems", () => {
  const dir = mkdtempSync(join(tmpdir(), "qmath-jsonl-"));

  it("loads a local file with fields of its own", async () => {
    const path = join(dir, "mine.jsonl");
    writeFileSync(
      path,
      [
        JSON.stringify({ prompt: "What is 2+2?", gold: 4, level: 1, subject: "arithmetic" }),
        "",
        JSON.stringify({ prompt: "  Name the third prime.  ", gold: "5", id: "p3", solution: "2, 3, 5" }),
      ].join("\r\n") + "\n",
    );
    const { problems, errors } = await loadJsonlProblems(path, { questionField: "prompt", answerField: "gold" });
    assert.deepEqual(errors, []);
    assert.deepEqual(problems, [
      { id: "0", dataset: "mine", question: "What is 2+2?", reference: "4", level: "1", subject: "arithmetic" },
      { id: "p3", dataset: "mine", question: "Name the third prime.", reference: "5", solution: "2, 3, 5" },
    ]);
    const named = await loadJsonlProblems(path, { questionField: "prompt", answerField: "gold", name: "custom", limit: 1 });
    assert.deepEqual(named.problems.map((p) => [p.dataset, p.id]), [["custom", "0"]]);
  });

  it("reports a broken line by its number and loads the others", async () => {
    const path = join(dir, "broken.jsonl");
    writeFileSync(
      path,
      [
        JSON.stringify({ q: "one", a: "1" }),
        '{"q": "two", "a": ',
        JSON.stringify({ q: "three", a: "3" }),
        JSON.stringify({ q: "four" }),
        "[1, 2]",
        JSON.stringify({ q: "six", a: "6" }),
      ].join("\n"),
    );
    const { problems, errors } = await loadJsonlProblems(path, { questionField: "q", answerField: "a" });
    assert.deepEqual(problems.map((p) => [p.id, p.question]), [["0", "one"], ["2", "three"], ["5", "six"]]);
    assert.deepEqual(errors, [
      { line: 2, message: "line 2: not valid JSON" },
      { line: 4, message: "line 4: missing field 'a'" },
      { line: 5, message: "line 5: expected a JSON object" },
    ]);
  });

  it("names a missing question field and its line", async () => {
    const path = join(dir, "fields.jsonl");
    writeFileSync(path, JSON.stringify({ problem: "x", answer: "1" }) + "\n");
    const { problems, errors } = await loadJsonlProblems(path, { questionField: "question", answerField: "answer" });
    assert.equal(problems.length, 0);
    assert.deepEqual(errors, [{ line: 1, message: "line 1: missing field 'question'" }]);
  });

  it("says which file it cannot read", async () => {
    const path = join(dir, "absent.jsonl");
    assert.ok(!existsSync(path));
    await assert.rejects(loadJsonlProblems(path, { questionField: "q", answerField: "a" }), (e: unknown) => e instanceof QmathError && e.message.includes(path));
  });
});
