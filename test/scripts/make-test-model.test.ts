import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { LlamaLogLevel, getLlama, type Llama, type LlamaModel, type Token } from "node-llama-cpp";
import { checkModel } from "../../scripts/gguf/check-model.js";
import { readGgufHeader } from "../../scripts/gguf/reader.js";
import { CHAT_TEMPLATE, SHAPES, writeQwen2TestModel } from "../../scripts/gguf/qwen2-test-model.js";
import { findModel } from "../../src/models/catalog.js";
import { qwenTokenizerJsonPath } from "../../scripts/gguf/qwen25-vocab.js";
import { TokenType } from "../../scripts/gguf/vocab.js";
import { validateQwen2Header } from "../../scripts/gguf/validate.js";

/** The CLI next to this test's tree: .ts under tsx, .js in dist/. */
function cli(): { path: string; execArgv: string[] } {
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const path = fileURLToPath(new URL(`../../scripts/make-test-model${ext}`, import.meta.url));
  return { path, execArgv: ext === ".ts" ? ["--import", "tsx"] : [] };
}

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const { path, execArgv } = cli();
  const result = spawnSync(process.execPath, [...execArgv, path, ...args], { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let dir: string;
let tinyPath: string;
let llama: Llama;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "qmath-make-test-model-"));
  tinyPath = join(dir, "tiny-seed1.gguf");
  await writeQwen2TestModel(tinyPath, { shape: "tiny", seed: 1 });
  llama = await getLlama({ build: "never", gpu: false, maxThreads: 1, logLevel: LlamaLogLevel.error });
});

