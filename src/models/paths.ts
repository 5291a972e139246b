import { homedir } from "node:os";
import { join } from "node:path";

/** Where downloaded models live: $QMATH_MODELS_DIR, else $XDG_CACHE_HOME/qmath/models, else ~/.cache/qmath/models. */
export function modelsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.QMATH_MODELS_DIR) return env.QMATH_MODELS_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "qmath", "models");
}

/** The Hugging Face Hub endpoint ($HF_ENDPOINT for mirrors). */
export function hubEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.HF_ENDPOINT || "https://huggingface.co").replace(/\/+$/, "");
}

export function hubFileUrl(repo: string, file: string, endpoint = hubEndpoint()): string {
  return `${endpoint}/${repo}/resolve/main/${encodeURIComponent(file)}`;
}
