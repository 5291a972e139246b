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
import { checkTimerMs } from "../timer-ms.js";

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
  /** An attempt that receives no bytes for this long is aborted and retried (default 30 s). */
  stallMs?: number;
  /** How many times a stalled or broken transfer is retried, resuming from the partial file (default 3). */
  retries?: number;
  /** Pause before each retry (default 1 s). */
  retryDelayMs?: number;
  /**
   * Install the file although no checksum was published and none was given (default false:
   * such a download is refused before it starts).
   */
  allowUnverified?: boolean;
  /** Told what the user should know but that does not stop the download (an unverified file). */
  onWarning?: (message: string) => void;
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

function interrupted(): QmathError {
  return new QmathError("aborted", "The download was interrupted.", "Run the same command again to resume it.");
}

const DEFAULT_STALL_MS = 30_000;

/**
 * Aborts its signal when `touch()` has not been called for `ms` (or when the outer signal
 * aborts); `stalled` tells the two apart.
 */
class StallGuard {
  readonly signal: AbortSignal;
  stalled = false;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onOuterAbort = () => this.controller.abort();

  constructor(
    readonly ms: number,
    private readonly outer?: AbortSignal,
  ) {
    this.signal = this.controller.signal;
    if (outer?.aborted) this.controller.abort();
    else outer?.addEventListener("abort", this.onOuterAbort, { once: true });
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.controller.abort();
    }, ms);
  }

  touch(): void {
    this.timer.refresh();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener("abort", this.onOuterAbort);
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** Size and checksum the server publishes for a file, without downloading it. */
export async function remoteFileInfo(url: string, headers: Record<string, string> = {}, signal?: AbortSignal, stallMs = DEFAULT_STALL_MS): Promise<RemoteFileInfo> {
  checkTimerMs("download option stallMs", stallMs);
  // The Hub answers with a redirect to its CDN; the checksum headers are on the redirect itself.
  const guard = new StallGuard(stallMs, signal);
  let res: Response;
  try {
    res = await fetch(url, { method: "HEAD", redirect: "manual", headers, signal: guard.signal });
  } catch (e) {
    if (signal?.aborted) throw interrupted();
    if (guard.stalled)
      throw new QmathError("download_failed", `${url} did not answer within ${seconds(stallMs)}.`, "Try again later, or download the file yourself and pass --model /path/to/file.gguf.");
    throw networkError(url, e);
  } finally {
    guard.dispose();
  }
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


/** How one HTTP transfer into the partial file ended. */
type Attempt =
  | { kind: "ended"; sha256: string }
  /** Stalled or broke off: resume from the partial file. */
  | { kind: "broken"; why: string }
  /** The server refused to resume (HTTP 416): only starting over can help. */
  | { kind: "range_refused" };

interface TransferContext {
  url: string;
  partial: string;
  headers: Record<string, string>;
  signal?: AbortSignal;
  stallMs: number;
  total?: number;
  onProgress?: (p: DownloadProgress) => void;
  /** Where the bytes on disk came from before this call started (for progress). */
  resumedFrom: number;
}

/** One request for the rest of the file, appended to the partial file. */
async function transfer(ctx: TransferContext, start: number): Promise<Attempt> {
  const { url, partial, headers, signal } = ctx;
  let offset = start;
  const guard = new StallGuard(ctx.stallMs, signal);
  const broken = (e: unknown, received: number): Attempt => {
    if (signal?.aborted) throw interrupted();
    const why = guard.stalled ? `no data for ${seconds(ctx.stallMs)}` : e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
    return { kind: "broken", why: `after ${received} bytes: ${why}` };
  };
  try {
    let res: Response;
    try {
      res = await fetch(url, { headers: offset > 0 ? { ...headers, Range: `bytes=${offset}-` } : headers, signal: guard.signal });
    } catch (e) {
      return broken(e, offset);
    }
    if (res.status === 416 && offset > 0) {
      await res.body?.cancel();
      return { kind: "range_refused" };
    }
    if (res.status === 200 && offset > 0) offset = 0; // the server ignored the range: start over
    else if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      throw httpError(url, res.status);
    }
    if (!res.body) throw httpError(url, res.status);
    const hash = createHash("sha256");
    if (offset > 0) await hashExisting(partial, hash);

    const total = ctx.total ?? (Number(res.headers.get("content-length")) + offset || undefined);
    const started = Date.now();
    let received = offset;
    let lastReport = 0;
    const report = (force: boolean) => {
      const now = Date.now();
      if (!ctx.onProgress || (!force && now - lastReport < 100)) return;
      lastReport = now;
      const elapsed = Math.max((now - started) / 1000, 1e-3);
      ctx.onProgress({ received, total, resumedFrom: ctx.resumedFrom, bytesPerSecond: (received - offset) / elapsed });
    };
    const file = createWriteStream(partial, { flags: offset > 0 ? "a" : "w" });
    try {
      await pipeline(
        Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>),
        async function* (source) {
          for await (const chunk of source) {
            const buf = chunk as Buffer;
            guard.touch();
            hash.update(buf);
            received += buf.length;
            report(false);
            yield buf;
          }
        },
        file,
        { signal: guard.signal },
      );
    } catch (e) {
      // Let the file's pending writes land, so a resume starts at its true end.
      if (!file.closed) await new Promise<void>((resolve) => file.once("close", () => resolve()));
      return broken(e, received);
    }
    report(true);
    return { kind: "ended", sha256: hash.digest("hex") };
  } finally {
    guard.dispose();
  }
}

