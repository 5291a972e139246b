/**
 * One worker process: the warm Python "zygote" (inside bubblewrap unless isolation is
 * "none") and the framed pipe to it. It routes each session's frames to a handler and
 * tells every handler when the worker dies.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { QmathError } from "../errors.js";
import { UNSAFE_HINT, type LaunchCommand } from "./launch.js";
import { encodeFrame, FrameReader, type Frame } from "./protocol.js";

export type WorkerMessage =
  | { op: "ready"; pid: number }
  | { op: "result"; head: string; tail: string; omitted: number; error: string | null; ms: number; recycle: boolean; token: string }
  | { op: "exit"; code?: number; signal?: number; error?: string; workerDied?: boolean };

type ResultMessage = Extract<WorkerMessage, { op: "result" }>;

/**
 * An interpreter's frame as a result, or undefined. Whatever a cell writes to the protocol
 * socket arrives here: only a well-formed result can pass, and the session still takes it
 * only with the token of the run it waits for.
 */
function interpreterResult(text: string): ResultMessage | undefined {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof m !== "object" || m === null) return undefined;
  const r = m as Record<string, unknown>;
  const ok =
    r["op"] === "result" &&
    typeof r["head"] === "string" &&
    typeof r["tail"] === "string" &&
    typeof r["omitted"] === "number" &&
    (r["error"] === null || typeof r["error"] === "string") &&
    typeof r["ms"] === "number" &&
    typeof r["recycle"] === "boolean" &&
    typeof r["token"] === "string";
  return ok ? (r as unknown as ResultMessage) : undefined;
}

export type MessageHandler = (message: WorkerMessage) => void;

const STDERR_KEEP = 4096;

export class Zygote {
  readonly ready: Promise<void>;
  /** Sessions currently attached (used to spread sessions over workers). */
  get load(): number {
    return this.handlers.size;
  }
  get alive(): boolean {
    return !this.dead;
  }

  private readonly proc: ChildProcess;
  private readonly reader = new FrameReader();
  private readonly handlers = new Map<number, MessageHandler>();
  private nextSid = 1;
  private dead = false;
  private stderrTail = "";
  private pongs: (() => void)[] = [];

  constructor(cmd: LaunchCommand, startTimeoutMs: number) {
    this.proc = spawn(cmd.command, cmd.args, {
      cwd: cmd.cwd,
      env: cmd.env,
      stdio: ["pipe", "pipe", "pipe"],
      ...(cmd.uid !== undefined ? { uid: cmd.uid, gid: cmd.gid } : {}),
    });
    let started: () => void = () => {};
    let failed: (e: Error) => void = () => {};
    this.ready = new Promise<void>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    this.ready.catch(() => {}); // observed by whoever awaits it
    const timer = setTimeout(() => {
      failed(new QmathError("sandbox_unavailable", `The Python sandbox worker did not start within ${startTimeoutMs} ms.`, "Check that the interpreter imports sympy and numpy quickly."));
      this.terminate();
    }, startTimeoutMs);

    this.proc.stdin!.on("error", () => {}); // EPIPE when the worker is gone: handled by 'exit'
    this.proc.stderr!.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-STDERR_KEEP);
    });
    this.proc.stdout!.on("data", (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.reader.push(chunk);
      } catch {
        this.terminate();
        return;
      }
      for (const f of frames) {
        if (f.fromInterpreter) {
          const result = interpreterResult(f.text);
          if (result) this.handlers.get(f.sid)?.(result);
          continue;
        }
        let m: { op?: unknown; isolationError?: unknown };
        try {
          m = JSON.parse(f.text) as typeof m;
        } catch {
          this.terminate(); // the worker itself never writes a bad frame
          return;
        }
        if (f.sid === 0) {
          if (m.op === "hello") {
            clearTimeout(timer);
            if (typeof m.isolationError === "string") {
              failed(
                new QmathError(
                  "sandbox_unavailable",
                  `The Python sandbox cannot keep samples apart here: ${m.isolationError}.`,
                  `Each sample needs user, PID and mount namespaces of its own inside bubblewrap; allow unprivileged user namespaces (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone=1, or the AppArmor setting kernel.apparmor_restrict_unprivileged_userns=0), ${UNSAFE_HINT}`,
                ),
              );
              this.terminate();
            } else {
              started();
            }
          } else if (m.op === "pong") {
            this.pongs.shift()?.();
          }
          continue;
        }
        if (m.op === "ready" || m.op === "exit") this.handlers.get(f.sid)?.(m as WorkerMessage);
      }
    });
    const onDeath = (why: string) => {
      if (this.dead) return;
      this.dead = true;
      clearTimeout(timer);
      const detail = this.stderrTail.trim().split("\n").filter(Boolean).slice(-3).join(" | ");
      failed(
        new QmathError(
          "sandbox_unavailable",
          `The Python sandbox worker failed to start (${why})${detail ? `: ${detail}` : "."}`,
          "Check that bubblewrap can create namespaces here (try: bwrap --ro-bind / / --unshare-all true) and that the interpreter has sympy and numpy.",
        ),
      );
      const handlers = [...this.handlers.values()];
      this.handlers.clear();
      for (const h of handlers) h({ op: "exit", workerDied: true });
      for (const p of this.pongs.splice(0)) p();
    };
    this.proc.on("error", (e) => onDeath(e.message));
    this.proc.on("exit", (code, signal) => onDeath(signal ? `killed by ${signal}` : `exit code ${code}`));
    // The worker must not keep the Node process alive; pending calls hold their own timers.
    this.proc.unref();
    for (const s of [this.proc.stdin, this.proc.stdout, this.proc.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
  }

  /** Opens a session: the worker hands it a fresh interpreter and answers "ready" (or "exit"). */
  open(handler: MessageHandler): number {
    const sid = this.nextSid++;
    if (this.dead) {
      queueMicrotask(() => handler({ op: "exit", workerDied: true }));
      return sid;
    }
    this.handlers.set(sid, handler);
    this.write(0, { op: "spawn", sid });
    return sid;
  }

  send(sid: number, message: unknown): void {
    this.write(sid, message);
  }

  /** Kills the session's interpreter (the worker answers with "exit"). */
  kill(sid: number): void {
    this.write(0, { op: "kill", sid });
  }

  /** Forgets a session (after killing it). */
  release(sid: number): void {
    this.handlers.delete(sid);
  }

  /** Round trip to the worker itself. */
  ping(): Promise<void> {
    if (this.dead) return Promise.resolve();
    return new Promise((resolve) => {
      this.pongs.push(resolve);
      this.write(0, { op: "ping" });
    });
  }

  /** Asks the worker to exit (it kills its interpreters), then kills it if it has not within graceMs. */
  async stop(graceMs = 1000): Promise<void> {
    const gone = this.exited();
    this.proc.stdin?.end();
    const timer = setTimeout(() => this.terminate(), graceMs);
    await gone;
    clearTimeout(timer);
  }

  terminate(): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill("SIGKILL");
  }

  /** Resolves once the process is gone. */
  exited(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null || this.proc.pid === undefined) return Promise.resolve();
    // The process is unref'd: hold the event loop open until its exit is seen.
    const keepAlive = setInterval(() => {}, 1000);
    return new Promise((resolve) =>
      this.proc.once("exit", () => {
        clearInterval(keepAlive);
        resolve();
      }),
    );
  }

  private write(sid: number, message: unknown): void {
    if (this.dead || !this.proc.stdin || this.proc.stdin.destroyed) return;
    this.proc.stdin.write(encodeFrame(sid, message));
  }
}
