/**
 * The memory estimate's vocabulary term, measured: llama.cpp's tables for the real Qwen2.5
 * vocabulary (151,936 rows) cost what memory.ts assumes per row. Each model is loaded in a
 * child process of its own, which reports how much its resident memory grew.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { findModel } from "../../src/models/catalog.js";
import { vocabTableBytes } from "../../src/models/memory.js";
import { requireTinyModel, requireTinyQwen25Model } from "../helpers.js";

/** Resident bytes a fresh process gains by loading the model (weights not memory-mapped), and the weights' size. */
function loadCost(modelPath: string): { grown: number; weights: number } {
  const child = fileURLToPath(new URL("./load-cost-child.js", import.meta.url));
  return JSON.parse(execFileSync(process.execPath, [child, modelPath], { encoding: "utf8" })) as { grown: number; weights: number };
}

describe("memory estimate: the vocabulary", () => {
  it("llama.cpp's tables of the real vocabulary cost what the estimate counts per row (within 25%)", () => {
    const real = loadCost(requireTinyQwen25Model());
    const small = loadCost(requireTinyModel()); // 548 tokens: what loading costs besides the vocabulary
    const measured = real.grown - real.weights - (small.grown - small.weights);
    const estimated = vocabTableBytes(findModel("qwen2.5-math-1.5b-instruct")!.shape);
    assert.ok(Math.abs(measured - estimated) / estimated < 0.25, `measured ${(measured / 2 ** 20).toFixed(0)} MiB, estimated ${(estimated / 2 ** 20).toFixed(0)} MiB`);
  });
});
