/**
 * Loading benchmark sets through their descriptors, on fixtures the project writes itself in
 * each set's real file layout (test/fixtures/datasets; the real sets are checked by the
 * corpus suite), and local JSON Lines files.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { QmathError } from "../../src/errors.js";
import { DATASETS, datasetsCacheDir, loadDataset, loadJsonlProblems, localDatasetFile } from "../../src/datasets/index.js";
import { loadProblems } from "../../src/datasets/sources.js";
import { fixtureDataDir as fixtures, FIXTURE_SETS } from "./fixtures.js";

const emptyCache = () => mkdtempSync(join(tmpdir(), "qmath-ds-cache-"));
const load = (name: string, limit?: number) => loadDataset(name, { dataDir: fixtures, cacheDir: emptyCache(), env: {}, limit });

describe("benchmark set descriptors", () => {
  it("has one descriptor per set, with a unique name, a file and a download source", () => {
    const names = new Set(DATASETS.map((d) => d.name));
    assert.equal(names.size, DATASETS.length, "names are unique");
    for (const name of [...FIXTURE_SETS, "math"]) assert.ok(names.has(name), name);
    for (const d of DATASETS) {
      assert.match(d.file, /\.jsonl$/, d.name);
      assert.ok(d.hub, `${d.name} has a source`);
      assert.ok(d.rows > 0);
    }
    assert.equal(DATASETS.find((d) => d.name === "addsub")!.file, "mawps/addsub.jsonl");
  });

  it("marks the multiple-choice sets, GSM8K's answer style and the harness's few-shot set of each", () => {
    const mc = DATASETS.filter((d) => d.multipleChoice).map((d) => d.name).sort();
    assert.deepEqual(mc, ["aqua", "gaokao_math_qa", "mmlu_stem", "sat_math"]);
    assert.deepEqual(DATASETS.filter((d) => d.answerStyle === "choice").map((d) => d.name).sort(), mc);
    assert.deepEqual(DATASETS.filter((d) => d.answerStyle === "gsm8k").map((d) => d.name), ["gsm8k"]);
    const shot = Object.fromEntries(DATASETS.map((d) => [d.name, d.fewShot?.set ?? null]));
    for (const name of ["gsm8k", "svamp", "asdiv", "mawps", "addsub", "singleop"]) assert.equal(shot[name], "gsm8k", name);
    for (const name of ["math", "math500", "aime24", "amc23"]) assert.equal(shot[name], "math", name);
    assert.equal(shot.minerva_math, "minerva_math");
    assert.equal(shot.sat_math, "mmlu_stem");
    for (const name of ["gaokao2024_I", "gaokao2024_II", "gaokao_math_qa", "gaokao2024_mix", "cn_middle_school"]) assert.equal(shot[name], "gaokao", name);
    for (const name of ["olympiadbench", "college_math", "gaokao2023en", "gaokao_math_cloze", "cmath"]) assert.equal(shot[name], null, name);
    const count = Object.fromEntries(DATASETS.map((d) => [d.name, d.fewShot?.shots]));
    assert.deepEqual([count.gsm8k, count.math500, count.minerva_math, count.mmlu_stem, count.gaokao2024_I], [8, 4, 4, 5, 5]);
  });
});

describe("loading sets in their own layout (fixtures)", () => {
  for (const name of FIXTURE_SETS) {
    it(`${name}: every row becomes a problem with a question, a reference and a unique id`, async () => {
      const problems = await load(name);
      assert.ok(problems.length > 0);
      const ids = new Set<string>();
      for (const p of problems) {
        assert.equal(p.dataset, name);
        assert.ok(p.question.length > 0 && p.question === p.question.trim(), `${name}/${p.id} question`);
        if (!(name === "gaokao2023en" && p.id === "1")) assert.ok(p.reference.length > 0, `${name}/${p.id} has a reference`);
        ids.add(p.id);
      }
      assert.equal(ids.size, problems.length, "ids are unique");
    });
  }

  it("takes ids from the set's own id fields, else the line index", async () => {
    assert.deepEqual((await load("math500")).map((p) => p.id), ["test/algebra/q1.json", "test/prealgebra/q2.json", "test/precalculus/q3.json"]);
    assert.deepEqual((await load("aime24")).map((p) => p.id), ["7", "8"]);
    assert.deepEqual((await load("olympiadbench")).map((p) => p.id), ["501", "502"]);
    assert.deepEqual((await load("aqua")).map((p) => p.id), ["0", "1"]);
  });

  it("reads each set's reference field", async () => {
    const refs = async (name: string) => (await load(name)).map((p) => p.reference);
    assert.deepEqual(await refs("gsm8k"), ["12", "140", "850"]);
    assert.deepEqual(await refs("minerva_math"), ["0.5", "60"]);
    assert.deepEqual(await refs("amc23"), ["720", "8"]);
    assert.deepEqual(await refs("olympiadbench"), ["1$,$2$,$4$,$6", "5"]);
    assert.deepEqual(await refs("college_math"), ["2 x+6", "Yes", "No."]);
    assert.deepEqual(await refs("gaokao2023en"), ["\\{x|1<x<4\\}", ""]);
    assert.deepEqual(await refs("gaokao2024_mix"), ["B", "12"]);
    assert.deepEqual(await refs("gaokao_math_cloze"), ["5"]);
    assert.deepEqual(await refs("gaokao_math_qa"), ["A"]);
    assert.deepEqual(await refs("cn_middle_school"), ["C", "-3"]);
    assert.deepEqual(await refs("mmlu_stem"), ["B", "C"]);
    assert.deepEqual(await refs("svamp"), ["12", "2.5"]);
    assert.deepEqual(await refs("asdiv"), ["7", "5"]);
    assert.deepEqual(await refs("mawps"), ["7", "20", "6", "15"]);
    assert.deepEqual(await refs("multiarith"), ["20"]);
    assert.deepEqual(await refs("carp_en"), ["a ^ { 2 } - 4", "7"]);
  });

  it("carries level, subject and worked solution where the data has them", async () => {
    const [m] = await load("math500", 1);
    assert.deepEqual([m!.level, m!.subject], ["2", "Algebra"]);
    assert.ok(m!.solution?.includes("\\boxed{5}"));
    assert.equal((await load("minerva_math", 1))[0]!.subject, "Optics (Q1)");
    const [o] = await load("olympiadbench", 1);
    assert.equal(o!.subject, "Number Theory");
    assert.ok(o!.solution?.startsWith("We test each value"));
    assert.equal((await load("cmath", 1))[0]!.level, "2");
    assert.equal((await load("college_math", 1))[0]!.subject, "college_math.algebra");
    const [g] = await load("gsm8k", 1);
    assert.equal(g!.solution, "He fills 24 / 6 = <<24/6=4>>4 bags.\nHe makes 4 * 3 = <<4*3=12>>12 dollars.\n");
    assert.equal(g!.level, undefined);
    assert.equal(g!.subject, undefined);
    assert.equal((await load("aqua", 1))[0]!.solution, "Speed = 120 / 2 = 60 km/h.\nAnswer: C");
    assert.equal((await load("carp_en"))[1]!.solution, "Adding 3 to both sides gives $x = 7$.");
  });

  it("formats multiple-choice options as the harness's parse_question does", async () => {
    assert.equal((await load("mmlu_stem", 1))[0]!.question, "What is the derivative of $x^2$?\nAnswer Choices: (A) $x$ (B) $2x$ (C) $x^2$ (D) $2$");
    const sat = await load("sat_math");
    assert.equal(sat[0]!.question, "If $2x + 3 = 11$, what is the value of $x$?\nAnswer Choices: (A) 2 (B) 4 (C) 7 (D) 8");
    // options written "A. ... B. ...": the harness only rewrites "B) " forms, so they stay as given
    assert.equal(sat[1]!.question, "Which expression equals $3(a+b)$?\nAnswer Choices: (A. $3a+b$ B. $3a+3b$ C. $a+3b$ D. $3ab$");
    assert.equal((await load("aqua", 1))[0]!.question, "A train covers 120 km in 2 hours. What is its speed?\nAnswer Choices: (A) 40 km/h (B) 50 km/h (C) 60 km/h (D) 70 km/h (E) 80 km/h");
    assert.equal((await load("gaokao_math_qa"))[0]!.question, "设集合 $A=\\{x \\mid x>0\\}$，则 $1 \\in A$ 吗 ( )\n选项: (A) 属于 (B) 不属于 (C) 无法判断 (D) 以上都不对");
  });

  it("builds the word-problem questions from their parts", async () => {
    assert.deepEqual((await load("asdiv")).map((p) => p.question), [
      "There are 4 red cars and 3 blue cars in a car park. How many cars are in the car park?",
      "A box holds 9 pens. Sara takes 4 of them. How many pens are left in the box?",
    ]);
    assert.deepEqual((await load("svamp")).map((p) => p.question), [
      "Tom had 7 marbles. His friend gave him 5 more. How many marbles does he have now?",
      "A jug of 10 litres is poured equally into 4 bottles. How many litres does each bottle hold?",
    ]);
    assert.equal((await load("carp_en", 1))[0]!.question, "Calculate $( a + 2 ) ( a - 2 )$ equals to ____?");
    assert.equal((await load("mawps", 1))[0]!.subject, "addsub");
  });

  it("marks yes/no questions as the harness does", async () => {
    assert.deepEqual((await load("college_math")).map((p) => p.question.endsWith(" (Yes or No)")), [false, true, true]);
  });

  it("loads only the first problems with limit", async () => {
    assert.deepEqual((await load("gsm8k", 2)).map((x) => x.id), ["0", "1"]);
  });

  it("finds a MAWPS part in a data folder laid out like the harness's data folder", async () => {
    assert.equal(localDatasetFile("addsub", { dataDir: fixtures, cacheDir: emptyCache(), env: {} }), join(fixtures, "mawps", "addsub.jsonl"));
    assert.deepEqual((await load("singleeq")).map((p) => [p.id, p.reference]), [["0", "6"]]);
  });

  it("numbers the rows of a GSM8K file without idx instead of refusing it", async () => {
    const root = mkdtempSync(join(tmpdir(), "qmath-ds-noidx-"));
    mkdirSync(join(root, "gsm8k"));
    writeFileSync(join(root, "gsm8k", "test.jsonl"), [JSON.stringify({ question: "What is 2+2?", answer: "2 + 2 = 4\n#### 4" }), JSON.stringify({ question: "What is 3+3?", answer: "#### 6" })].join("\n"));
    const problems = await loadDataset("gsm8k", { dataDir: root, cacheDir: emptyCache(), env: {} });
    assert.deepEqual(problems.map((p) => [p.id, p.reference]), [["0", "4"], ["1", "6"]]);
  });

  it("refuses a file whose ids repeat", async () => {
    const root = mkdtempSync(join(tmpdir(), "qmath-ds-dup-"));
    mkdirSync(join(root, "aime24"));
    writeFileSync(join(root, "aime24", "test.jsonl"), [JSON.stringify({ id: 1, question: "a", answer: "1" }), JSON.stringify({ id: 1, question: "b", answer: "2" })].join("\n"));
    await assert.rejects(loadDataset("aime24", { dataDir: root, cacheDir: emptyCache(), env: {} }), /names two 'aime24' problems '1'/);
  });

  it("refuses an unknown set, naming the known ones", async () => {
    await assert.rejects(loadDataset("nosuchset", { dataDir: fixtures }), (e: unknown) => {
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
    const load = async (o: { dataDir?: string; env: NodeJS.ProcessEnv }) => (await loadDataset("aime24", { cacheDir, ...o }))[0]!.question;
    assert.equal(await load({ dataDir: join(root, "given"), env: { QMATH_DATA_DIR: join(root, "envdir") } }), "from the data folder");
    assert.equal(await load({ env: { QMATH_DATA_DIR: join(root, "envdir") } }), "from QMATH_DATA_DIR");
    assert.equal(await load({ env: {} }), "from the cache");
    // a data folder without this set falls through to the cache
    assert.equal(await load({ dataDir: join(root, "elsewhere"), env: {} }), "from the cache");
    assert.equal(localDatasetFile("aime24", { cacheDir, env: {} }), join(cacheDir, "aime24", "test.jsonl"));
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

  it("reads the usual field names without being told them", async () => {
    const path = join(dir, "usual.jsonl");
    writeFileSync(
      path,
      [
        JSON.stringify({ question: "What is 1+1?", answer: "2" }),
        JSON.stringify({ problem: "What is 2+2?", gt: 4, idx: 9 }),
        JSON.stringify({ problem: "What is 3+3?", answer: "6", gt: "ignored" }),
        JSON.stringify({ prompt: "no usual fields", gold: "1" }),
      ].join("\n"),
    );
    const { problems, errors } = await loadJsonlProblems(path);
    assert.deepEqual(problems.map((p) => [p.id, p.question, p.reference]), [["0", "What is 1+1?", "2"], ["9", "What is 2+2?", "4"], ["2", "What is 3+3?", "6"]]);
    assert.deepEqual(errors, [{ line: 4, message: "line 4: missing field 'question' or 'problem'" }]);
    // one field named, the other found by its usual name
    const one = await loadJsonlProblems(path, { answerField: "gt", limit: 2 });
    assert.deepEqual(one.problems.map((p) => p.reference), ["4", "ignored"]);
    assert.deepEqual(one.errors, [{ line: 1, message: "line 1: missing field 'gt'" }]);
  });

  it("loadProblems: a file with the usual names needs no field flags; one without them is refused in one line", async () => {
    const usual = join(dir, "plain.jsonl");
    writeFileSync(usual, JSON.stringify({ problem: "What is 5-2?", answer: "3" }) + "\n");
    const loaded = await loadProblems({ data: [usual] });
    assert.deepEqual(loaded.problems.map((p) => [p.dataset, p.question, p.reference]), [["plain", "What is 5-2?", "3"]]);
    const other = join(dir, "other.jsonl");
    writeFileSync(other, JSON.stringify({ q: "What is 5-2?", a: "3" }) + "\n");
    await assert.rejects(loadProblems({ data: [other] }), (e: unknown) => {
      assert.ok(e instanceof QmathError);
      assert.equal(e.message, `${other} has no usable lines: line 1: missing field 'question' or 'problem'.`);
      assert.match(e.hint ?? "", /--question-field and --answer-field/);
      return true;
    });
    assert.equal((await loadProblems({ data: [other], questionField: "q", answerField: "a" })).problems.length, 1);
  });

  it("says which file it cannot read", async () => {
    const path = join(dir, "absent.jsonl");
    assert.ok(!existsSync(path));
    await assert.rejects(loadJsonlProblems(path, { questionField: "q", answerField: "a" }), (e: unknown) => e instanceof QmathError && e.message.includes(path));
  });
});
