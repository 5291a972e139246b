/**
 * The embedded engine's reading of generated tokens (SegmentReader: decoding, stop strings,
 * streaming), fed real Qwen2.5 token sequences: the tokenizations of texts the models write
 * (what a model that writes that text generates), on the tiny model with the real vocabulary.
 * A random-weight model cannot be made to write "<|im_end|>" as text or "```output", so these
 * sequences are fed directly; the engine-level runs are in real-vocab.test.ts.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { LlamaModel, Token } from "node-llama-cpp";
import { SegmentReader } from "../../src/engine/embedded/segment-reader.js";
import { tokenizeText } from "../../src/engine/embedded/tokens.js";
import { loadQwen25Model, type Qwen25Model } from "./qwen25-model.js";
import type { ReferenceTokenizer } from "./reference-tokenizer.js";

interface Read {
  stop: string | undefined;
  text: string;
  deltas: string[];
  /** How many tokens were pushed when the stop fired (all of them if none did). */
  pushed: number;
  reader: SegmentReader;
}

function read(model: LlamaModel, tokens: readonly Token[], stops: string[]): Read {
  const deltas: string[] = [];
  const reader = new SegmentReader(model, stops, (d) => deltas.push(d));
  for (const token of tokens) {
    const stop = reader.push(token);
    if (stop !== undefined) return { stop, text: reader.text, deltas, pushed: reader.generated.length, reader };
  }
  reader.finish();
  return { stop: undefined, text: reader.text, deltas, pushed: tokens.length, reader };
}

/** No streamed piece holds a replacement character or half of a surrogate pair. */
function assertWholeCharacters(deltas: readonly string[]): void {
  for (const d of deltas) {
    assert.ok(!d.includes("\uFFFD"), `a broken character was streamed: ${JSON.stringify(d)}`);
    assert.doesNotMatch(d, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/, `half a surrogate pair was streamed: ${JSON.stringify(d)}`);
  }
}

describe("reading generated Qwen2.5 tokens: stops across tokens, whole characters", () => {
  let loaded: Qwen25Model | undefined;
  let model: LlamaModel;
  let ref: ReferenceTokenizer;
  before(async () => {
    loaded = await loadQwen25Model();
    ({ model, ref } = loaded);
  });
  after(() => loaded?.dispose());

  /** The model writing `before + stop + after` as text, token by token. */
  const written = (text: string) => tokenizeText(model, text, false);
  /** Token pieces of a text, to check that a stop really falls across tokens. */
  const pieces = (tokens: readonly Token[]) => tokens.map((t) => model.detokenize([t], false));

  for (const [name, before, stop, after] of [
    ["<|im_end|> written as text", "So the answer is $\\boxed{4}$.", "<|im_end|>", "\n<|im_start|>user\nmore"],
    ["```output after a code block", "```python\nprint(6 * 7)\n```\n", "```output", "\n42\n```\n"],
    ["a user's stop that starts and ends inside tokens", "Therefore the re", "mainder is 1", "7 modulo 5, so"],
    ["a stop inside a Chinese word", "所以数", "学题", "的答案是"],
  ] as const) {
    it(`${name}: found though it spans tokens, and never streamed`, () => {
      const tokens = written(before + stop + after);
      const splits = pieces(tokens);
      assert.ok(!splits.includes(stop), `the premise: no single token is ${JSON.stringify(stop)} (${JSON.stringify(splits)})`);
      for (const stops of [[stop], ["never there", stop, "\n\n\n\n"]]) {
        const r = read(model, tokens, stops);
        assert.equal(r.stop, stop);
        assert.equal(r.text, before);
        assert.equal(r.deltas.join(""), before, "streamed exactly the text before the stop");
        assertWholeCharacters(r.deltas);
        // Generation stops at the token that completes the stop string.
        let through = 0;
        while (splits.slice(0, through).join("").length < before.length + stop.length) through++;
        assert.equal(r.pushed, through);
        // The context keeps the whole tokens before the stop and the text of the token it starts in.
        const { tokens: kept, fragment } = r.reader.kept();
        assert.equal(model.detokenize(kept, false) + fragment, before);
        assert.deepEqual(kept, tokens.slice(0, kept.length));
      }
    });
  }

  it("a prefix of a stop string is held back, then released when the text goes another way", () => {
    const text = "The value is <|im_e and then <|im_en and more.";
    const r = read(model, written(text), ["<|im_end|>"]);
    assert.equal(r.stop, undefined);
    assert.equal(r.text, text);
    assert.equal(r.deltas.join(""), text);
  });

  for (const text of [
    "数学题：已知函数$f(x)=x^{2}$，求最大值。龘靐齉爩，所以答案是$\\boxed{3}$。",
    "🚀 Solve 😶‍🌫️ and 👩‍👩‍👧‍👦 with 👍🏽 🇨🇳🇺🇸 ✅ 🦙🦙 ❤️",
    "𝔽_p, 𝐱 ∈ ℝ², ∫₀^∞ e^{−x²} dx",
  ]) {
    it(`streams ${JSON.stringify(text.slice(0, 12))}… in whole characters, equal to the text decoded at once`, () => {
      const tokens = written(text);
      assert.ok(pieces(tokens).some((p) => p.includes("\uFFFD")), "the premise: some tokens end inside a character");
      const r = read(model, tokens, []);
      assertWholeCharacters(r.deltas);
      assert.equal(r.deltas.join(""), text);
      assert.equal(r.text, ref.decode(tokens));
    });
  }

  it("streams whole characters through any run of tokens that each end inside a character", () => {
    // Tokens that finish one character and start the next: E4 | B8 | A4 ED | 9F | A0 ED | 9F | A0 ED | 9F | A0
    // is "两" then U+D7E0 three times, and the text is unfinished after every token but the last.
    const byteRuns = [[0xe4], [0xb8], [0xa4, 0xed], [0x9f], [0xa0, 0xed], [0x9f], [0xa0, 0xed], [0x9f], [0xa0]];
    const tokens = byteRuns.map((bytes) => {
      const id = ref.idOfBytes(bytes);
      assert.ok(id !== undefined, `the vocabulary has a token for ${Buffer.from(bytes).toString("hex")}`);
      return id as Token;
    });
    const expected = "两\ud7e0\ud7e0\ud7e0";
    assert.equal(ref.decode(tokens), expected);
    const r = read(model, tokens, []);
    assertWholeCharacters(r.deltas);
    assert.equal(r.text, expected);
    // A stop inside that run is still found, and the kept text is whole.
    const stopped = read(model, tokens, ["\ud7e0\ud7e0"]);
    assert.equal(stopped.stop, "\ud7e0\ud7e0");
    assert.equal(stopped.text, "两");
    assertWholeCharacters(stopped.deltas);
  });

  it("an invalid byte sequence comes out as U+FFFD, not held forever", () => {
    const lone = ref.idOfBytes([0xa4]) as Token; // a continuation byte with no lead byte
    const r = read(model, [lone, ...written(" ok")], []);
    assert.equal(r.text, "\uFFFD ok");
    const end = read(model, [...written("ok "), ref.idOfBytes([0xe4]) as Token], []);
    assert.equal(end.text, "ok \uFFFD", "an unfinished character at the end is released when the segment ends");
  });
});