after(async () => {
  await llama?.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function loadModel(path: string): Promise<LlamaModel> {
  return llama.loadModel({ modelPath: path, useMmap: false, gpuLayers: 0 });
}

/** Greedy generation from a fresh context; also reports whether every probability was finite. */
async function generate(model: LlamaModel, prompt: Token[], maxTokens: number) {
  const context = await model.createContext({ contextSize: 256, threads: 1, sequences: 1 });
  try {
    const tokens: Token[] = [];
    let finite = true;
    const evaluation = context
      .getSequence()
      .evaluateWithMetadata(prompt, { probabilities: true }, { temperature: 0 });
    for await (const { token, probabilities } of evaluation) {
      tokens.push(token);
      for (const p of probabilities.values()) if (!Number.isFinite(p)) finite = false;
      if (tokens.length >= maxTokens || model.isEogToken(token)) break;
    }
    return { tokens, finite, text: model.detokenize(tokens) };
  } finally {
    await context.dispose();
  }
}

describe("tiny model file", () => {
  it("is byte-identical for the same seed and different for another seed", async () => {
    const again = join(dir, "tiny-seed1-again.gguf");
    const other = join(dir, "tiny-seed2.gguf");
    await writeQwen2TestModel(again, { shape: "tiny", seed: 1 });
    await writeQwen2TestModel(other, { shape: "tiny", seed: 2 });
    const [a, b, c] = await Promise.all([readFile(tinyPath), readFile(again), readFile(other)]);
    assert.ok(a.equals(b), "same seed must give the same bytes");
    assert.equal(c.length, a.length);
    assert.ok(!a.equals(c), "another seed must give other weights");
  });

  it("has Qwen2 metadata, ChatML template and control-type special tokens", () => {
    const header = readGgufHeader(tinyPath);
    assert.deepEqual(validateQwen2Header(header), []);
    const m = header.metadata;
    assert.equal(m.get("general.architecture"), "qwen2");
    assert.equal(m.get("qwen2.embedding_length"), 64);
    assert.equal(m.get("qwen2.attention.head_count_kv"), 2);
    assert.equal(m.get("tokenizer.ggml.pre"), "qwen2");
    const tokens = m.get("tokenizer.ggml.tokens") as string[];
    const types = m.get("tokenizer.ggml.token_type") as number[];
    const imEnd = tokens.indexOf("<|im_end|>");
    assert.equal(m.get("tokenizer.ggml.eos_token_id"), imEnd);
    assert.equal(m.get("tokenizer.ggml.padding_token_id"), tokens.indexOf("<|endoftext|>"));
    assert.equal(types[imEnd], 3);
    assert.equal(types[tokens.indexOf("<|im_start|>")], 3);
    assert.equal(m.get("tokenizer.ggml.add_bos_token"), false);
    assert.ok(!header.tensors.some((t) => t.name === "output.weight"), "embeddings are tied");
  });
});

describe("tiny model in node-llama-cpp", () => {
  let model: LlamaModel;
  before(async () => {
    model = await loadModel(tinyPath);
  });
  after(async () => {
    await model?.dispose();
  });

  it("tokenizes ChatML special tokens as single tokens only when asked to", () => {
    const tokens = model.fileInfo.metadata.tokenizer.ggml.tokens;
    const imStart = tokens.indexOf("<|im_start|>");
    const imEnd = tokens.indexOf("<|im_end|>");
    const withSpecials = model.tokenize("<|im_start|>user\nhi<|im_end|>", true);
    assert.equal(withSpecials[0], imStart);
    assert.equal(withSpecials.at(-1), imEnd);
    assert.equal(model.detokenize(withSpecials, true), "<|im_start|>user\nhi<|im_end|>");

    const asText = model.tokenize("<|im_start|>", false);
    assert.ok(asText.length > 1, "without special-token parsing it is plain text");
    assert.ok(!asText.includes(imStart as Token));
    assert.equal(model.detokenize(asText), "<|im_start|>");
  });

  it("compresses math text with its learned merges and round-trips any UTF-8", () => {
    const system = "Please reason step by step, and put your final answer within \\boxed{}.";
    assert.ok(model.tokenize(system).length < Buffer.byteLength(system) / 2);
    const unusual = "Héllo ∫ x² dx 😀\t\n";
    assert.equal(model.detokenize(model.tokenize(unusual)), unusual);
  });

  it("exposes the chat template and end-of-generation tokens", () => {
    const metadata = model.fileInfo.metadata;
    assert.equal(metadata.tokenizer.chat_template, CHAT_TEMPLATE);
    const imEnd = metadata.tokenizer.ggml.tokens.indexOf("<|im_end|>");
    assert.equal(model.tokens.eos, imEnd);
    assert.equal(model.tokens.eosString, "<|im_end|>");
    assert.ok(model.isEogToken(imEnd as Token));
    assert.equal(model.trainContextSize, 4096);
  });

  it("generates 20 tokens greedily, deterministically, with finite probabilities", async () => {
    const prompt = model.tokenize("<|im_start|>user\nWhat is $2 + 3$?<|im_end|>\n<|im_start|>assistant\n", true);
    const first = await generate(model, prompt, 20);
    const second = await generate(model, prompt, 20);
    assert.ok(first.tokens.length > 0);
    assert.deepEqual(second.tokens, first.tokens);
    assert.ok(first.finite);
    assert.equal(typeof first.text, "string");
  });
});

describe("tiny model with the Qwen2.5 vocabulary (--vocab qwen2.5)", () => {
  let path: string;
  before(async () => {
    path = join(dir, "tiny-qwen25.gguf");
    await writeQwen2TestModel(path, { shape: "tiny", seed: 1, vocab: "qwen2.5" });
  });

  it("carries tokenizer.json's tokens, merges and Qwen2.5's added tokens, typed and padded as the converter writes them", async () => {
    const header = readGgufHeader(path);
    assert.deepEqual(validateQwen2Header(header), []);
    const m = header.metadata;
    const source = JSON.parse(await readFile(qwenTokenizerJsonPath(), "utf8")) as {
      model: { vocab: Record<string, number>; merges: [string, string][] };
      added_tokens: { id: number; content: string; special: boolean }[];
    };
    const tokens = m.get("tokenizer.ggml.tokens") as string[];
    const types = m.get("tokenizer.ggml.token_type") as number[];
    const merges = m.get("tokenizer.ggml.merges") as string[];
    assert.equal(m.get("tokenizer.ggml.model"), "gpt2");
    assert.equal(m.get("tokenizer.ggml.pre"), "qwen2");
    assert.equal(tokens.length, 151936, "the embedding rows of Qwen2.5-Math");
    for (const [text, id] of Object.entries(source.model.vocab)) {
      assert.equal(tokens[id], text);
      assert.equal(types[id], TokenType.NORMAL);
    }
    assert.equal(merges.length, 151387);
    assert.deepEqual(merges.slice(0, 3), source.model.merges.slice(0, 3).map((pair) => pair.join(" ")));
    assert.equal(merges.at(-1), source.model.merges.at(-1)!.join(" "));
    // Qwen2.5's 22 added tokens; <|fim_*|>, <|repo_name|> and <|file_sep|> look special, so CONTROL;
    // <tool_call> and </tool_call> are USER_DEFINED.
    const added = source.added_tokens.filter((t) => t.id < 151665);
    assert.equal(added.length, 22);
    for (const t of added) {
      assert.equal(tokens[t.id], t.content);
      assert.equal(types[t.id], t.content.includes("tool_call") ? TokenType.USER_DEFINED : TokenType.CONTROL, t.content);
    }
    // Qwen3's additions are not Qwen2.5's: from 151665 on, unused padding rows.
    assert.ok(source.added_tokens.some((t) => t.content === "<think>"), "the source has Qwen3's tokens");
    for (const text of ["<think>", "</think>", "<tool_response>", "</tool_response>"]) assert.ok(!tokens.includes(text), text);
    for (const id of [151665, 151700, 151935]) {
      assert.equal(tokens[id], `[PAD${id}]`);
      assert.equal(types[id], TokenType.UNUSED);
    }
    // Special ids as in the published Qwen2.5-Math-Instruct GGUFs.
    assert.equal(m.get("tokenizer.ggml.eos_token_id"), 151645);
    assert.equal(m.get("tokenizer.ggml.padding_token_id"), 151643);
    assert.equal(m.get("tokenizer.ggml.bos_token_id"), 151643);
    assert.equal(m.get("tokenizer.ggml.add_bos_token"), false);
    assert.equal(m.has("tokenizer.ggml.eot_token_id"), false, "the converter writes no end-of-turn id");
    const embd = header.tensors.find((t) => t.name === "token_embd.weight")!;
    assert.deepEqual(embd.dims, [64, 151936]);
  });

  it("is the default of the 1.5B shape, whose dimensions are the catalog's Qwen2.5-Math-1.5B (what the memory estimate uses)", () => {
    const shape = SHAPES["1.5b"];
    const real = findModel("qwen2.5-math-1.5b-instruct")!.shape;
    assert.equal(shape.defaultVocab, "qwen2.5");
    assert.equal(SHAPES.tiny.defaultVocab, "synthetic");
    assert.deepEqual(
      [shape.embedding, shape.blocks, shape.kvHeads, shape.embedding / shape.heads, shape.tiedEmbeddings],
      [real.hidden, real.layers, real.kvHeads, real.headDim, real.tiedEmbeddings],
    );
    assert.equal(real.vocab, 151936);
  });

  it("loads in llama.cpp with <|im_end|> as end of sequence and the Qwen2.5 end-of-generation tokens", async () => {
    const model = await llama.loadModel({ modelPath: path, vocabOnly: true });
    try {
      assert.equal(model.tokens.eos, 151645);
      for (const id of [151643, 151645, 151662, 151663, 151664]) assert.ok(model.isEogToken(id as Token), `${id} ends generation`);
      assert.ok(!model.isEogToken(151644 as Token));
      assert.deepEqual(model.tokenize("<|im_start|>user\nhi<|im_end|>", true), [151644, 872, 198, 6023, 151645]);
      assert.deepEqual(model.tokenize("<tool_call>", false), [151657], "user-defined tokens are matched in plain text too");
    } finally {
      await model.dispose();
    }
  });
});

describe("other tensor types", () => {
  for (const type of ["q8_0", "f32"] as const) {
    it(`tiny ${type} loads and generates finite probabilities`, async () => {
      const path = join(dir, `tiny-${type}.gguf`);
      await writeQwen2TestModel(path, { shape: "tiny", seed: 3, type });
      assert.deepEqual(validateQwen2Header(readGgufHeader(path)), []);
      const model = await loadModel(path);
      try {
        const result = await generate(model, model.tokenize("<|im_start|>user\n1+1=<|im_end|>\n", true), 5);
        assert.ok(result.tokens.length > 0);
        assert.ok(result.finite);
      } finally {
        await model.dispose();
      }
    });
  }
});

describe("checkModel", () => {
  it("loads and generates in a child process", async () => {
    const result = await checkModel(tinyPath, { threads: 1, maxTokens: 5 });
    assert.ok(result.ok, JSON.stringify(result));
    assert.ok(result.report.specialTokensParsed);
    assert.ok(result.report.generated.length > 0);
  });

  it("rejects a truncated file before llama.cpp sees it", async () => {
    const path = join(dir, "truncated.gguf");
    await writeQwen2TestModel(path, { shape: "tiny", seed: 1 });
    await truncate(path, (await stat(path)).size - 1000);
    const result = await checkModel(path);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.stage === "validate");
    assert.match(result.problems.join("\n"), /past the end of the file/);
  });
});

describe("make-test-model CLI", () => {
  it("writes into a new folder and prints one line", async () => {
    const out = join(dir, "nested", "folder", "cli.gguf");
    const result = runCli(["--out", out, "--shape", "tiny", "--seed", "1"]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout.trim(), /^wrote .*cli\.gguf: shape tiny, f16, seed 1, vocab synthetic \d+, [\d.]+ MB in [\d.]+ s$/);
    assert.ok((await readFile(out)).equals(await readFile(tinyPath)));
  });

  it("--if-missing keeps a file made from the same recipe and rewrites a stale, foreign or broken one", async () => {
    const out = join(dir, "if-missing.gguf");
    await writeQwen2TestModel(out, { shape: "tiny", seed: 1 });
    const before = await stat(out);
    const kept = runCli(["--out", out, "--shape", "tiny", "--seed", "1", "--if-missing"]);
    assert.equal(kept.status, 0, kept.stderr);
    assert.match(kept.stdout, /^kept existing/);
    assert.equal((await stat(out)).mtimeMs, before.mtimeMs);

    // Another recipe (here another seed, as a changed generator would be): written again.
    const other = runCli(["--out", out, "--shape", "tiny", "--seed", "2", "--if-missing"]);
    assert.equal(other.status, 0, other.stderr);
    assert.match(other.stdout, /^wrote /);
    assert.match(String(readGgufHeader(out).metadata.get("general.name")), /seed 2/);

    for (const junk of ["GGUF and nothing else", "not a model"]) {
      await writeFile(out, junk);
      const rewritten = runCli(["--out", out, "--shape", "tiny", "--if-missing"]);
      assert.equal(rewritten.status, 0, rewritten.stderr);
      assert.match(rewritten.stdout, /^wrote /);
    }
  });

  it("rejects bad flags with one line on stderr and exit code 2", () => {
    for (const args of [
      ["--shape", "tiny"],
      ["--out", join(dir, "x.gguf"), "--shape", "7b"],
      ["--out", join(dir, "x.gguf"), "--shape", "tiny", "--vocab", "qwen3"],
      ["--out", join(dir, "x.gguf"), "--shape", "tiny", "--seed", "-1"], // parseArgs' own, multi-line error
    ]) {
      const result = runCli(args);
      assert.equal(result.status, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      assert.match(result.stderr, /usage: make-test-model/);
      assert.equal(result.stdout, "");
    }
  });
});
