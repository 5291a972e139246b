/**
 * Resumable, verified file download. A download writes to `<dest>.partial` next to a small
 * JSON record of what it is fetching; an interrupted download resumes from where the partial
 * file ends (HTTP Range). The finished file must match the size and SHA-256 the server
 * publishes (the Hub sends them for LFS files as X-Linked-Size and X-Linked-Etag) before it is
 * moved into place.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { QmathError } from "../errors.js";

export interface RemoteFileInfo {
  /** Lower-case hex SHA-256, when the server publishes one. */
  sha256?: string;
  size?: number;
}

export interface DownloadProgress {
  received: number;
  total?: number;
  /** Bytes that were already on disk from an earlier attempt. */
  resumedFrom: number;
  bytesPerSecond: number;
}

export interface DownloadOptions {
  url: string;
  dest: string;
  /** Expected checksum; when absent, the one the server publishes is used. */
  sha256?: string;
  headers?: Record<string, string>;
  onProgress?: (p: DownloadProgress) => void;
  /** Called once the server has answered for the file, before the transfer starts. */
  onStart?: (remote: RemoteFileInfo) => void;
  signal?: AbortSignal;
}

export interface DownloadResult {
  path: string;
  size: number;
  sha256: string;
  resumedFrom: number;
  /** False when no checksum was published and none was given. */
  verified: boolean;
}

interface PartialRecord {
  url: string;
  sha256?: string;
  size?: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function networkError(url: string, e: unknown): QmathError {
  const host = new URL(url).host;
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
  return new QmathError(
    "download_failed",
    `Could not fetch ${url} (cannot reach ${host}: ${why}).`,
    "Check the network connection, or download the .gguf file yourself and pass its path with --model /path/to/file.gguf.",
    { cause: e },
  );
}

function httpError(url: string, status: number): QmathError {
  if (status === 401 || status === 403)
    return new QmathError("download_failed", `${url} refused access (HTTP ${status}).`, "If the repository is gated, set HF_TOKEN to a Hugging Face access token.");
  if (status === 404)
    return new QmathError("download_failed", `${url} does not exist (HTTP 404).`, "The file may have moved on the Hub; download it yourself and pass --model /path/to/file.gguf.");
  return new QmathError("download_failed", `${url} answered HTTP ${status}.`, "Try again later, or download the file yourself and pass --model /path/to/file.gguf.");
}

async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    if ((e as Error).name === "AbortError") throw new QmathError("aborted", "The download was interrupted.", "Run the same command again to resume it.");
    throw networkError(url, e);
  }
}

/** Size and checksum the server publishes for a file, without downloading it. */
export async function remoteFileInfo(url: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<RemoteFileInfo> {
  // The Hub answers with a redirect to its CDN; the checksum headers are on the redirect itself.
  const res = await request(url, { method: "HEAD", redirect: "manual", headers, signal });
  if (res.status >= 400) throw httpError(url, res.status);
  const info: RemoteFileInfo = {};
  const etag = (res.headers.get("x-linked-etag") ?? res.headers.get("etag") ?? "").replace(/^W\//, "").replace(/"/g, "").toLowerCase();
  if (SHA256_HEX.test(etag)) info.sha256 = etag;
  const size = Number(res.headers.get("x-linked-size") ?? (res.status < 300 ? res.headers.get("content-length") : NaN));
  if (Number.isFinite(size) && size > 0) info.size = size;
  return info;
}

async function readPartialRecord(path: string): Promise<PartialRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as PartialRecord;
  } catch {
    return undefined;
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function hashExisting(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const { url, dest, headers = {}, signal } = options;
  const partial = `${dest}.partial`;
  const recordPath = `${dest}.partial.json`;
  await mkdir(dirname(dest), { recursive: true });

  const remote = await remoteFileInfo(url, headers, signal);
  options.onStart?.(remote);
  const expectedSha = options.sha256?.toLowerCase() ?? remote.sha256;
  const record: PartialRecord = { url, sha256: expectedSha, size: remote.size };

  // Resume only a partial file of this very download.
  const previous = await readPartialRecord(recordPath);
  let offset = 0;
  if (previous && previous.url === url && previous.sha256 === record.sha256 && previous.size === record.size) offset = await fileSize(partial);
  if (offset === 0) await rm(partial, { force: true });
  await writeFile(recordPath, JSON.stringify(record));

  const hash = createHash("sha256");
  let resumedFrom = offset;
  if (record.size === undefined || offset < record.size) {
    const res = await request(url, { headers: offset > 0 ? { ...headers, Range: `bytes=${offset}-` } : headers, signal });
    if (res.status === 200 && offset > 0) {
      offset = resumedFrom = 0; // the server ignored the range: start over
      await rm(partial, { force: true });
    } else if (res.status !== 200 && res.status !== 206) {
      throw httpError(url, res.status);
    }
    if (!res.body) throw httpError(url, res.status);
    if (offset > 0) await hashExisting(partial, hash);

    const total = record.size ?? (Number(res.headers.get("content-length")) + offset || undefined);
    const started = Date.now();
    let received = offset;
    let lastReport = 0;
    const report = (force: boolean) => {
      const now = Date.now();
      if (!options.onProgress || (!force && now - lastReport < 100)) return;
      lastReport = now;
      const seconds = Math.max((now - started) / 1000, 1e-3);
      options.onProgress({ received, total, resumedFrom, bytesPerSecond: (received - resumedFrom) / seconds });
    };
    const file = createWriteStream(partial, { flags: offset > 0 ? "a" : "w" });
    try {
      await pipeline(
        Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>),
        async function* (source) {
          for await (const chunk of source) {
            const buf = chunk as Buffer;
            hash.update(buf);
            received += buf.length;
            report(false);
            yield buf;
          }
        },
        file,
        { signal },
      );
    } catch (e) {
      // Let the file's pending writes land before reporting, so a resume starts at its true end.
      if (!file.closed) await new Promise<void>((resolve) => file.once("close", () => resolve()));
      if (signal?.aborted) throw new QmathError("aborted", "The download was interrupted.", "Run the same command again to resume it.");
      throw new QmathError(
        "download_failed",
        `The download of ${url} broke off after ${received} bytes (${e instanceof Error ? e.message : String(e)}).`,
        "Run the same command again: it resumes where it stopped.",
        { cause: e },
      );
    }
    report(true);
  } else {
    await hashExisting(partial, hash);
  }

  const size = await fileSize(partial);
  const sha256 = hash.digest("hex");
  if (record.size !== undefined && size !== record.size) {
    throw new QmathError(
      "download_failed",
      `The download of ${url} is incomplete: ${size} of ${record.size} bytes.`,
      "Run the same command again: it resumes where it stopped.",
    );
  }
  if (expectedSha && sha256 !== expectedSha) {
    await rm(partial, { force: true });
    await rm(recordPath, { force: true });
    throw new QmathError(
      "download_failed",
      `The file downloaded from ${url} is corrupt: its SHA-256 is ${sha256}, expected ${expectedSha}.`,
      "The damaged file was deleted; run the same command again to download it afresh.",
    );
  }
  await rename(partial, dest);
  await rm(recordPath, { force: true });
  return { path: dest, size, sha256, resumedFrom, verified: expectedSha !== undefined };
}
