/**
 * The Python sandbox for tool-integrated reasoning.
 *
 *   const sandbox = await createSandbox();          // warm workers, sympy and numpy imported
 *   const session = await sandbox.session();        // a fresh interpreter for one sample
 *   const r = await session.run("x = 2\nprint(x + 1)");
 *   r.output;                                       // "3": what goes into the ```output block
 *   await session.close();
 *   await sandbox.close();
 *
 * Each session is its own process, forked from a warm parent, so its globals, functions
 * and imports stay available to its later cells and no other session sees them. If the
 * interpreter dies (a timeout kills it, the cell crashes it, the worker is killed), the
 * next run() gets a new interpreter and first replays, silently, the session's earlier
 * cells that ran to the end, so the state is what it was.
 */
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { constants as osConstants } from "node:os";
import { QmathError } from "../errors.js";
import { checkTimerMs } from "../timer-ms.js";
import { capturedToString, printedOutput, TIMEOUT_OUTPUT, truncateMiddle } from "./format.js";
import { launchCommand, resolveOptions, type LaunchCommand, type ResolvedOptions } from "./launch.js";
import type { CellResult, CellOptions, SandboxOptions } from "./types.js";
import { Zygote, type WorkerMessage } from "./zygote.js";

type ResultMessage = Extract<WorkerMessage, { op: "result" }>;
type ExitMessage = Extract<WorkerMessage, { op: "exit" }>;

/** How long a killed interpreter may take to be reported gone before its whole worker is killed. */
const KILL_GRACE_MS = 3000;
/** How long a new interpreter may take to be handed over. */
const SPAWN_TIMEOUT_MS = 10_000;

/** An interpreter could not be started because its worker died or hung (worth a retry on a new worker). */
class WorkerFault extends QmathError {}

type Outcome =
  | { kind: "result"; message: ResultMessage }
  | { kind: "timeout" }
  | { kind: "aborted" }
  | { kind: "exit"; message: ExitMessage };

/** One interpreter process of a session, on one worker. */
class Interpreter {
  dead = false;
  /** The worker reported the process gone. */
  private exited = false;
  private queue: WorkerMessage[] = [];
  private waiter: ((m: WorkerMessage) => void) | null = null;
  private readonly sid: number;

  constructor(private readonly zygote: Zygote) {
    this.sid = zygote.open((m) => this.deliver(m));
  }

  private deliver(m: WorkerMessage): void {
    if (m.op === "exit") {
      this.dead = true;
      this.exited = true;
      this.zygote.release(this.sid);
    }
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w(m);
    } else {
      this.queue.push(m);
    }
  }

  private next(): Promise<WorkerMessage> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  /** Waits for "ready"; throws QmathError when the interpreter could not be started. */
  async started(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const m = await Promise.race([
      this.next(),
      new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), SPAWN_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (m === "timeout") {
      this.kill();
      this.zygote.terminate(); // it is not answering: it will be replaced
      throw new WorkerFault("sandbox_unavailable", "The Python sandbox did not hand out an interpreter in time.");
    }
    if (m.op !== "ready") {
      this.kill();
      const why = m.op === "exit" ? (m.error ?? (m.workerDied ? "the worker died" : "it exited")) : `unexpected ${m.op}`;
      const E = m.op === "exit" && m.workerDied ? WorkerFault : QmathError;
      throw new E("sandbox_unavailable", `The Python sandbox could not start an interpreter (${why}).`);
    }
  }

  async run(code: string, timeoutMs: number, signal: AbortSignal | undefined, replay: boolean): Promise<Outcome> {
    if (this.dead) return { kind: "exit", message: { op: "exit", error: "interpreter gone" } };
    // Only the result carrying this run's token ends it: anything else a cell wrote to the
    // protocol socket, or a result left over from an earlier run, is dropped.
    const token = randomUUID();
    this.zygote.send(this.sid, { op: "run", code, timeoutMs, replay, token });
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const stop = new Promise<"timeout" | "aborted">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
      if (signal) {
        onAbort = () => resolve("aborted");
        signal.addEventListener("abort", onAbort, { once: true });
      }
    });
    for (;;) {
      const m = await Promise.race([this.next(), stop]);
      if (m === "timeout" || m === "aborted") {
        this.kill();
        clearTimeout(timer);
        if (onAbort) signal?.removeEventListener("abort", onAbort);
        return { kind: m };
      }
      if (m.op === "result" && m.token !== token) continue;
      if (m.op === "result" || m.op === "exit") {
        clearTimeout(timer);
        if (onAbort) signal?.removeEventListener("abort", onAbort);
        if (m.op === "exit") return { kind: "exit", message: m };
        if (m.recycle) this.dead = true; // it exits right after answering
        return { kind: "result", message: m };
      }
    }
  }

  /** Kills the process; if the worker does not confirm in time, the whole worker is killed. */
  kill(): void {
    this.dead = true;
    this.waiter = null;
    if (this.exited) return;
    this.zygote.kill(this.sid);
    setTimeout(() => {
      if (!this.exited && this.zygote.alive) this.zygote.terminate();
      this.zygote.release(this.sid);
    }, KILL_GRACE_MS).unref();
  }
}

