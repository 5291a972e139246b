/**
 * Checks a GGUF file before llama.cpp sees it: llama.cpp aborts the whole process on some
 * malformed files instead of reporting an error, and a garbage header can make a reader
 * allocate without bound. So qmath first checks the fixed header itself (magic, version,
 * counts that fit in the file), then reads the rest in a worker thread with a memory cap
 * and a time limit, and checks that the tensor data is all there (a truncated download is
 * the usual corruption).
 */
import { open, stat } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import { QmathError } from "../errors.js";
import type { GgufSummary, SummaryMessage } from "./gguf-summary.js";

export type { GgufSummary } from "./gguf-summary.js";

const READ_TIMEOUT_MS = 20_000;
const READ_HEAP_MB = 1024;

function invalid(path: string, why: string): QmathError {
  return new QmathError(
    "model_invalid",
    `${path} is not a usable GGUF model: ${why}.`,
    "Download it again with 'qmath pull <model>' (an interrupted download resumes), or pass another file with --model.",
  );
}

/** The fixed 24-byte header: magic, version, tensor count, metadata count. */
async function checkFixedHeader(path: string, size: number): Promise<void> {
  const file = await open(path, "r");
  try {
    const head = Buffer.alloc(24);
    const { bytesRead } = await file.read(head, 0, 24, 0);
    if (bytesRead < 24) throw invalid(path, `it is too short (${size} bytes) to be a GGUF file`);
    if (head.toString("latin1", 0, 4) !== "GGUF") throw invalid(path, "it does not start with the GGUF magic bytes");
    const version = head.readUInt32LE(4);
    if (version !== 2 && version !== 3) throw invalid(path, `GGUF version ${version} is not supported (2 or 3)`);
    // A tensor description takes at least 33 bytes and a metadata entry at least 13.
    const tensors = head.readBigUInt64LE(8);
    const entries = head.readBigUInt64LE(16);
    if (tensors * 33n > BigInt(size) || entries * 13n > BigInt(size))
      throw invalid(path, `its header claims ${tensors} tensors and ${entries} metadata entries, more than the file can hold`);
  } finally {
    await file.close();
  }
}

function readSummaryInWorker(path: string): Promise<SummaryMessage> {
  const here = import.meta.url;
  const workerUrl = new URL(here.endsWith(".ts") ? "./gguf-summary.ts" : "./gguf-summary.js", here);
  return new Promise((resolve) => {
    const worker = new Worker(workerUrl, { workerData: { path }, resourceLimits: { maxOldGenerationSizeMb: READ_HEAP_MB } });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({ ok: false, error: `reading its header took more than ${READ_TIMEOUT_MS / 1000} s` });
    }, READ_TIMEOUT_MS);
    const finish = (m: SummaryMessage) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(m);
    };
    worker.once("message", finish);
    worker.once("error", (e) => finish({ ok: false, error: `its header cannot be read (${e.message})` }));
    worker.once("exit", () => finish({ ok: false, error: "its header cannot be read" }));
  });
}

/** Reads and checks a GGUF file; throws a QmathError naming the problem. */
export async function checkGguf(path: string): Promise<GgufSummary> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw invalid(path, "it is not a file");
    size = s.size;
  } catch (e) {
    if (e instanceof QmathError) throw e;
    throw new QmathError("model_not_found", `No model file at ${path}.`, "Check the path, or run 'qmath models' to see the models qmath can download.");
  }
  await checkFixedHeader(path, size);
  const result = await readSummaryInWorker(path);
  if (!result.ok) throw invalid(path, result.error);
  if (result.dataEnd > size) throw invalid(path, `it is truncated (${size} bytes, its tensors need ${result.dataEnd})`);
  return result.summary;
}
