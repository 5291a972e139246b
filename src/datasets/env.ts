/**
 * Where benchmark data and the harness's few-shot file are looked for: the environment
 * variables and the cache folder, read in this one place.
 */
import { homedir } from "node:os";
import { join } from "node:path";

/** qmath's cache: $QMATH_CACHE_DIR, else $XDG_CACHE_HOME/qmath, else ~/.cache/qmath. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.QMATH_CACHE_DIR) return env.QMATH_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "qmath");
}

/** The dataset cache: `<cache>/datasets` (sets are kept as `<name>/test.jsonl`). */
export function datasetsCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), "datasets");
}

/** A data folder laid out as `<dir>/<name>/test.jsonl`: $QMATH_DATA_DIR, or undefined. */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.QMATH_DATA_DIR || undefined;
}

/** Where the Qwen2.5-Math evaluation harness publishes its few-shot examples. */
export const HARNESS_EXAMPLES_URL = "https://raw.githubusercontent.com/QwenLM/Qwen2.5-Math/main/evaluation/examples.py";

/** The few-shot examples file: a local copy ($QMATH_FEWSHOT_FILE), the URL to fetch it from ($QMATH_FEWSHOT_URL), and its cached copy. */
export function fewShotSource(env: NodeJS.ProcessEnv = process.env): { file: string | undefined; url: string; cached: string } {
  return {
    file: env.QMATH_FEWSHOT_FILE || undefined,
    url: env.QMATH_FEWSHOT_URL || HARNESS_EXAMPLES_URL,
    cached: join(cacheDir(env), "harness", "examples.py"),
  };
}