/** The top-level import lines of a cell. */
function importLines(code: string): string {
  return code
    .split("\n")
    .filter((l) => l.startsWith("import ") || l.startsWith("from "))
    .join("\n");
}

function describeExit(m: ExitMessage): string {
  if (m.workerDied) return "the sandbox worker was killed";
  if (m.signal !== undefined) {
    const name = Object.entries(osConstants.signals).find(([, n]) => n === m.signal)?.[0];
    return `killed by ${name ?? `signal ${m.signal}`}`;
  }
  if (m.code !== undefined) return `exit code ${m.code}`;
  return m.error ?? "unknown reason";
}

export class SandboxSession {
  private interpreter: Interpreter | null = null;
  /** Cells that ran to the end (ok or error), replayed into a new interpreter after a crash. */
  private readonly history: string[] = [];
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  /** @internal use Sandbox.session() */
  constructor(private readonly sandbox: Sandbox) {}

  /** @internal */
  async start(): Promise<void> {
    this.interpreter = await this.sandbox.newInterpreter();
  }

  /**
   * Runs one cell in this sample's interpreter. Cells of one session run one at a time, in
   * call order. Never rejects for what the code does (that is the CellResult's status);
   * rejects with QmathError "aborted" if options.signal aborts, or if the session or the
   * sandbox is closed.
   */
  run(code: string, options: CellOptions = {}): Promise<CellResult> {
    const result = this.tail.then(() => this.runNow(code, options));
    this.tail = result.catch(() => {});
    return result;
  }

  private async runNow(code: string, options: CellOptions): Promise<CellResult> {
    const o = this.sandbox.options;
    if (this.closed) throw new QmathError("aborted", "The sandbox session is closed.");
    const signal = options.signal;
    if (signal?.aborted) throw new QmathError("aborted", "The cell was aborted before it ran.");
    // The sandbox's own limit was checked when it was made.
    const timeoutMs = options.timeoutMs === undefined ? o.timeoutMs : checkTimerMs("cell option timeoutMs", options.timeoutMs);

    const interp = await this.ensureInterpreter(signal);
    const t0 = performance.now();
    const outcome = await interp.run(code, timeoutMs, signal, false);
    const durationMs = performance.now() - t0;
    if (this.closed) throw new QmathError("aborted", "The sandbox session was closed while the cell ran.");

    if (outcome.kind !== "result" || outcome.message.recycle) {
      // Like the reference harness, a cell that did not finish still contributes its imports.
      const imports = importLines(code);
      if (imports) this.history.push(imports);
    }
    switch (outcome.kind) {
      case "aborted":
        throw new QmathError("aborted", "The cell was aborted.");
      case "timeout":
        return { output: TIMEOUT_OUTPUT, status: "timeout", stdout: "", error: TIMEOUT_OUTPUT, durationMs, truncated: false };
      case "exit": {
        const error = `RuntimeError: the Python process died (${describeExit(outcome.message)})`;
        const cut = truncateMiddle(error, o.maxOutputChars);
        return { output: cut.text, status: "killed", stdout: "", error, durationMs, truncated: cut.truncated };
      }
      case "result": {
        const m = outcome.message;
        const stdout = capturedToString(m);
        if (!m.recycle) this.history.push(code);
        if (m.error !== null) {
          const cut = truncateMiddle(m.error.trim(), o.maxOutputChars);
          return { output: cut.text, status: "error", stdout, error: m.error, durationMs, truncated: cut.truncated };
        }
        const printed = printedOutput(m, o.maxOutputChars);
        return { output: printed.text, status: "ok", stdout, durationMs, truncated: printed.truncated };
      }
    }
  }

  /** The live interpreter, or a new one with the session's earlier cells replayed into it. */
  private async ensureInterpreter(signal: AbortSignal | undefined): Promise<Interpreter> {
    if (this.interpreter && !this.interpreter.dead) return this.interpreter;
    const o = this.sandbox.options;
    for (let attempt = 0; ; attempt++) {
      const interp = await this.sandbox.newInterpreter();
      this.interpreter = interp;
      let ok = true;
      for (const cell of this.history) {
        const r = await interp.run(cell, o.timeoutMs, signal, true);
        if (r.kind === "aborted") throw new QmathError("aborted", "The cell was aborted.");
        if (r.kind !== "result" || interp.dead) {
          ok = false;
          break;
        }
      }
      if (ok) return interp;
      interp.kill();
      // Replaying crashed the interpreter again: give up on the old state rather than loop.
      if (attempt >= 1) {
        this.history.length = 0;
      }
    }
  }

