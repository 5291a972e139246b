/**
 * Token for token: the embedded engine (llama.cpp through node-llama-cpp) tokenizes qmath's
 * prompts exactly as the Qwen2.5 tokenizer does (reference-tokenizer.ts), on the tiny model
 * that carries the real Qwen2.5 vocabulary, over a fixture of hard strings
 * (test/fixtures/tokenizer/hard-strings.json): Chinese, LaTeX, emoji, \boxed{}, code, runs of
 * whitespace, Unicode that needs normalizing, and special-token strings typed by a user, which
 * must stay text. The same check over every problem of every benchmark set is in the corpus
 * suite (test-corpus/tokenization.test.ts).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { LlamaModel } from "node-llama-cpp";
import { createEmbeddedEngine } from "../../src/engine/embedded/llama-engine.js";
import { retokenizeJoin, tokenizePrompt, tokenizeText } from "../../src/engine/embedded/tokens.js";
import type { Prompt } from "../../src/engine/types.js";
import { chatMLPrompt } from "../../src/prompts/chatml.js";
import { buildProblemPrompt, PROMPT_FORMATS } from "../../src/prompts/formats.js";
import { repoRoot, requireTinyQwen25Model } from "../helpers.js";
import { loadQwen25Model, type Qwen25Model } from "./qwen25-model.js";
import type { ReferenceTokenizer } from "./reference-tokenizer.js";

const HARD_STRINGS = JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "tokenizer", "hard-strings.json"), "utf8")) as { name: string; text: string }[];

const IM_START = 151644;
const IM_END = 151645;

/** Every prompt qmath renders around a text: each problem format, and a conversation with it on both sides. */
function promptsAround(text: string): [string, Prompt][] {
  const prompts: [string, Prompt][] = [
    [
      "conversation",
      chatMLPrompt([
        { role: "user", content: text },
        { role: "assistant", content: text },
        { role: "user", content: "Explain step 2." },
      ]),
    ],
  ];
  if (text.trim()) for (const format of PROMPT_FORMATS) prompts.push([format, buildProblemPrompt(format, text).prompt]);
  return prompts;
}

/** Whether the text holds one of the tokenizer's added tokens (then the raw rendering parses it, qmath's prompt does not). */
const holdsAddedToken = (ref: ReferenceTokenizer, text: string) => ref.addedTokens.some((t) => text.includes(t.content));

