import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pretokenize, toByteLevel, trainBpe } from "../../scripts/gguf/bpe.js";
import { encodeF32, quantizeQ8_0 } from "../../scripts/gguf/encode.js";
import { float16BitsToFloat32, float32ToFloat16Bits } from "../../scripts/gguf/fp16.js";
import { Xoshiro128 } from "../../scripts/gguf/prng.js";
import { readGgufHeader } from "../../scripts/gguf/reader.js";
import { GgmlType, tensorByteSize } from "../../scripts/gguf/types.js";
import { validateQwen2Header } from "../../scripts/gguf/validate.js";
import { TokenType, buildVocab } from "../../scripts/gguf/vocab.js";
import { GgufWriter } from "../../scripts/gguf/writer.js";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "qmath-gguf-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("fp16", () => {
  it("converts exactly representable values and rounds to nearest even", () => {
    assert.equal(float32ToFloat16Bits(1), 0x3c00);
    assert.equal(float32ToFloat16Bits(-2), 0xc000);
    assert.equal(float32ToFloat16Bits(65504), 0x7bff);
    assert.equal(float32ToFloat16Bits(1e6), 0x7c00); // overflow → +Inf
    assert.equal(float32ToFloat16Bits(2 ** -24), 0x0001); // smallest subnormal
    assert.equal(float32ToFloat16Bits(1 + 2 ** -11), 0x3c00); // tie → even mantissa
    assert.equal(float32ToFloat16Bits(1 + 3 * 2 ** -11), 0x3c02); // tie → even mantissa (up)
    assert.ok(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(NaN))));
    const roundTripError = (v: number) => Math.abs(float16BitsToFloat32(float32ToFloat16Bits(v)) - v);
    for (const v of [0.1, -0.02, 3.14159]) assert.ok(roundTripError(v) <= Math.abs(v) * 2 ** -11);
    assert.ok(roundTripError(1e-5) <= 2 ** -25); // subnormal: fixed absolute precision
  });
});

describe("Q8_0", () => {
  it("stores an fp16 scale and 32 int8 quants per block, like ggml", () => {
    const values = Float32Array.from({ length: 64 }, (_, i) => (i - 31.5) / 10);
    const bytes = quantizeQ8_0(values);
    assert.equal(bytes.length, 2 * 34);
    const view = new DataView(bytes.buffer);
    for (let b = 0; b < 2; b++) {
      const d = float16BitsToFloat32(view.getUint16(b * 34, true));
      for (let i = 0; i < 32; i++) {
        const restored = d * view.getInt8(b * 34 + 2 + i);
        assert.ok(Math.abs(restored - values[b * 32 + i]!) <= d / 2 + 1e-3);
      }
    }
    assert.throws(() => quantizeQ8_0(new Float32Array(31)), /multiple of 32/);
  });
});

describe("Xoshiro128", () => {
  it("is deterministic per seed and stream and fills buffers like repeated next()", () => {
    const a = new Uint32Array(8);
    new Xoshiro128(7, 1).fillUint32(a);
    const single = new Xoshiro128(7, 1);
    assert.deepEqual([...a], Array.from({ length: 8 }, () => single.nextUint32()));
    const b = new Uint32Array(8);
    new Xoshiro128(7, 2).fillUint32(b);
    assert.notDeepEqual([...a], [...b]);
  });
});

