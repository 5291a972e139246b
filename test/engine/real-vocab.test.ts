/**
 * The embedded engine on the tiny model that carries the real Qwen2.5 vocabulary, where token
 * counts, token boundaries and multi-byte characters are those of the real models: the context
 * check at its exact boundary, stop strings across token boundaries, streamed multi-byte text,
 * and pause/append/continue where the appended text joins the text before it into other tokens.
 * Expected values come from the reference tokenizer (reference-tokenizer.ts) and from
 * node-llama-cpp driven directly, not from the engine.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { LlamaModel, Token } from "node-llama-cpp";
import { createEmbeddedEngine } from "../../src/engine/embedded/llama-engine.js";
import { tokenizePrompt } from "../../src/engine/embedded/tokens.js";
import type { Engine, OpenRequest, Prompt, Segment } from "../../src/engine/types.js";
import { QmathError } from "../../src/errors.js";
import { buildProblemPrompt } from "../../src/prompts/formats.js";
import { outputBlock } from "../../src/tir/loop.js";
import { assertUserError, requireTinyQwen25Model, runCli } from "../helpers.js";
import { loadQwen25Model, type Qwen25Model } from "./qwen25-model.js";
import type { ReferenceTokenizer } from "./reference-tokenizer.js";

const SAMPLING = { temperature: 1, topK: 0, topP: 1 } as const;

describe("embedded engine on the real Qwen2.5 vocabulary (tiny model)", () => {
  let engine: Engine;
  let loaded: Qwen25Model | undefined;
  let model: LlamaModel;
  let ref: ReferenceTokenizer;
  before(async () => {
    engine = await createEmbeddedEngine({ modelPath: requireTinyQwen25Model(), threads: 1, maxParallel: 2, gpu: false });
    loaded = await loadQwen25Model({ weights: true });
    ({ model, ref } = loaded);
  });
  after(async () => {
    await engine?.close();
    await loaded?.dispose();
  });

  /** One sample's first segment, with what it streamed. */
  const run = async (request: OpenRequest): Promise<{ segment: Segment; streamed: string[] }> => {
    const [sample] = await engine.open({ ...request, n: 1 });
    try {
      const streamed: string[] = [];
      const segment = await sample!.generate({ onText: (d) => streamed.push(d) });
      return { segment, streamed };
    } finally {
      await sample!.close();
    }
  };

  /** The tokens node-llama-cpp itself samples after the prompt, as the engine asks it to (prompt but the last token evaluated, then the last). */
  const direct = async (prompt: Prompt, seed: number, maxTokens: number): Promise<Token[]> => {
    const context = await model.createContext({ contextSize: 4096, sequences: 1, threads: 1 });
    try {
      const sequence = context.getSequence();
      const { tokens } = tokenizePrompt(model, prompt);
      await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(0, -1));
      const generated: Token[] = [];
      for await (const token of sequence.evaluate(tokens.slice(-1), { ...SAMPLING, seed, yieldEogToken: true })) {
        if (model.isEogToken(token) || generated.push(token) >= maxTokens) break;
      }
      return generated;
    } finally {
      await context.dispose();
    }
  };

  describe("the 4096-token context, at its exact boundary", () => {
    /** A CoT prompt of exactly `total` tokens by the reference tokenizer: " cat" is one token. */
    const promptOf = (total: number) => {
      const base = ref.encodePrompt(buildProblemPrompt("qwen25-math-cot", "Count the cats:").prompt).length;
      const problem = "Count the cats:" + " cat".repeat(total - base);
      const { prompt } = buildProblemPrompt("qwen25-math-cot", problem);
      assert.equal(ref.encodePrompt(prompt).length, total, "the premise: the reference counts the prompt as asked");
      return { problem, prompt };
    };

    it("a prompt of 4095 tokens opens and generates the one token left; 4096 is refused naming the count", async () => {
      assert.equal(engine.info.contextSize, 4096);
      const fits = promptOf(4095);
      const { segment } = await run({ prompt: fits.prompt, temperature: 0 });
      assert.equal(segment.tokens, 1);
      assert.equal(segment.finishReason, "length");
      const [sample] = await engine.open({ prompt: fits.prompt, maxTokens: 1 });
      assert.equal(sample!.usage.promptTokens, 4095);
      await sample!.close();

      const over = promptOf(4096);
      await assert.rejects(
        engine.open({ prompt: over.prompt }),
        (e: unknown) => e instanceof QmathError && e.code === "context_overflow" && /The prompt takes 4096 tokens, but the model's context holds 4096\./.test(e.message),
      );
    });

    it("qmath solve refuses the 4096-token problem in one line, and solves the 4095-token one", async () => {
      const model = requireTinyQwen25Model();
      const over = await runCli(["solve", "--model", model, "--threads", "1", "--max-tokens", "1", promptOf(4096).problem]);
      assertUserError(over, /The prompt takes 4096 tokens, but the model's context holds 4096/);
      const fits = await runCli(["solve", "--model", model, "--threads", "1", "--json", promptOf(4095).problem]);
      assert.equal(fits.code, 0, fits.stderr);
      const result = JSON.parse(fits.stdout) as { usage: { promptTokens: number; completionTokens: number } };
      assert.equal(result.usage.promptTokens, 4095);
      assert.equal(result.usage.completionTokens, 1);
    });
  });

  describe("generated text", () => {
    const { prompt } = buildProblemPrompt("qwen25-math-cot", "求函数 f(x) = x² 的最小值 😀");
    const SEED = 5;
    const LENGTH = 120;
    let tokens: Token[];
    before(async () => {
      tokens = await direct(prompt, SEED, LENGTH);
      // A fresh engine: its prompt is evaluated in the same batches as direct()'s. (A random model's
      // next-token distribution is nearly flat, so sampling at temperature 1 follows the rounding of
      // a KV cache computed in other batches, as a sequence reused from an earlier request holds.)
      await engine.close();
      engine = await createEmbeddedEngine({ modelPath: requireTinyQwen25Model(), threads: 1, maxParallel: 2, gpu: false });
    });

    it("streams whole characters, and the streamed text is the generated tokens decoded at once", async () => {
      const pieces = tokens.map((t) => model.detokenize([t], false));
      assert.ok(pieces.some((p) => p.includes("\uFFFD")), "the premise: some generated tokens end inside a character");
      assert.ok([...ref.decode(tokens)].some((c) => c.codePointAt(0)! > 0x7f), "the premise: the text is not all ASCII");
      const { segment, streamed } = await run({ prompt, ...SAMPLING, seed: SEED, maxTokens: LENGTH });
      assert.equal(segment.tokens, tokens.length);
      assert.equal(segment.text, ref.decode(tokens));
      assert.equal(streamed.join(""), segment.text);
      // A character split between two pieces would show as U+FFFD or half a surrogate pair in
      // them; the text decoded at once has U+FFFD only where the model wrote invalid bytes.
      for (const d of streamed) assert.doesNotMatch(d, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    });

    it("finds a stop string that spans two tokens, at the token that completes it, and never streams it", async () => {
      const text = ref.decode(tokens);
      // A stop from the middle of one generated token to the middle of the next.
      let at = -1;
      let stop = "";
      let through = 0;
      for (let i = 8, offset = ref.decode(tokens.slice(0, 8)).length; i + 1 < tokens.length; offset += ref.decode([tokens[i]!]).length, i++) {
        const [a, b] = [ref.decode([tokens[i]!]), ref.decode([tokens[i + 1]!])];
        if (a.length < 3 || b.length < 3 || a.includes("\uFFFD") || b.includes("\uFFFD")) continue;
        const candidate = text.slice(offset + 1, offset + a.length + 2);
        if (text.indexOf(candidate) !== offset + 1) continue;
        [at, stop, through] = [offset + 1, candidate, i + 2];
        break;
      }
      assert.ok(at > 0, "the premise: a stop across two tokens was found in the text");
      const { segment, streamed } = await run({ prompt, ...SAMPLING, seed: SEED, maxTokens: LENGTH, stop: ["never there", stop] });
      assert.equal(segment.finishReason, "stop");
      assert.equal(segment.stop, stop);
      assert.equal(segment.text, text.slice(0, at));
      assert.equal(streamed.join(""), segment.text, "nothing of the stop string was streamed");
      assert.equal(segment.tokens, through);
    });
  });

  describe("pause, append, continue", () => {
    const { prompt } = buildProblemPrompt("qwen25-math-tir", "What is 6 times 7?");
    const SEED = 9;

    it("holds exactly the tokens of the whole text after appending, and continues as a prompt of the whole text does", async () => {
      const free = ref.decode(await direct(prompt, SEED, 4));
      // Stop at the first character: the segment keeps nothing, and the output block joins the prompt's "assistant\n".
      const [sample] = await engine.open({ prompt, ...SAMPLING, seed: SEED, maxTokens: 16, stop: [free.slice(0, 1)] });
      const first = await sample!.generate();
      assert.equal(first.finishReason, "stop");
      assert.equal(first.text, "");
      const appended = outputBlock(first.text, "42");
      const wholePrompt: Prompt = [...prompt, { text: appended }];
      // The premise: alone, the output block is other tokens than in the whole text ("\n" + "\n```" against "\n\n" + "```").
      assert.notDeepEqual([...ref.encodePrompt(prompt), ...ref.encodePlain(appended)], ref.encodePrompt(wholePrompt));
      const before = sample!.usage.evaluatedTokens;
      sample!.append(appended);
      const continued = await sample!.generate();
      const evaluated = sample!.usage.evaluatedTokens - before;
      await sample!.close();
      assert.equal(sample!.text, appended + continued.text);
      assert.ok(continued.tokens >= 10, `the continuation has ${continued.tokens} tokens`);
      const appendedTokens = ref.encodePlain(appended).length;
      assert.ok(evaluated >= appendedTokens && evaluated <= appendedTokens + 2, `continuing evaluated ${evaluated} tokens for ${appendedTokens} appended`);

      // A request whose prompt is the whole text takes the sequence the sample left, and finds every
      // prompt token but the last (which each request evaluates itself) already there: the sample held
      // the whole text's tokens. It then samples the same continuation from the same cache.
      const [fresh] = await engine.open({ prompt: wholePrompt, ...SAMPLING, seed: SEED, maxTokens: continued.tokens });
      const segment = await fresh!.generate();
      await fresh!.close();
      assert.equal(fresh!.usage.promptTokens, ref.encodePrompt(wholePrompt).length);
      assert.equal(fresh!.usage.promptTokensEvaluated, 1);
      assert.equal(segment.text, continued.text);
    });
  });
});
