/**
 * Corpus suite: llama.cpp (the embedded engine's tokenization, on the tiny model that carries
 * the real Qwen2.5 vocabulary) tokenizes qmath's prompt for every problem of every shared set,
 * in every prompt format, exactly as the Qwen2.5 tokenizer does (Hugging Face tokenizers on
 * tokenizer.json: test/engine/reference-tokenizer.ts). Tokenization only, no generation. The
 * model is written to test/fixtures/models/ when missing, as `npm run make-test-model:tiny` does.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { getLlama, LlamaLogLevel, type Llama, type LlamaModel } from "node-llama-cpp";
import { writeQwen2TestModel } from "../scripts/gguf/qwen2-test-model.js";
import { tokenizePrompt } from "../src/engine/embedded/tokens.js";
import { loadDataset } from "../src/datasets/index.js";
import { buildProblemPrompt, PROMPT_FORMATS } from "../src/prompts/formats.js";
import { tinyQwen25ModelPath } from "../test/helpers.js";
import { ReferenceTokenizer } from "../test/engine/reference-tokenizer.js";
import { ALL_SETS, corpusDir } from "./data.js";

const SETS = [...ALL_SETS, "addsub", "multiarith", "singleeq", "singleop"];

describe("prompt tokens over the benchmark sets, against the reference tokenizer", () => {
  let llama: Llama;
  let model: LlamaModel;
  let ref: ReferenceTokenizer;
  const cacheDir = mkdtempSync(join(tmpdir(), "qmath-tok-cache-"));
  let prompts = 0;

  before(async () => {
    if (!existsSync(tinyQwen25ModelPath)) await writeQwen2TestModel(tinyQwen25ModelPath, { shape: "tiny", seed: 1, vocab: "qwen2.5" });
    llama = await getLlama({ build: "never", gpu: false, maxThreads: 1, logLevel: LlamaLogLevel.error });
    model = await llama.loadModel({ modelPath: tinyQwen25ModelPath, vocabOnly: true });
    ref = new ReferenceTokenizer();
  });
  after(async () => {
    await model?.dispose();
    await llama?.dispose();
  });

  for (const name of SETS) {
    it(`${name}: every problem in every prompt format, token for token`, async () => {
      const problems = await loadDataset(name, { dataDir: corpusDir(), cacheDir });
      assert.ok(problems.length > 0);
      const differing: string[] = [];
      for (const [i, problem] of problems.entries()) {
        for (const format of PROMPT_FORMATS) {
          const { prompt, text } = buildProblemPrompt(format, problem.question);
          const expected = ref.encodePrompt(prompt);
          const actual = tokenizePrompt(model, prompt).tokens;
          prompts++;
          if (actual.length !== expected.length || actual.some((t, k) => t !== expected[k])) differing.push(`${problem.id} (${format})`);
          // Every tenth problem: that is the tokenizer on the rendered text, as apply_chat_template + encode gives it
          // (the sets hold no special-token strings, so no text of theirs is kept plain that the tokenizer would parse).
          if (i % 10 === 0) assert.deepEqual(expected, ref.encode(text), `${problem.id} (${format})`);
        }
      }
      assert.deepEqual(differing.slice(0, 10), [], `${differing.length} of ${problems.length * PROMPT_FORMATS.length} prompts differ`);
    });
  }

  it("covered every set", () => {
    assert.ok(prompts > 75_000, `${prompts} prompts`);
  });
});