describe("GgufWriter", () => {
  it("writes a header the reader parses back, with aligned sequential tensor offsets", async () => {
    const path = join(dir, "small.gguf");
    const writer = new GgufWriter()
      .set("test.u32", { type: "uint32", value: 7 })
      .set("test.i32", { type: "int32", value: -3 })
      .set("test.f32", { type: "float32", value: 0.5 })
      .set("test.bool", { type: "bool", value: true })
      .set("test.str", { type: "string", value: "héllo" })
      .set("test.strs", { type: "string[]", value: ["a", "b c"] })
      .set("test.i32s", { type: "int32[]", value: [1, -2] })
      .set("test.u32s", { type: "uint32[]", value: [3, 4] })
      .set("test.f32s", { type: "float32[]", value: [1.5, -2.5] });
    const first = Float32Array.from([1, 2, 3]);
    writer.addTensor({ name: "a", dims: [3], type: GgmlType.F32, data: () => [encodeF32(first)] });
    writer.addTensor({ name: "b", dims: [32, 2], type: GgmlType.Q8_0, data: () => [quantizeQ8_0(new Float32Array(64))] });
    const bytes = await writer.writeTo(path);

    const header = readGgufHeader(path);
    assert.equal(header.version, 3);
    assert.equal(header.fileSize, bytes);
    assert.equal(header.metadata.get("general.alignment"), 32);
    assert.equal(header.metadata.get("test.u32"), 7);
    assert.equal(header.metadata.get("test.i32"), -3);
    assert.equal(header.metadata.get("test.f32"), 0.5);
    assert.equal(header.metadata.get("test.bool"), true);
    assert.equal(header.metadata.get("test.str"), "héllo");
    assert.deepEqual(header.metadata.get("test.strs"), ["a", "b c"]);
    assert.deepEqual(header.metadata.get("test.i32s"), [1, -2]);
    assert.equal(header.metadataTypes.get("test.u32s"), "array:uint32");
    assert.deepEqual(header.metadata.get("test.f32s"), [1.5, -2.5]);
    assert.deepEqual(
      header.tensors.map((t) => [t.name, t.dims, t.type, t.offset]),
      [
        ["a", [3], GgmlType.F32, 0],
        ["b", [32, 2], GgmlType.Q8_0, 32], // 12 bytes of "a" padded to 32
      ],
    );
    assert.equal(header.dataOffset % 32, 0);
    assert.equal(bytes, header.dataOffset + 32 + 96); // 68 bytes of "b" padded to 96

    const file = await readFile(path);
    assert.equal(file.subarray(0, 4).toString("latin1"), "GGUF");
    assert.equal(file.readFloatLE(header.dataOffset + 8), 3);
  });

  it("refuses tensors whose source gives the wrong number of bytes, or bad shapes", async () => {
    const writer = new GgufWriter();
    writer.addTensor({ name: "short", dims: [4], type: GgmlType.F32, data: () => [new Uint8Array(12)] });
    await assert.rejects(writer.writeTo(join(dir, "short.gguf")), /needs 16 bytes, its source gave 12/);
    assert.throws(
      () => writer.addTensor({ name: "odd", dims: [33], type: GgmlType.Q8_0, data: () => [] }),
      /not a multiple/,
    );
    assert.throws(() => writer.addTensor({ name: "x".repeat(64), dims: [1], type: GgmlType.F32, data: () => [] }));
    assert.equal(tensorByteSize(GgmlType.Q8_0, [64, 3]), 2 * 34 * 3);
  });
});

describe("byte-level BPE", () => {
  it("maps bytes like GPT-2 and splits text like llama.cpp's qwen2 pre-tokenizer", () => {
    assert.equal(toByteLevel("a b\n"), "aĠbĊ");
    assert.deepEqual(pretokenize("x = 123, isn't"), ["x", " =", " ", "1", "2", "3", ",", " isn", "'t"]);
    assert.deepEqual(trainBpe("ab ab ab", 5), [
      ["a", "b"],
      ["Ġ", "ab"],
    ]);
  });

  it("builds the full-size Qwen vocabulary with specials at the real ids and consistent merges", () => {
    const vocab = buildVocab({ learnedMerges: 1000, normalTokens: 151643, totalSize: 151936 });
    assert.equal(vocab.tokens.length, 151936);
    assert.equal(new Set(vocab.tokens).size, 151936);
    assert.deepEqual([vocab.endOfTextId, vocab.imStartId, vocab.imEndId], [151643, 151644, 151645]);
    assert.equal(vocab.tokens[151644], "<|im_start|>");
    assert.equal(vocab.tokenTypes[151645], TokenType.CONTROL);
    assert.equal(vocab.tokens[151935], "[PAD151935]");
    assert.equal(vocab.merges.length, 151643 - 256);
    const known = new Set(vocab.tokens);
    assert.ok(vocab.merges.every((m) => known.has(m.replace(" ", ""))));
  });
});

describe("validateQwen2Header", () => {
  it("reports what llama.cpp would refuse or abort on", async () => {
    const path = join(dir, "bad.gguf");
    const writer = new GgufWriter()
      .set("general.architecture", { type: "string", value: "qwen2" })
      .set("tokenizer.ggml.model", { type: "string", value: "gpt2" })
      .set("tokenizer.ggml.tokens", { type: "string[]", value: ["a", "a", "<|im_end|>"] })
      .set("tokenizer.ggml.token_type", { type: "int32[]", value: [1, 1, 1] })
      .set("tokenizer.ggml.merges", { type: "string[]", value: ["a b"] })
      .set("tokenizer.ggml.eos_token_id", { type: "uint32", value: 9 });
    await writer.writeTo(path);
    const problems = validateQwen2Header(readGgufHeader(path)).join("\n");
    assert.match(problems, /missing or non-numeric qwen2.embedding_length/);
    assert.match(problems, /token 1 "a" duplicates token 0/);
    assert.match(problems, /byte tokens are missing/);
    assert.match(problems, /<\|im_end\|> \(2\) has type 1, not CONTROL/);
    assert.match(problems, /1 merges do not produce a token/);
    assert.match(problems, /eos_token_id 9 is out of range/);
  });
});
