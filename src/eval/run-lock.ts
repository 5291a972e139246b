/**
 * The run folder's lock: run.lock, created exclusively, holding the pid and host of the
 * `qmath eval` that runs into the folder. A second run into the same folder is refused
 * naming that process; a lock left by a process that no longer lives on this host (a killed
 * run) is taken over. The lock is removed when the run ends, however it ends.
 */
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { QmathError } from "../errors.js";
import { outputError } from "./output-error.js";

export const LOCK_FILE = "run.lock";

interface LockHolder {
  pid: number;
  host: string;
  started: string;
  /** Tells this lock from a later one taken over after it. */
  token: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // alive, someone else's
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const v = JSON.parse(readFileSync(path, "utf8")) as Partial<LockHolder>;
    return typeof v.pid === "number" && typeof v.host === "string" ? (v as LockHolder) : null;
  } catch {
    return null;
  }
}

export class RunLock {
  private released = false;
  private readonly onExit = () => this.release();

  private constructor(
    readonly path: string,
    private readonly token: string,
  ) {
    process.once("exit", this.onExit); // a run that exits without unwinding still frees its folder
  }

  /** Takes the lock of run folder dir (which must exist), or refuses in one line. */
  static acquire(dir: string): RunLock {
    const path = join(dir, LOCK_FILE);
    const holder: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), token: `${process.pid}-${Date.now()}-${Math.random()}` };
    for (let attempt = 0; ; attempt++) {
      try {
        writeFileSync(path, JSON.stringify(holder) + "\n", { flag: "wx" });
        return new RunLock(path, holder.token);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw outputError(e, dir);
      }
      const other = readHolder(path);
      if (other === null)
        throw new QmathError("bad_input", `The run folder ${dir} is locked by ${path}, which is not a lock qmath can read.`, `If no qmath eval runs into ${dir}, delete ${path} and run again.`);
      const stale = other.host === holder.host && !isAlive(other.pid);
      if (!stale || attempt > 0) {
        const where = other.host === holder.host ? "" : ` on host ${other.host}`;
        throw new QmathError(
          "bad_input",
          `The run folder ${dir} is in use by another qmath eval (pid ${other.pid}${where}, since ${other.started}).`,
          other.host === holder.host
            ? "Wait for that run to end, or stop it, or use another --out folder."
            : `Wait for that run to end, or use another --out folder; if that process is gone, delete ${path}.`,
        );
      }
      // Its process is gone: a killed run. Take the folder over.
      try {
        unlinkSync(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw outputError(err, dir);
      }
    }
  }

  /** Removes the lock if it is still this run's. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.removeListener("exit", this.onExit);
    try {
      if (readHolder(this.path)?.token === this.token) unlinkSync(this.path);
    } catch {
      // already gone, or the folder is unwritable: the lock is stale and the next run takes it over
    }
  }
}
