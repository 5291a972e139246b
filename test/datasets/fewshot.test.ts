/**
 * The harness's few-shot examples, read at run time: the examples.py parser against
 * Python's own reading of a file in that format (the project's own shots, written with the
 * string forms the harness's file uses), the per-set choice of shot set, the prompt layout,
 * and where the file comes from (a local copy, the cache, a download from a loopback
 * server; a clear error without any).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { datasetDescriptor, fewShotsFor, HARNESS_EXAMPLES_URL, loadHarnessExamples } from "../../src/datasets/index.js";
import { QmathError } from "../../src/errors.js";
import { fewShotPrompt } from "../../src/prompts/fewshot.js";
import { HarnessExamples, parseExamplesSource } from "../../src/prompts/harness-examples.js";
import { closedPort } from "../helpers.js";
import { startFakeHub, type FakeHub } from "../models/hub-server.js";
import { fewShotFixture } from "./fixtures.js";

const fixtureText = readFileSync(fewShotFixture, "utf8");
const fixture = HarnessExamples.parse(fixtureText, fewShotFixture);

/** What Python itself makes of a file in examples.py's format: get_examples() as JSON. */
function pythonReads(path: string): Record<string, [string, string][]> {
  const script = "import importlib.util, json, sys, warnings\nwarnings.simplefilter('ignore')\n" +
    "spec = importlib.util.spec_from_file_location('examples', sys.argv[1])\nm = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(m)\n" +
    "print(json.dumps(m.get_examples()))";
  return JSON.parse(execFileSync("python3", ["-c", script, path], { encoding: "utf8" })) as Record<string, [string, string][]>;
}

/** The harness's construct_prompt for prompt_type "cot", written out: demos joined by the splitter, the question, .strip(" "). */
function harnessCot(demos: readonly { question: string; answer: string }[], question: string): string {
  const splitter = "\n\n\n";
  const demoPrompt = demos.map((d) => `Question: ${d.question}\nAnswer: ${d.answer}`).join(splitter);
  const context = `Question: ${question}\nAnswer: `;
  const full = demoPrompt.length === 0 ? context : demoPrompt + splitter + context;
  return full.replace(/^ +| +$/g, "");
}

describe("reading examples.py", () => {
  it("reads every shot set exactly as Python does, string-literal forms and escapes included", () => {
    const python = pythonReads(fewShotFixture);
    assert.deepEqual(fixture.names().sort(), Object.keys(python).sort());
    for (const [name, shots] of Object.entries(python)) {
      assert.deepEqual(fixture.shots(name).map((s) => [s.question, s.answer]), shots, name);
    }
  });

  it("keeps Python's meaning of escapes in plain strings: \\f and \\r are control characters, unknown escapes keep the backslash", () => {
    const [first, second] = fixture.shots("mmlu_stem");
    assert.ok(first!.question.includes("$\\sqrt{\frac{1}{4}}$"), "\\\\sqrt stays, \\frac is a form feed");
    assert.ok(first!.answer.startsWith("$\\left(\frac{1}{4}\right)^{1/2}"), "\\l stays, \\r is a carriage return");
    assert.ok(first!.answer.includes("\begin"), "\\b is a backspace");
    assert.equal(second!.question, "Octal A, hex B, unicode é and 😀; unknown \\s and \\d stay.");
    assert.equal(second!.answer, "Tab\there, vertical\vtab, bell\x07, null\0 and a line continued. The answer is (A).");
    assert.equal(fixture.shots("minerva_math")[1]!.question, 'Raw: $\\frac{a}{b}$ keeps its backslash, and so does \\" inside.');
    assert.equal(fixture.shots("math")[3]!.question, "What is $3!$?", "a parenthesized string is the string, not a tuple");
    assert.equal(fixture.shots("math")[2]!.answer, "Let's think step by step\nSince $7^2 = 49$, the root is $\\boxed{7}$.\nThe answer is 7", "adjacent literals join");
  });

  it("names the line of a file it cannot read, and a missing or malformed set", () => {
    const bad = (src: string) => () => parseExamplesSource(src, "ex.py");
    assert.throws(bad('def get_examples():\n    examples = {}\n    examples["a"] = [\n        ("q", "unterminated),\n    ]\n'), (e: unknown) => e instanceof QmathError && /^ex\.py line 4: unterminated string literal/.test(e.message));
    assert.throws(bad('examples["a"] = [("q", f"{x}")]\n'), /ex\.py line 1: string prefix 'f' is not supported/);
    assert.throws(bad('examples["a"] = [("q", "a") ("b", "c")]\n'), /ex\.py line 1: expected ',' or '\]'/);
    assert.throws(bad('examples["a"] = load("x")\n'), /ex\.py line 1: 'load' is not a string, list or tuple literal/);
    assert.throws(bad("print('hello')\n"), /assigns no examples\["\.\.\."\] shot sets/);
    const odd = HarnessExamples.parse('examples["x"] = [("only a question",)]\nexamples["y"] = ["a", "b"]\n', "odd.py");
    assert.throws(() => odd.shots("x"), /odd\.py: examples\["x"\] is not a list of \(question, answer\) pairs/);
    assert.throws(() => odd.shots("nope"), /odd\.py has no 'nope' few-shot set/);
  });
});