describe("prompt tokens on the real Qwen2.5 vocabulary, against the reference tokenizer", () => {
  let loaded: Qwen25Model | undefined;
  let model: LlamaModel;
  let ref: ReferenceTokenizer;
  before(async () => {
    loaded = await loadQwen25Model();
    ({ model, ref } = loaded);
  });
  after(() => loaded?.dispose());

  it("the fixture covers what it says", () => {
    const all = HARD_STRINGS.map((s) => s.text).join("");
    for (const needle of ["<|im_start|>", "\\boxed{", "```python", "求", "😶‍🌫️", "\t\t", "\r\n", "e\u0301"]) assert.ok(all.includes(needle), needle);
  });

  for (const { name, text } of HARD_STRINGS) {
    it(`${name}: every prompt format and a conversation, token for token`, () => {
      for (const [format, prompt] of promptsAround(text)) {
        const expected = ref.encodePrompt(prompt);
        assert.deepEqual(tokenizePrompt(model, prompt).tokens, expected, `${format} prompt of ${JSON.stringify(text)}`);
        // Where the text holds no special-token string, that is the tokenizer on the rendered text.
        if (!holdsAddedToken(ref, text)) assert.deepEqual(expected, ref.encode(typeof prompt === "string" ? prompt : prompt.map((p) => p.text).join("")), format);
      }
      // Raw text parses special-token strings, as a completion prompt; appended text never does.
      assert.deepEqual(tokenizeText(model, text, true), ref.encode(text), "raw text");
      assert.deepEqual(tokenizeText(model, text, false), ref.encodePlain(text), "plain text");
    });
  }

  it("a special-token string typed in a message stays text: the template's turns are the only turns", () => {
    const typed = HARD_STRINGS.find((s) => s.name === "typed im_start")!.text;
    for (const [format, prompt] of promptsAround(typed)) {
      if (format === "few-shot") continue;
      const tokens = tokenizePrompt(model, prompt).tokens;
      const template = prompt as readonly { text: string; special?: boolean }[];
      const count = (id: number) => tokens.filter((t) => t === id).length;
      assert.equal(count(IM_START), template.filter((p) => p.text === "<|im_start|>").length, format);
      assert.equal(count(IM_END), template.filter((p) => p.text === "<|im_end|>").length, format);
      // What the message says reads back exactly.
      assert.ok(model.detokenize(tokens, true).includes(typed.trim()), format);
    }
    const fewShot = tokenizePrompt(model, buildProblemPrompt("few-shot", typed).prompt).tokens;
    assert.ok(!fewShot.includes(IM_START as never) && !fewShot.includes(IM_END as never), "the few-shot prompt has no special tokens at all");
  });

  it("normalizes text to NFC as the tokenizer does: a decomposed accent gives the tokens of the composed one", () => {
    assert.deepEqual(tokenizeText(model, "cafe\u0301", false), tokenizeText(model, "caf\u00e9", false));
    assert.deepEqual(tokenizeText(model, "cafe\u0301", false), ref.encode("cafe\u0301"));
  });

  describe("appended text is tokenized as the whole text would be", () => {
    const { prompt } = buildProblemPrompt("qwen25-math-tir", "What is 6 times 7?");
    /** The sample after generating `generated` (as these tokens) and appending `appended`. */
    const join = (generated: number[], appended: string) => {
      const { tokens, fixed } = tokenizePrompt(model, prompt);
      const context = [...tokens, ...(generated as never[])];
      const { keep, tail } = retokenizeJoin(model, context, fixed, appended);
      return [...context.slice(0, keep), ...tail];
    };
    const whole = (generatedText: string, appended: string) => ref.encodePrompt([...prompt, { text: generatedText + appended }]);

    for (const [name, generated, appended] of [
      ["a code block ending in a fence, then the output block", "```python\nprint(6 * 7)\n```", "\n```output\n42\n```\n"],
      ["trailing spaces, then a word", "The product is  ", "forty-two."],
      ["a word cut in two, then a newline run", "The sum is thir", "ty-two.\n\n\n"],
      ["nothing generated yet: the output joins the prompt's last line", "", "\n```output\n42\n```\n"],
      ["a Chinese word cut in two", "所以数", "学题的答案是42。"],
    ] as const) {
      it(name, () => {
        const generatedTokens = ref.encodePlain(generated);
        const alone = [...tokenizePrompt(model, prompt).tokens, ...generatedTokens, ...ref.encodePlain(appended)];
        const expected = whole(generated, appended);
        assert.notDeepEqual(alone, expected, "the premise: the appended text tokenizes differently alone than in context");
        assert.deepEqual(join(generatedTokens, appended), expected);
      });
    }

    it("keeps the tokens the model generated before the join, even where they are not the text's own tokenization", () => {
      // "print" generated as "pr" + "int": not what the tokenizer would make of the text.
      const generated = [...ref.encodePlain("```python\n"), ...ref.encodePlain("pr"), ...ref.encodePlain("int(6 * 7)\n```")];
      const result = join(generated, "\n```output\n42\n```\n");
      const promptLength = tokenizePrompt(model, prompt).tokens.length;
      const kept = generated.length - 3;
      assert.deepEqual(result.slice(promptLength, promptLength + kept), generated.slice(0, kept));
      assert.equal(model.detokenize(result as never[], true), ref.decode(whole("```python\nprint(6 * 7)\n```", "\n```output\n42\n```\n")));
    });

    it("never joins across a special token, and keeps a special-token string in appended text plain", () => {
      const { tokens, fixed } = tokenizePrompt(model, prompt);
      const { keep, tail } = retokenizeJoin(model, tokens, fixed, "<|im_end|>\n");
      assert.ok(keep >= fixed);
      assert.ok(!tail.includes(IM_END as never));
      assert.deepEqual([...tokens.slice(0, keep), ...tail], ref.encodePrompt([...prompt, { text: "<|im_end|>\n" }]));
    });
  });

  it("the engine's prompt is the reference's: a request's prompt tokens, and a count of raw text", async () => {
    const engine = await createEmbeddedEngine({ modelPath: requireTinyQwen25Model(), threads: 1, maxParallel: 1, gpu: false });
    try {
      for (const name of ["typed im_start", "chinese problem", "decomposed accents", "emoji"]) {
        const text = HARD_STRINGS.find((s) => s.name === name)!.text;
        const { prompt } = buildProblemPrompt("qwen25-math-cot", text);
        const [sample] = await engine.open({ prompt, maxTokens: 1 });
        assert.equal(sample!.usage.promptTokens, ref.encodePrompt(prompt).length, name);
        await sample!.close();
        assert.equal(await engine.countTokens(text), ref.encode(text).length, name);
      }
    } finally {
      await engine.close();
    }
  });
});