export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const { url, dest, headers = {}, signal } = options;
  const stallMs = checkTimerMs("download option stallMs", options.stallMs ?? DEFAULT_STALL_MS);
  const retries = options.retries ?? 3;
  const retryDelayMs = checkTimerMs("download option retryDelayMs", options.retryDelayMs ?? 1000, { allowZero: true });
  const givenSha = options.sha256?.toLowerCase();
  if (givenSha !== undefined && !SHA256_HEX.test(givenSha))
    throw new QmathError("bad_input", `'${options.sha256}' is not a SHA-256 checksum.`, "Give the 64 hexadecimal digits of the file's SHA-256.");
  const partial = `${dest}.partial`;
  const recordPath = `${dest}.partial.json`;
  await mkdir(dirname(dest), { recursive: true });

  const remote = await remoteFileInfo(url, headers, signal, stallMs);
  const expectedSha = givenSha ?? remote.sha256;
  if (expectedSha === undefined) {
    if (!options.allowUnverified)
      throw new QmathError(
        "download_failed",
        `${url} publishes no SHA-256 checksum, so the downloaded file could not be verified.`,
        "Pass the file's checksum with --sha256 HEX, or --no-verify to install it unverified.",
      );
    options.onWarning?.(`${url} publishes no SHA-256 checksum: the file is installed without verification.`);
  }
  options.onStart?.(remote);
  const record: PartialRecord = { url, sha256: expectedSha, size: remote.size };
  const size = record.size;

  // Resume only a partial file of this very download.
  const previous = await readPartialRecord(recordPath);
  let offset = 0;
  if (previous && previous.url === url && previous.sha256 === record.sha256 && previous.size === record.size) offset = await fileSize(partial);
  if (offset === 0) await rm(partial, { force: true });
  await writeFile(recordPath, JSON.stringify(record));

  let resumedFrom = offset;
  let failures = 0;
  let restarted = false;
  /** Discards the partial file once; a second time the server is not to be trusted. */
  const startOver = async (why: string) => {
    if (restarted) {
      await rm(partial, { force: true });
      await rm(recordPath, { force: true });
      throw new QmathError(
        "download_failed",
        `${url} cannot be downloaded consistently: ${why}, even after starting over.`,
        "The server's published size or checksum does not match what it sends; try again later, or download the file yourself and pass --model /path/to/file.gguf.",
      );
    }
    restarted = true;
    offset = resumedFrom = 0;
    await rm(partial, { force: true });
  };
  /** Counts a failed attempt; past the retries, gives up with what happened. */
  const retry = async (why: string) => {
    failures += 1;
    if (failures > retries)
      throw new QmathError(
        "download_failed",
        `The download of ${url} failed ${failures} time${failures === 1 ? "" : "s"} (last: ${why}).`,
        "Run the same command again: it resumes where it stopped.",
      );
    if (retryDelayMs > 0) await new Promise((r) => setTimeout(r, retryDelayMs));
    if (signal?.aborted) throw interrupted();
    offset = await fileSize(partial);
  };

  let sha256: string;
  for (;;) {
    if (size !== undefined && offset > size) {
      await startOver(`the partial file has ${offset} bytes, more than the published ${size}`);
      continue;
    }
    const fromEarlier = offset > 0;
    if (size !== undefined && offset === size) {
      const hash = createHash("sha256");
      await hashExisting(partial, hash);
      sha256 = hash.digest("hex");
    } else {
      const attempt = await transfer({ url, partial, headers, signal, stallMs, total: size, onProgress: options.onProgress, resumedFrom }, offset);
      if (attempt.kind === "broken") {
        await retry(attempt.why);
        continue;
      }
      if (attempt.kind === "range_refused") {
        await startOver(`it refused to resume at byte ${offset} (HTTP 416)`);
        continue;
      }
      sha256 = attempt.sha256;
    }
    const got = await fileSize(partial);
    if (size !== undefined && got < size) {
      await retry(`the transfer ended at ${got} of ${size} bytes`);
      continue;
    }
    if (size !== undefined && got > size) {
      await startOver(`it sent ${got} bytes, more than the published ${size}`);
      continue;
    }
    if (expectedSha !== undefined && sha256 !== expectedSha) {
      if (fromEarlier && !restarted) {
        // The bytes kept from an earlier attempt may be what is wrong.
        await startOver("the resumed file did not match its checksum");
        continue;
      }
      await rm(partial, { force: true });
      await rm(recordPath, { force: true });
      throw new QmathError(
        "download_failed",
        `The file downloaded from ${url} is corrupt: its SHA-256 is ${sha256}, expected ${expectedSha}.`,
        "The damaged file was deleted; run the same command again to download it afresh.",
      );
    }
    break;
  }
  const finalSize = await fileSize(partial);
  await rename(partial, dest);
  await rm(recordPath, { force: true });
  return { path: dest, size: finalSize, sha256, resumedFrom, verified: expectedSha !== undefined };
}