describe("few-shot sets per benchmark", () => {
  it("takes each set's shot set and count from its descriptor", () => {
    const shots = (name: string, reference?: string) => fewShotsFor(datasetDescriptor(name), fixture, reference);
    assert.deepEqual(shots("gsm8k"), fixture.shots("gsm8k"));
    for (const name of ["svamp", "asdiv", "mawps", "addsub"]) assert.deepEqual(shots(name), fixture.shots("gsm8k"), name);
    // the MATH set holds five shots; MATH-like sets take the first four
    assert.equal(fixture.shots("math").length, 5);
    for (const name of ["math500", "aime24", "amc23", "math"]) assert.deepEqual(shots(name), fixture.shots("math").slice(0, 4), name);
    assert.deepEqual(shots("minerva_math"), fixture.shots("minerva_math"));
    assert.deepEqual(shots("sat_math"), fixture.shots("mmlu_stem"));
    for (const name of ["olympiadbench", "college_math", "gaokao2023en", "gaokao_math_cloze", "cmath"]) assert.equal(shots(name), null, name);
    assert.equal(fewShotsFor(undefined, fixture), null, "a local file of no known set");
  });

  it("lays the prompt out exactly as the harness's cot template", () => {
    const shots = [
      { question: "What is 1+1?", answer: "1+1=2. The answer is 2." },
      { question: "What is $2\\cdot 3$?", answer: "It is $\\boxed{6}$." },
    ];
    const expected = "Question: What is 1+1?\nAnswer: 1+1=2. The answer is 2.\n\n\nQuestion: What is $2\\cdot 3$?\nAnswer: It is $\\boxed{6}$.\n\n\nQuestion: What is 3+4?\nAnswer:";
    assert.equal(harnessCot(shots, "What is 3+4?"), expected);
    assert.equal(fewShotPrompt("What is 3+4?", shots), expected);
    assert.equal(fewShotPrompt("What is 3+4?", []), "Question: What is 3+4?\nAnswer:");
    const q = "Tom has 3 apples and buys 4 more. How many apples does he have?";
    assert.equal(fewShotPrompt(q, fewShotsFor(datasetDescriptor("aime24"), fixture)!), harnessCot(fixture.shots("math").slice(0, 4), q));
  });

  it("asks the gaokao sets zero-shot unless the answer is one choice letter (--adapt_few_shot)", () => {
    const gaokao = datasetDescriptor("gaokao2024_I");
    assert.deepEqual(fewShotsFor(gaokao, fixture, "B"), fixture.shots("gaokao"));
    assert.deepEqual(fewShotsFor(gaokao, fixture, "ABD"), []);
    assert.deepEqual(fewShotsFor(gaokao, fixture, "8"), []);
    assert.deepEqual(fewShotsFor(datasetDescriptor("gsm8k"), fixture, "12"), fixture.shots("gsm8k"));
  });
});

