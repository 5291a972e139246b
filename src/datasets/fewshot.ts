/**
 * The harness's few-shot examples for base models, read at run time: from a local copy the
 * user names (--fewshot-file, $QMATH_FEWSHOT_FILE), else the cached copy, else downloaded
 * from where the harness publishes evaluation/examples.py ($QMATH_FEWSHOT_URL overrides the
 * address) into the cache. Which shot set a benchmark takes is in its descriptor.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { QmathError } from "../errors.js";
import type { Shot } from "../prompts/fewshot.js";
import { HarnessExamples } from "../prompts/harness-examples.js";
import type { DatasetDescriptor } from "./descriptor.js";
import { fewShotSource } from "../config.js";

export interface HarnessExamplesOptions {
  /** A local copy of examples.py (default $QMATH_FEWSHOT_FILE). */
  file?: string;
  /** Fetch the file into the cache when no copy exists (default false, as for the data sets). */
  download?: boolean;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

async function readLocal(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new QmathError("bad_input", `Cannot read the few-shot examples file ${path} (${code}).`, "Check the path given to --fewshot-file (or QMATH_FEWSHOT_FILE).", { cause: e });
  }
}

async function fetchText(url: string, signal: AbortSignal | undefined): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { signal, redirect: "follow" });
  } catch (e) {
    if (signal?.aborted) throw new QmathError("aborted", "Interrupted while downloading the few-shot examples.", undefined, { cause: e });
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`no connection (${cause?.code ?? cause?.message ?? (e as Error).message})`, { cause: e });
  }
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return await res.text();
}

/** Loads the harness's examples.py (see the module comment for where from). */
export async function loadHarnessExamples(options: HarnessExamplesOptions = {}): Promise<HarnessExamples> {
  const source = fewShotSource(options.env ?? process.env);
  const local = options.file ?? source.file;
  if (local !== undefined) return HarnessExamples.parse(await readLocal(local), local);

  const cachedText = await readFile(source.cached, "utf8").catch(() => null);
  if (cachedText !== null) return HarnessExamples.parse(cachedText, source.cached);

  const how = "Save that file and pass --fewshot-file PATH (or set QMATH_FEWSHOT_FILE=PATH), or set QMATH_FEWSHOT_URL to a copy you can reach.";
  if (!options.download)
    throw new QmathError("download_failed", `The reference harness's few-shot examples are not on this machine (looked at ${source.cached}) and downloading was not asked for; the harness publishes them at ${source.url}.`, how);
  let text: string;
  try {
    text = await fetchText(source.url, options.signal);
  } catch (e) {
    if (e instanceof QmathError) throw e;
    throw new QmathError("download_failed", `Could not download the reference harness's few-shot examples from ${source.url}: ${(e as Error).message}.`, how, { cause: e });
  }
  // parse before caching, so that a wrong file never sits in the cache
  const examples = HarnessExamples.parse(text, source.url);
  await mkdir(dirname(source.cached), { recursive: true });
  const tmp = `${source.cached}.${process.pid}.download`;
  await writeFile(tmp, text);
  await rename(tmp, source.cached);
  return examples;
}

const CHOICE_LETTERS = new Set(["A", "B", "C", "D", "E"]);

/**
 * The worked examples to put before a question of set `set` (the first `shots` of its shot
 * set), or null for a zero-shot set. With `reference`, a set marked onlyForChoiceAnswers
 * (the gaokao sets, --adapt_few_shot) gets shots only when the reference is one choice letter.
 */
export function fewShotsFor(set: DatasetDescriptor | undefined, examples: HarnessExamples, reference?: string): readonly Shot[] | null {
  const choice = set?.fewShot;
  if (!choice) return null;
  if (choice.onlyForChoiceAnswers && reference !== undefined && !CHOICE_LETTERS.has(reference.trim())) return [];
  return examples.shots(choice.set).slice(0, choice.shots);
}
