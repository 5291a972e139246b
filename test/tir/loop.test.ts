/**
 * The TIR loop, driven by the scripted engine playing back answers written in the models'
 * exact TIR format, with code run for real in the sandbox. A recorded transcript turns into
 * a script (its output blocks removed); playing it back must rebuild the transcript exactly,
 * with the outputs now computed by the sandbox.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { extractAnswer } from "../../src/answers/extract.js";
import { createScriptedEngine, scriptFromTranscript } from "../../src/engine/scripted.js";
import { buildProblemPrompt } from "../../src/prompts/formats.js";
import { createSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { solve } from "../../src/solve/solve.js";
import { CALL_LIMIT_TEXT, lastPythonBlock, outputBlock, runTir, wantsExecution, type TirTranscript } from "../../src/tir/loop.js";
import { repoRoot } from "../helpers.js";

const recorded = (name: string) => readFileSync(join(repoRoot, "test", "fixtures", "tir", `${name}.txt`), "utf8");
const { prompt, stop } = buildProblemPrompt("qwen25-math-tir", "What is the sum of the roots of x^2 - 5x + 6 = 0?");

describe("TIR protocol pieces", () => {
  it("takes the last complete python block, as the harness's extract_program does", () => {
    const text = "a\n```python\nx = 1\n```\n```output\n1\n```\nthen\n```python\ny = 2\nprint(y)\n```\n";
    assert.equal(lastPythonBlock(text), "y = 2\nprint(y)\n");
    assert.equal(lastPythonBlock("no code here"), "");
  });

  it("runs code only for a segment without a boxed answer that ends with a closing fence", () => {
    assert.equal(wantsExecution("```python\nprint(1)\n```\n"), true);
    assert.equal(wantsExecution("so $\\boxed{3}$\n```python\nprint(1)\n```"), false);
    assert.equal(wantsExecution("```python\nprint(1)\n"), false);
  });

  it("writes the output block exactly as the harness does after trimming the segment", () => {
    // harness: segment.rstrip() + "\n```output\n" + result + "\n```\n"
    for (const segment of ["```python\nprint(1)\n```", "```python\nprint(1)\n```\n"])
      assert.equal(segment + outputBlock(segment, "1"), segment.trimEnd() + "\n```output\n1\n```\n");
    // A sample cannot take text back: other trailing whitespace stays, and a newline follows it.
    assert.equal(outputBlock("```python\nprint(1)\n```  \n\n", "1"), "\n```output\n1\n```\n");
  });
});

describe("the TIR loop (scripted engine, real sandbox)", () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await createSandbox({ spares: 2 });
  });
  after(() => sandbox.close());

  async function play(scripts: string[], maxCalls?: number): Promise<TirTranscript[]> {
    const engine = createScriptedEngine({ scripts });
    const samples = await engine.open({ prompt, stop, n: scripts.length });
    return Promise.all(
      samples.map(async (sample) => {
        const session = await sandbox.session();
        try {
          return await runTir(sample, session, { maxCalls });
        } finally {
          await session.close();
        }
      }),
    );
  }

  it("runs the code, inserts its output, continues, and rebuilds the recorded answer exactly", async () => {
    const text = recorded("sum-of-roots");
    let streamed = "";
    const engine = createScriptedEngine({ scripts: [scriptFromTranscript(text)] });
    const [sample] = await engine.open({ prompt, stop });
    const session = await sandbox.session();
    const t = await runTir(sample!, session, { onText: (d) => (streamed += d) });
    await session.close();
    assert.equal(t.text, text);
    assert.equal(streamed, text);
    assert.equal(t.cells.length, 1);
    assert.equal(t.cells[0]!.output, "5");
    assert.equal(t.cells[0]!.status, "ok");
    assert.match(t.cells[0]!.code, /^import sympy as sp\n/);
    assert.equal(t.finishReason, "eos");
    assert.equal(t.segments, 2);
    assert.equal(t.callLimitReached, false);
    assert.ok(t.timings.executeMs > 0 && t.cells[0]!.durationMs > 0);
    assert.equal(extractAnswer(t.text), "5");
  });

  it("keeps state across cells, reports an error as the traceback's last line, and goes on", async () => {
    const text = recorded("state-and-error");
    const [t] = await play([scriptFromTranscript(text)]);
    assert.equal(t!.text, text);
    assert.deepEqual(
      t!.cells.map((c) => [c.status, c.output]),
      [
        ["ok", "[41, 43, 47, 53, 61]"],
        ["error", "NameError: name 'factor_pair' is not defined"],
        ["ok", "40 1681"],
      ],
    );
    assert.equal(extractAnswer(t!.text), "40");
  });

  it("stops running code after 4 calls, says so, and lets the model finish without tools", async () => {
    const text = recorded("five-calls");
    const script = scriptFromTranscript(text);
    const [asksAgain] = await play([script]);
    assert.equal(asksAgain!.cells.length, 4);
    assert.deepEqual(asksAgain!.cells.map((c) => c.output), ["1", "3", "6", "10"]);
    assert.equal(asksAgain!.callLimitReached, true);
    assert.ok(asksAgain!.text.includes(`\`\`\`output\n10\n\`\`\`\n${CALL_LIMIT_TEXT}`));
    assert.ok(!asksAgain!.text.includes("```output\n15"), "a fifth cell ran");
    assert.equal(asksAgain!.finishReason, "stop");

    // A model that answers after the limit text finishes normally.
    const finishing = script.slice(0, script.indexOf("```python\ntotal += 5")) + "\nSo the total is $\\boxed{10}$.";
    const [done] = await play([finishing]);
    assert.equal(done!.cells.length, 4);
    assert.equal(done!.finishReason, "eos");
    assert.ok(done!.text.endsWith(`${CALL_LIMIT_TEXT}\nSo the total is $\\boxed{10}$.`));
    assert.equal(extractAnswer(done!.text), "10");
  });

  it("honours a different call limit", async () => {
    const [t] = await play([scriptFromTranscript(recorded("five-calls"))], 2);
    assert.equal(t!.cells.length, 2);
    assert.equal(t!.callLimitReached, true);
  });

  it("gives parallel samples separate interpreters", async () => {
    const a = "Set it.\n```python\nsecret = 42\nprint('set')\n```\n```output\nNow read it.\n```python\nprint(secret)\n```\n```output\nDone: $\\boxed{42}$.";
    const b = "Look for it.\n```python\nprint('secret' in globals())\n```\n```output\nIt is not there: $\\boxed{0}$.";
    const [ta, tb] = await play([a, b]);
    assert.deepEqual(ta!.cells.map((c) => c.output), ["set", "42"]);
    assert.deepEqual(tb!.cells.map((c) => c.output), ["False"]);
  });

  it("solve() in TIR mode returns the transcript with cells, and the extracted answer", async () => {
    const engine = createScriptedEngine({ scripts: [scriptFromTranscript(recorded("sum-of-roots"))] });
    const result = await solve(engine, "What is the sum of the roots of x^2 - 5x + 6 = 0?", { tir: { sandbox }, mode: "tir", n: 2 });
    assert.equal(result.mode, "tir");
    assert.equal(result.promptFormat, "qwen25-math-tir");
    assert.equal(result.answer, "5");
    assert.equal(result.samples.length, 2);
    for (const s of result.samples) {
      assert.equal(s.cells?.length, 1);
      assert.equal(s.cells?.[0]?.output, "5");
      assert.equal(s.text, recorded("sum-of-roots"));
    }
  });
});
