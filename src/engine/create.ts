/**
 * Builds the engine a command or library call asks for: the embedded llama.cpp engine on a
 * catalog model or a local GGUF file (downloading a catalog model when allowed), or the
 * remote engine on OpenAI-compatible servers (`engine: "openai"` with `baseUrls`).
 */
import { QmathError } from "../errors.js";
import type { DownloadProgress } from "../models/download.js";
import { resolveModel, type ResolvedModel } from "../models/resolve.js";
import type { EmbeddedEngineOptions } from "./embedded/llama-engine.js";
import type { Engine } from "./types.js";

export interface EngineSetup extends Omit<EmbeddedEngineOptions, "modelPath" | "modelName"> {
  /**
   * Embedded: catalog id (":QUANT" optional), Hub name, or path to a .gguf file; default
   * Qwen2.5-Math-1.5B-Instruct. Remote: the model id the server serves (default: its first).
   */
  model?: string;
  /**
   * "embedded" (llama.cpp in this process) or "openai" (OpenAI-compatible servers at
   * baseUrls); default "openai" when baseUrls are given, else "embedded". (Named engineKind:
   * SolveOptions and EvalOptions, which extend or carry this setup, use `engine` for an Engine.)
   */
  engineKind?: "embedded" | "openai";
  /** Remote: base URLs of the servers (replicas of one model), with or without "/v1". */
  baseUrls?: string[];
  /** Remote: API key sent as a bearer token. */
  apiKey?: string;
  /** Download a catalog model that is not installed yet (default true). */
  download?: boolean;
  onDownloadStart?: (url: string, dest: string) => void;
  onDownloadProgress?: (p: DownloadProgress) => void;
}

export interface CreatedEngine {
  engine: Engine;
  model: ResolvedModel;
  loadMs: number;
}

export async function createEngine(setup: EngineSetup = {}): Promise<CreatedEngine> {
  const kind = setup.engineKind ?? (setup.baseUrls?.length ? "openai" : "embedded");
  if (kind === "openai") {
    if (!setup.baseUrls?.length)
      throw new QmathError("bad_input", "--engine openai needs the server's address.", "Pass --base-url http://HOST:PORT/v1 (repeat it for replicas).");
    const started = performance.now();
    // Engines are loaded when one is created: a command that runs no model never loads llama.cpp.
    const { createRemoteEngine } = await import("./remote/openai-engine.js");
    const engine = await createRemoteEngine({
      baseUrls: setup.baseUrls,
      apiKey: setup.apiKey,
      model: setup.model,
      contextSize: setup.contextSize,
      maxParallel: setup.maxParallel,
    });
    return { engine, model: { path: "", name: engine.info.model }, loadMs: performance.now() - started };
  }
  if (kind !== "embedded") throw new QmathError("bad_input", `Unknown engine '${String(kind)}'.`, "Use --engine embedded or --engine openai.");
  const model = await resolveModel(setup.model, {
    download: setup.download ?? true,
    onProgress: setup.onDownloadProgress,
    onDownloadStart: setup.onDownloadStart,
    signal: setup.signal,
  });
  const started = performance.now();
  const { model: _spec, download: _d, onDownloadStart: _s, onDownloadProgress: _p, engineKind: _e, baseUrls: _b, apiKey: _k, ...engineOptions } = setup;
  const { createEmbeddedEngine } = await import("./embedded/llama-engine.js");
  const engine = await createEmbeddedEngine({ ...engineOptions, modelPath: model.path, modelName: model.name });
  return { engine, model, loadMs: performance.now() - started };
}

/**
 * Creates the engine the setup asks for, runs `use` with it, and closes it however `use`
 * ends. Library calls take an Engine; this is the helper for a caller that has only a setup.
 */
export async function withEngine<T>(setup: EngineSetup, use: (created: CreatedEngine) => Promise<T>): Promise<T> {
  const created = await createEngine(setup);
  try {
    return await use(created);
  } finally {
    await created.engine.close();
  }
}
