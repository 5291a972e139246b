/**
 * qmath's configuration from its surroundings, in one place: every environment variable it
 * reads, the cache, models and data directories, the package root and the version. Each
 * function takes the environment as a parameter (default: process.env) so that tests and
 * embedders can pass their own.
 */
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism, homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

type Env = NodeJS.ProcessEnv;

/** The environment variables qmath reads, with what each one sets (the README lists the same). */
export const ENVIRONMENT: Readonly<Record<string, string>> = {
  QMATH_CACHE_DIR: "qmath's cache folder (default $XDG_CACHE_HOME/qmath, else ~/.cache/qmath): models/, datasets/, harness/",
  QMATH_MODELS_DIR: "where models are downloaded (default <cache>/models)",
  QMATH_DATA_DIR: "a folder of benchmark sets, <name>/test.jsonl, read before the cache",
  QMATH_FEWSHOT_FILE: "a local copy of the Qwen2.5-Math harness's few-shot examples (evaluation/examples.py)",
  QMATH_FEWSHOT_URL: "where to download the harness's few-shot examples from (default: its published file)",
  QMATH_THREADS: "CPU threads of the embedded engine (default: all cores)",
  QMATH_PYTHON: "the sandbox's Python, with sympy and numpy (default /usr/bin/python3)",
  QMATH_REMOTE_API_KEY: "the API key of OpenAI-compatible servers (--engine openai)",
  QMATH_RM_API_KEY: "the API key of the reward model server (--rm-url)",
  HF_TOKEN: "a Hugging Face token, sent with downloads from the Hub",
  HF_ENDPOINT: "a Hugging Face Hub mirror (default https://huggingface.co)",
  XDG_CACHE_HOME: "the user's cache folder (default ~/.cache)",
};

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === "" ? undefined : v);

/** qmath's cache folder: $QMATH_CACHE_DIR, else $XDG_CACHE_HOME/qmath, else ~/.cache/qmath. */
export function cacheDir(env: Env = process.env): string {
  return nonEmpty(env.QMATH_CACHE_DIR) ?? join(nonEmpty(env.XDG_CACHE_HOME) ?? join(homedir(), ".cache"), "qmath");
}

/** Where downloaded models live: $QMATH_MODELS_DIR, else <cache>/models. */
export function modelsDir(env: Env = process.env): string {
  return nonEmpty(env.QMATH_MODELS_DIR) ?? join(cacheDir(env), "models");
}

/** Where downloaded benchmark sets are cached: <cache>/datasets. */
export function datasetsCacheDir(env: Env = process.env): string {
  return join(cacheDir(env), "datasets");
}

/** A folder of benchmark sets the user keeps ($QMATH_DATA_DIR), or undefined. */
export function userDataDir(env: Env = process.env): string | undefined {
  return nonEmpty(env.QMATH_DATA_DIR);
}

/** Where the Qwen2.5-Math evaluation harness publishes its few-shot examples. */
export const HARNESS_EXAMPLES_URL = "https://raw.githubusercontent.com/QwenLM/Qwen2.5-Math/main/evaluation/examples.py";

/** The harness's few-shot file: a local copy ($QMATH_FEWSHOT_FILE), the URL to fetch it from ($QMATH_FEWSHOT_URL), and its cached copy. */
export function fewShotSource(env: Env = process.env): { file: string | undefined; url: string; cached: string } {
  return {
    file: nonEmpty(env.QMATH_FEWSHOT_FILE),
    url: nonEmpty(env.QMATH_FEWSHOT_URL) ?? HARNESS_EXAMPLES_URL,
    cached: join(cacheDir(env), "harness", "examples.py"),
  };
}

/** The Hugging Face Hub endpoint ($HF_ENDPOINT for mirrors), without a trailing slash. */
export function hubEndpoint(env: Env = process.env): string {
  return (nonEmpty(env.HF_ENDPOINT) ?? "https://huggingface.co").replace(/\/+$/, "");
}

/** Request headers for the Hub: the user's token when $HF_TOKEN is set. */
export function hubHeaders(env: Env = process.env): Record<string, string> {
  const token = nonEmpty(env.HF_TOKEN);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** CPU threads for the embedded engine: $QMATH_THREADS when a positive whole number, else every core. */
export function defaultThreads(env: Env = process.env): number {
  const fromEnv = Number(env.QMATH_THREADS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.max(1, availableParallelism());
}

/** The sandbox's Python: $QMATH_PYTHON, else /usr/bin/python3. */
export function defaultPython(env: Env = process.env): string {
  return nonEmpty(env.QMATH_PYTHON) ?? "/usr/bin/python3";
}

/** The API key of OpenAI-compatible servers ($QMATH_REMOTE_API_KEY), or undefined. */
export function remoteApiKey(env: Env = process.env): string | undefined {
  return nonEmpty(env.QMATH_REMOTE_API_KEY);
}

/** The API key of the reward model server ($QMATH_RM_API_KEY), or undefined. */
export function rewardModelApiKey(env: Env = process.env): string | undefined {
  return nonEmpty(env.QMATH_RM_API_KEY);
}

/** The qmath package's root: the nearest folder above this file with a package.json (from src/ or dist/src/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return dir;
}

/** The package version, from package.json. */
export const version: string = (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
