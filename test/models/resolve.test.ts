import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CATALOG, DEFAULT_MODEL_ID, findModel, ggufFileName } from "../../src/models/catalog.js";
import { embeddingParams, estimateMemoryBytes } from "../../src/models/memory.js";
import { catalogEntry, promptFormatForName, pullModel, resolveModel } from "../../src/models/resolve.js";
import { QmathError } from "../../src/errors.js";
import { startFakeHub, type FakeHub } from "./hub-server.js";

describe("model catalog", () => {
  it("lists every model of the family, base and Instruct, and the two reward models", () => {
    for (const family of ["Qwen2-Math", "Qwen2.5-Math"])
      for (const size of ["1.5B", "7B", "72B"])
        for (const suffix of ["", "-Instruct"]) assert.ok(findModel(`${family}-${size}${suffix}`), `${family}-${size}${suffix}`);
    assert.equal(findModel("Qwen/Qwen2.5-Math-RM-72B")?.kind, "reward");
    assert.equal(findModel("qwen2.5-math-prm-7b")?.kind, "process-reward");
    assert.equal(CATALOG.length, 14);
  });

  it("defaults to the 4-bit Qwen2.5-Math-1.5B-Instruct GGUF with the CoT prompt", () => {
    const { model, quant } = catalogEntry(DEFAULT_MODEL_ID);
    assert.equal(model.name, "Qwen2.5-Math-1.5B-Instruct");
    assert.equal(quant, "Q4_K_M");
    assert.equal(model.promptFormat, "qwen25-math-cot");
    assert.equal(model.contextLength, 4096);
    assert.equal(ggufFileName(model.gguf!, quant), "Qwen2.5-Math-1.5B-Instruct-Q4_K_M.gguf");
  });

  it("estimates memory that grows with model size, quantization and parallel samples", () => {
    const small = findModel("qwen2.5-math-1.5b-instruct")!.shape;
    const big = findModel("qwen2.5-math-72b-instruct")!.shape;
    const one = estimateMemoryBytes(small, "Q4_K_M", 4096, 1);
    assert.ok(one > 1.0e9 && one < 2.0e9, `1.5B Q4_K_M estimate ${one}`);
    // The vocabulary is the real one: every model's embedding has at least Qwen2's 151,646 rows.
    for (const m of CATALOG) assert.ok(m.shape.vocab >= 151646 && embeddingParams(m.shape) < m.shape.params, m.id);
    assert.ok(estimateMemoryBytes(small, "Q8_0", 4096, 1) > one);
    assert.ok(estimateMemoryBytes(small, "Q4_K_M", 4096, 8) > one);
    assert.ok(estimateMemoryBytes(big, "Q4_K_M", 4096, 1) > 40e9);
  });

  it("guesses the prompt format of a local file from its name", () => {
    assert.equal(promptFormatForName("Qwen2.5-Math-7B-Instruct-Q8_0.gguf"), "qwen25-math-cot");
    assert.equal(promptFormatForName("qwen2-math-1.5b-instruct-q4_k_m.gguf"), "qwen2-math-cot");
    assert.equal(promptFormatForName("Qwen2.5-Math-1.5B.Q4_K_M.gguf"), "few-shot");
    assert.equal(promptFormatForName("tiny-qwen2.gguf"), "qwen25-math-cot");
    // a catalog model's name as the engine reports it: the catalog's format
    assert.equal(promptFormatForName("qwen2-math-7b:Q4_K_M"), "few-shot");
    assert.equal(promptFormatForName("qwen2-math-7b-instruct:Q8_0"), "qwen2-math-cot");
  });

  it("rejects unknown ids, unknown quantizations and reward models with what to do", () => {
    const check = (spec: string, re: RegExp) =>
      assert.throws(() => catalogEntry(spec), (e: unknown) => e instanceof QmathError && re.test(e.toLine()));
    check("qwen3-math-1b", /Unknown model 'qwen3-math-1b'.*qmath models/);
    check("qwen2.5-math-7b-instruct:Q2_XS", /no Q2_XS quantization.*Q4_K_M/);
    check("qwen2.5-math-rm-72b", /llama\.cpp cannot run.*vLLM/);
  });
});

describe("resolveModel and pullModel", () => {
  let hub: FakeHub;
  const content = randomBytes(200_000);
  const env = { ...process.env };
  before(async () => {
    const m = findModel("qwen2.5-math-1.5b-instruct")!;
    hub = await startFakeHub({ [`${m.gguf!.repo}/${ggufFileName(m.gguf!, "Q8_0")}`]: { content } });
    process.env.HF_ENDPOINT = hub.url;
    process.env.QMATH_MODELS_DIR = mkdtempSync(join(tmpdir(), "qmath-models-"));
  });
  after(async () => {
    process.env.HF_ENDPOINT = env.HF_ENDPOINT;
    process.env.QMATH_MODELS_DIR = env.QMATH_MODELS_DIR;
    if (env.HF_ENDPOINT === undefined) delete process.env.HF_ENDPOINT;
    if (env.QMATH_MODELS_DIR === undefined) delete process.env.QMATH_MODELS_DIR;
    await hub.close();
  });

  it("says how to install a catalog model that is missing when downloads are off", async () => {
    await assert.rejects(resolveModel("qwen2.5-math-1.5b-instruct:Q8_0"), (e: unknown) => e instanceof QmathError && /qmath pull qwen2\.5-math-1\.5b-instruct/.test(e.hint ?? ""));
  });

  it("downloads a catalog model from the hub into the models directory, then finds it installed", async () => {
    const pulled = await pullModel("Qwen/Qwen2.5-Math-1.5B-Instruct:q8_0");
    assert.equal(pulled.downloaded, true);
    assert.equal(pulled.name, "qwen2.5-math-1.5b-instruct:Q8_0");
    assert.ok(existsSync(pulled.path));
    assert.equal(createHash("sha256").update(content).digest("hex"), createHash("sha256").update(await import("node:fs").then((f) => f.readFileSync(pulled.path))).digest("hex"));
    const again = await pullModel("qwen2.5-math-1.5b-instruct:Q8_0");
    assert.equal(again.downloaded, false);
    const resolved = await resolveModel("qwen2.5-math-1.5b-instruct:Q8_0");
    assert.equal(resolved.path, pulled.path);
  });

  it("takes a path to a local .gguf and names a missing one", async () => {
    await assert.rejects(resolveModel("/nonexistent/model.gguf"), (e: unknown) => e instanceof QmathError && /No model file at \/nonexistent\/model\.gguf/.test(e.message));
  });
});
