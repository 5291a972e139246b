/**
 * Turns what the user wrote after --model into a local GGUF file: a catalog id (optionally
 * with a quantization, "qwen2.5-math-7b-instruct:Q8_0"), a Hub name ("Qwen/Qwen2.5-Math-7B-Instruct"),
 * or a path to a .gguf file. Catalog models that are not installed are downloaded when allowed.
 */
import { existsSync } from "node:fs";
import { basename, join, resolve as resolvePath } from "node:path";
import { QmathError } from "../errors.js";
import type { PromptFormat } from "../prompts/formats.js";
import { CATALOG, DEFAULT_MODEL_ID, findModel, ggufFileName, type CatalogModel } from "./catalog.js";
import { downloadFile, type DownloadProgress } from "./download.js";
import { hubHeaders, modelsDir } from "../config.js";
import { hubFileUrl } from "./paths.js";

export interface ResolvedModel {
  path: string;
  /** What to call the model in output: the catalog id (with quant) or the file name. */
  name: string;
  catalog?: CatalogModel;
  quant?: string;
}

export interface ResolveOptions {
  /** Download a catalog model that is not installed (default false). */
  download?: boolean;
  onProgress?: (p: DownloadProgress) => void;
  onDownloadStart?: (url: string, dest: string) => void;
  /** The file's SHA-256, for a mirror that publishes none (or to pin a file). */
  sha256?: string;
  /** Install a download that no checksum can verify (default false: refused). */
  allowUnverified?: boolean;
  onWarning?: (message: string) => void;
  signal?: AbortSignal;
}

/**
 * A model's own prompt format, from the name an engine reports: a catalog model's
 * ("qwen2.5-math-7b:Q8_0"), else guessed from the name (a GGUF file, a served model id).
 */
export function promptFormatForName(name: string): PromptFormat {
  const listed = findModel(name.split(":")[0]!);
  if (listed) return listed.promptFormat;
  const n = name.toLowerCase();
  const isMath2 = /qwen2-math/.test(n);
  const isMath25 = /qwen2\.5-math/.test(n);
  const instruct = /instruct|chat/.test(n);
  if ((isMath2 || isMath25) && !instruct) return "few-shot";
  if (isMath2) return "qwen2-math-cot";
  return "qwen25-math-cot";
}

function isModelPath(spec: string): boolean {
  return spec.toLowerCase().endsWith(".gguf") || spec.startsWith(".") || spec.startsWith("/");
}

/** Parses "id[:QUANT]" against the catalog; throws a QmathError for unknown ids or quants. */
export function catalogEntry(spec: string): { model: CatalogModel; quant: string } {
  const [id = "", quantRaw] = spec.split(":");
  const model = findModel(id);
  if (!model)
    throw new QmathError(
      "model_not_found",
      `Unknown model '${spec}'.`,
      `Run 'qmath models' to see the family (for example ${DEFAULT_MODEL_ID}), or pass a path to a .gguf file.`,
    );
  if (!model.gguf)
    throw new QmathError(
      "bad_input",
      `${model.name} is a ${model.kind === "reward" ? "reward" : "process reward"} model that llama.cpp cannot run.`,
      "Serve it with vLLM on a GPU machine and point qmath at that server (see the README).",
    );
  const quant = quantRaw ? quantRaw.toUpperCase() : model.gguf.defaultQuant;
  if (!model.gguf.quants.includes(quant))
    throw new QmathError("bad_input", `${model.id} has no ${quant} quantization.`, `Choose one of ${model.gguf.quants.join(", ")}.`);
  return { model, quant };
}

function installedPath(model: CatalogModel, quant: string, dir = modelsDir()): string {
  if (!model.gguf) throw new Error(`${model.id} has no GGUF source`);
  return join(dir, ggufFileName(model.gguf, quant));
}

/** Installed quantizations of every catalog model. */
export function installedModels(dir = modelsDir()): { model: CatalogModel; quant: string; path: string }[] {
  const found: { model: CatalogModel; quant: string; path: string }[] = [];
  for (const model of CATALOG) {
    for (const quant of model.gguf?.quants ?? []) {
      const path = installedPath(model, quant, dir);
      if (existsSync(path)) found.push({ model, quant, path });
    }
  }
  return found;
}

/** Downloads a catalog model's GGUF (resuming a partial download) and returns its path. */
export async function pullModel(spec: string, options: ResolveOptions = {}): Promise<ResolvedModel & { downloaded: boolean }> {
  const { model, quant } = catalogEntry(spec);
  const dest = installedPath(model, quant);
  const resolved = { path: dest, name: `${model.id}:${quant}`, catalog: model, quant };
  if (existsSync(dest)) return { ...resolved, downloaded: false };
  const source = model.gguf!;
  const url = hubFileUrl(source.repo, ggufFileName(source, quant));
  const headers = hubHeaders();
  await downloadFile({
    url,
    dest,
    headers,
    onStart: () => options.onDownloadStart?.(url, dest),
    onProgress: options.onProgress,
    sha256: options.sha256,
    allowUnverified: options.allowUnverified,
    onWarning: options.onWarning,
    signal: options.signal,
  });
  return { ...resolved, downloaded: true };
}

export async function resolveModel(spec: string | undefined, options: ResolveOptions = {}): Promise<ResolvedModel> {
  const wanted = spec?.trim() || DEFAULT_MODEL_ID;
  if (isModelPath(wanted)) {
    const path = resolvePath(wanted);
    if (!existsSync(path))
      throw new QmathError("model_not_found", `No model file at ${path}.`, "Check the path, or use a model id from 'qmath models'.");
    return { path, name: basename(path) };
  }
  const { model, quant } = catalogEntry(wanted);
  const path = installedPath(model, quant);
  if (existsSync(path)) return { path, name: `${model.id}:${quant}`, catalog: model, quant };
  if (!options.download)
    throw new QmathError("model_not_found", `${model.id} (${quant}) is not installed.`, `Run 'qmath pull ${model.id}' first.`);
  return pullModel(wanted, options);
}
