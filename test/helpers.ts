/** Shared test helpers: repository paths, the tiny test model, running the built CLI. */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../src/config.js";
import { createScriptedEngine } from "../src/engine/scripted.js";
import type { Engine, OpenRequest } from "../src/engine/types.js";

/** The repository root (works from test/ and dist/test/). */
export const repoRoot = packageRoot();
export const cliPath = join(repoRoot, "dist", "src", "cli", "main.js");
/** Written by `npm run make-test-model:tiny` (part of `npm test`). */
export const tinyModelPath = join(repoRoot, "test", "fixtures", "models", "tiny-qwen2.gguf");

export function requireTinyModel(): string {
  if (!existsSync(tinyModelPath)) throw new Error(`The tiny test model is missing at ${tinyModelPath}: run 'npm run make-test-model:tiny'.`);
  return tinyModelPath;
}

/**
 * The tiny model with the real Qwen2.5 vocabulary (151,936 rows, 26 MB), also written by
 * `npm run make-test-model:tiny`: for what depends on real tokens (prompt lengths, stop strings
 * across tokens, multi-byte characters, TIR joins). Slower to sample from than the tiny model.
 */
export const tinyQwen25ModelPath = join(repoRoot, "test", "fixtures", "models", "tiny-qwen25.gguf");

export function requireTinyQwen25Model(): string {
  if (!existsSync(tinyQwen25ModelPath)) throw new Error(`The tiny Qwen2.5-vocabulary model is missing at ${tinyQwen25ModelPath}: run 'npm run make-test-model:tiny'.`);
  return tinyQwen25ModelPath;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: { ...process.env, QMATH_THREADS: "2", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** A loopback port with nothing listening on it (for "network unreachable" cases). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** A user error from the CLI: exit code 2, one line on stderr matching `pattern`, no stack trace, nothing on stdout. */
export function assertUserError(r: CliResult, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit code ${r.code}; stderr: ${r.stderr}`);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(r.stdout, "");
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** What the server printed on stderr so far. */
  stderr(): string;
}

/** Starts `qmath serve` (the built binary) with these arguments and waits for its address. */
export function spawnServe(args: string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cliPath, "serve", ...args], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, QMATH_THREADS: "1" } });
  let stderr = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`qmath serve did not start: ${stderr}`)), 30_000);
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      const m = /at (http:\/\/[\d.:]+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, stderr: () => stderr });
      }
    });
    child.on("exit", () => reject(new Error(`qmath serve exited: ${stderr}`)));
  });
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once `predicate` holds for what the command printed so far (rejects after the timeout). */
  waitFor(predicate: (out: { stdout: string; stderr: string }) => boolean, timeoutMs?: number): Promise<void>;
  /** Ctrl-C as a terminal sends it: SIGINT to the whole process group (children included). */
  ctrlC(): void;
  exited: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/** Starts the built CLI in its own process group with stdin left open (write to child.stdin). */
export function startCli(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): RunningCli {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: { ...process.env, QMATH_THREADS: "2", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  const changed = () => waiters.forEach((w) => w());
  child.stdout!.on("data", (d: Buffer) => ((stdout += d.toString()), changed()));
  child.stderr!.on("data", (d: Buffer) => ((stderr += d.toString()), changed()));
  const killer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const exited = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      changed();
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor: (predicate, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (predicate({ stdout, stderr })) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`the command ended first; stdout: ${stdout.slice(-300)}; stderr: ${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting; stdout: ${stdout.slice(-300)}; stderr: ${stderr}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    ctrlC: () => process.kill(-child.pid!, "SIGINT"),
    exited,
  };
}

/** A scripted engine that records every request it is opened with. */
export function recordingEngine(scripts: readonly string[], model?: string): { engine: Engine; seen: OpenRequest[] } {
  const inner = createScriptedEngine({ scripts, ...(model !== undefined && { model }) });
  const seen: OpenRequest[] = [];
  const engine: Engine = {
    info: inner.info,
    open: (r) => {
      seen.push(r);
      return inner.open(r);
    },
    countTokens: (t) => inner.countTokens(t),
    close: () => inner.close(),
  };
  return { engine, seen };
}
