/**
 * Downloading a benchmark set into the dataset cache. The sets are JSON Lines files on the
 * Hugging Face Hub, fetched over plain HTTPS from `<endpoint>/datasets/<repo>/resolve/<revision>/<path>`
 * ($HF_ENDPOINT for mirrors, HF_TOKEN sent when set) with the resumable, checksum-verified
 * downloadFile of the model downloader.
 */
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { QmathError, isQmathError } from "../errors.js";
import { downloadFile, type DownloadProgress } from "../models/download.js";
import { hubEndpoint, hubHeaders } from "../config.js";
import type { HubSource } from "./descriptor.js";
import { jsonlLines } from "../jsonl.js";

export type { HubSource };

export function hubDatasetUrl(source: HubSource, endpoint: string = hubEndpoint()): string {
  const path = source.path.split("/").map(encodeURIComponent).join("/");
  return `${endpoint}/datasets/${source.repo}/resolve/${encodeURIComponent(source.revision ?? "main")}/${path}`;
}

export interface DatasetDownloadOptions {
  /** The file to write (the cache's <name>/test.jsonl). */
  dest: string;
  env?: NodeJS.ProcessEnv;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
}

/**
 * Downloads set `name` from `source` to `dest` (via `<dest>.download`, so an interrupted or
 * failed download never leaves a half file where the loader looks). Returns `dest`.
 */
export async function downloadDataset(name: string, source: HubSource, options: DatasetDownloadOptions): Promise<string> {
  const env = options.env ?? process.env;
  const url = hubDatasetUrl(source, hubEndpoint(env));
  const tmp = `${options.dest}.download`;
  const headers = hubHeaders(env);
  try {
    // Benchmark files are small text files the Hub often keeps outside LFS (no published SHA-256)
    // and the sets pin none yet: they are accepted unverified, as before.
    await downloadFile({ url, dest: tmp, headers, sha256: source.sha256, allowUnverified: true, onProgress: options.onProgress, signal: options.signal });
  } catch (e) {
    if (isQmathError(e) && e.code === "download_failed") {
      throw new QmathError(
        "download_failed",
        `Could not download the '${name}' benchmark set: ${e.message}`,
        `Fetch ${url} yourself, save it as <dir>/${name}/test.jsonl and pass --data-dir <dir> (or set QMATH_DATA_DIR=<dir>).`,
        { cause: e },
      );
    }
    throw e;
  }
  if (source.convert) {
    const convert = source.convert;
    const out: string[] = [];
    for (const parsed of jsonlLines(await readFile(tmp, "utf8"))) {
      if (!parsed.ok)
        throw new QmathError("download_failed", `The '${name}' file from ${url} is not JSON Lines (line ${parsed.line}).`, "The file may have moved on the Hub; pass a local copy with --data-dir.");
      out.push(JSON.stringify(convert(parsed.value)));
    }
    await writeFile(tmp, out.join("\n") + "\n");
  }
  await rename(tmp, options.dest);
  await rm(`${tmp}.partial`, { force: true });
  return options.dest;
}
