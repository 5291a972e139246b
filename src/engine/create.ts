/**
 * Builds the engine a command or library call asks for. Today: the embedded llama.cpp engine
 * on a catalog model or a local GGUF file (downloading a catalog model when allowed).
 */
import type { DownloadProgress } from "../models/download.js";
import { resolveModel, type ResolvedModel } from "../models/resolve.js";
import { createEmbeddedEngine, type EmbeddedEngineOptions } from "./embedded/llama-engine.js";
import type { Engine } from "./types.js";

export interface EngineSetup extends Omit<EmbeddedEngineOptions, "modelPath" | "modelName"> {
  /** Catalog id (":QUANT" optional), Hub name, or path to a .gguf file; default Qwen2.5-Math-1.5B-Instruct. */
  model?: string;
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
  const model = await resolveModel(setup.model, {
    download: setup.download ?? true,
    onProgress: setup.onDownloadProgress,
    onDownloadStart: setup.onDownloadStart,
  });
  const started = performance.now();
  const { model: _spec, download: _d, onDownloadStart: _s, onDownloadProgress: _p, ...engineOptions } = setup;
  const engine = await createEmbeddedEngine({ ...engineOptions, modelPath: model.path, modelName: model.name });
  return { engine, model, loadMs: performance.now() - started };
}