  /** Ends the sample: its interpreter and everything it started are killed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.interpreter?.kill();
    this.interpreter = null;
    this.sandbox.forget(this);
  }
}

export class Sandbox {
  /** @internal */
  readonly options: ResolvedOptions;
  private readonly command: LaunchCommand;
  private readonly workers: (Zygote | null)[];
  private readonly starting = new Map<number, Promise<Zygote>>();
  private readonly sessions = new Set<SandboxSession>();
  private closed = false;

  /** @internal use createSandbox() */
  constructor(options: ResolvedOptions, command: LaunchCommand) {
    this.options = options;
    this.command = command;
    this.workers = new Array<Zygote | null>(options.poolSize).fill(null);
  }

  /** @internal starts every worker and waits until they are warm. */
  async warm(): Promise<void> {
    await Promise.all(this.workers.map((_, i) => this.worker(i)));
  }

  /** A fresh interpreter state for one sample. */
  async session(): Promise<SandboxSession> {
    if (this.closed) throw new QmathError("aborted", "The sandbox is closed.");
    const s = new SandboxSession(this);
    this.sessions.add(s);
    try {
      await s.start();
    } catch (e) {
      this.sessions.delete(s);
      throw e;
    }
    return s;
  }

  /** Runs one cell in a fresh state and closes it: what `qmath exec` does. */
  async run(code: string, options: CellOptions = {}): Promise<CellResult> {
    const s = await this.session();
    try {
      return await s.run(code, options);
    } finally {
      await s.close();
    }
  }

  /** Kills every worker and interpreter. Pending runs reject with QmathError "aborted". */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.sessions]) await s.close();
    const started = await Promise.allSettled(this.starting.values());
    const all = new Set<Zygote>(this.workers.filter((w): w is Zygote => w !== null));
    for (const r of started) if (r.status === "fulfilled") all.add(r.value);
    await Promise.all([...all].map((w) => w.stop()));
    if (this.command.hostScratch) await rm(this.command.hostScratch, { recursive: true, force: true });
  }

  /** @internal */
  forget(s: SandboxSession): void {
    this.sessions.delete(s);
  }

  /** @internal a started interpreter on the least loaded live worker (restarting dead ones). */
  async newInterpreter(): Promise<Interpreter> {
    if (this.closed) throw new QmathError("aborted", "The sandbox is closed.");
    let best = 0;
    for (let i = 1; i < this.workers.length; i++) {
      const a = this.workers[best];
      const b = this.workers[i];
      const loadA = a?.alive ? a.load : 0;
      const loadB = b?.alive ? b.load : 0;
      if (loadB < loadA) best = i;
    }
    for (let attempt = 1; ; attempt++) {
      const live = this.workers[best];
      // Open synchronously when the worker is up, so that concurrent calls see its load.
      const zygote = live?.alive ? live : await this.worker(best);
      const interp = new Interpreter(zygote);
      try {
        await interp.started();
        return interp;
      } catch (e) {
        // The worker died or hung while handing out the interpreter: replace it and retry.
        if (!(e instanceof WorkerFault) || attempt >= 3 || this.closed) throw e;
        await zygote.exited();
      }
    }
  }

  /** The worker in slot i, started (or restarted) if needed. */
  private worker(i: number): Promise<Zygote> {
    const w = this.workers[i];
    if (w?.alive) return Promise.resolve(w);
    let p = this.starting.get(i);
    if (!p) {
      const z = new Zygote(this.command, this.options.startTimeoutMs);
      p = z.ready.then(() => {
        if (this.closed) {
          z.terminate();
          throw new QmathError("aborted", "The sandbox is closed.");
        }
        this.workers[i] = z;
        return z;
      });
      p.then(
        () => this.starting.delete(i),
        () => {
          this.starting.delete(i);
          z.terminate();
        },
      );
      this.starting.set(i, p);
    }
    return p;
  }
}

/**
 * Starts the sandbox: checks that bubblewrap and Python are there (QmathError
 * "sandbox_unavailable" otherwise, unless isolation is "none") and warms the workers.
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const resolved = resolveOptions(options);
  const command = await launchCommand(resolved);
  const sandbox = new Sandbox(resolved, command);
  try {
    await sandbox.warm();
  } catch (e) {
    await sandbox.close();
    throw e;
  }
  return sandbox;
}

/** One cell in a fresh sandbox, started for it and closed after: for one-off use. */
export async function runCell(code: string, options: SandboxOptions & CellOptions = {}): Promise<CellResult> {
  const { signal, ...sandboxOptions } = options;
  const sandbox = await createSandbox({ spares: 0, ...sandboxOptions });
  try {
    return await sandbox.run(code, { timeoutMs: options.timeoutMs, signal });
  } finally {
    await sandbox.close();
  }
}