describe("where examples.py comes from", () => {
  let hub: FakeHub;
  // the loopback server answers <repo>/resolve/main/<file> with the file itself
  const path = "org/harness/resolve/main/evaluation/examples.py";
  before(async () => {
    hub = await startFakeHub({ "org/harness/evaluation/examples.py": { content: Buffer.from(fixtureText) } });
  });
  after(() => hub.close());
  const cache = () => mkdtempSync(join(tmpdir(), "qmath-fewshot-"));

  it("publishes the harness's address as the default", () => {
    assert.equal(HARNESS_EXAMPLES_URL, "https://raw.githubusercontent.com/QwenLM/Qwen2.5-Math/main/evaluation/examples.py");
  });

  it("reads a local copy named by the caller or $QMATH_FEWSHOT_FILE, without the network", async () => {
    const offline = `http://127.0.0.1:${await closedPort()}/examples.py`;
    const byFlag = await loadHarnessExamples({ file: fewShotFixture, env: { QMATH_CACHE_DIR: cache(), QMATH_FEWSHOT_URL: offline } });
    assert.deepEqual(byFlag.shots("gsm8k"), fixture.shots("gsm8k"));
    const byEnv = await loadHarnessExamples({ env: { QMATH_CACHE_DIR: cache(), QMATH_FEWSHOT_FILE: fewShotFixture, QMATH_FEWSHOT_URL: offline } });
    assert.equal(byEnv.origin, fewShotFixture);
    await assert.rejects(loadHarnessExamples({ file: "/nonexistent/examples.py", env: {} }), /Cannot read the few-shot examples file \/nonexistent\/examples\.py \(ENOENT\)/);
  });

  it("downloads the file into the cache once, then reads the cache", async () => {
    const dir = cache();
    const env = { QMATH_CACHE_DIR: dir, QMATH_FEWSHOT_URL: `${hub.url}/${path}` };
    const before = hub.ranges.length;
    const first = await loadHarnessExamples({ download: true, env });
    assert.deepEqual(first.shots("math"), fixture.shots("math"));
    const cached = join(dir, "harness", "examples.py");
    assert.equal(readFileSync(cached, "utf8"), fixtureText);
    assert.equal(hub.ranges.length, before + 1, "one transfer");
    const offline = { QMATH_CACHE_DIR: dir, QMATH_FEWSHOT_URL: `http://127.0.0.1:${await closedPort()}/examples.py` };
    const second = await loadHarnessExamples({ download: true, env: offline });
    assert.equal(second.origin, cached);
    assert.equal(hub.ranges.length, before + 1, "no second transfer");
  });

  it("does not cache a file that is not examples.py", async () => {
    const dir = cache();
    const env = { QMATH_CACHE_DIR: dir, QMATH_FEWSHOT_URL: `${hub.url}/org/harness/resolve/main/evaluation/missing.py` };
    await assert.rejects(loadHarnessExamples({ download: true, env }), /HTTP 404/);
    assert.ok(!existsSync(join(dir, "harness", "examples.py")));
    mkdirSync(join(dir, "harness"));
    writeFileSync(join(dir, "harness", "examples.py"), "<html>not python</html>\n");
    await assert.rejects(loadHarnessExamples({ env }), (e: unknown) => {
      assert.ok(e instanceof QmathError);
      assert.ok(e.message.startsWith(`${join(dir, "harness", "examples.py")} assigns no examples`), e.message);
      assert.match(e.hint ?? "", /delete a damaged cached copy/);
      return true;
    });
  });

  it("without network or a local copy: one error naming the address and how to give the file", async () => {
    const url = `http://127.0.0.1:${await closedPort()}/evaluation/examples.py`;
    await assert.rejects(loadHarnessExamples({ download: true, env: { QMATH_CACHE_DIR: cache(), QMATH_FEWSHOT_URL: url } }), (e: unknown) => {
      assert.ok(e instanceof QmathError);
      assert.equal(e.code, "download_failed");
      assert.ok(e.message.startsWith(`Could not download the reference harness's few-shot examples from ${url}: no connection (ECONNREFUSED)`), e.message);
      assert.match(e.hint ?? "", /--fewshot-file PATH \(or set QMATH_FEWSHOT_FILE=PATH\)/);
      assert.match(e.hint ?? "", /QMATH_FEWSHOT_URL/);
      return true;
    });
    await assert.rejects(loadHarnessExamples({ env: { QMATH_CACHE_DIR: cache() } }), (e: unknown) => {
      assert.ok(e instanceof QmathError);
      assert.ok(e.message.includes(HARNESS_EXAMPLES_URL), e.message);
      assert.match(e.hint ?? "", /--fewshot-file/);
      return true;
    });
  });
});
