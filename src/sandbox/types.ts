/**
 * Public types of the Python sandbox: what the TIR loop passes in and gets back.
 */

export type Isolation = "bwrap" | "none";

export interface SandboxOptions {
  /** Python interpreter with sympy and numpy (default "/usr/bin/python3", or $QMATH_PYTHON). */
  python?: string;
  /**
   * "bwrap" (default): every worker runs inside bubblewrap; if bubblewrap is missing or
   * cannot create namespaces, createSandbox throws QmathError "sandbox_unavailable".
   * "none": run model code directly on this machine with only resource limits. Unsafe:
   * model code can read and write your files, use the network and see your processes.
   */
  isolation?: Isolation;
  /** bubblewrap executable (default "/usr/bin/bwrap", else "bwrap" on PATH). */
  bwrap?: string;
  /** Wall-clock limit per cell in milliseconds (default 5000). */
  timeoutMs?: number;
  /** Address-space limit (RLIMIT_AS) of each sample's interpreter, in MiB (default 1024). */
  memoryMb?: number;
  /** The output block is cut to its first and last maxOutputChars/2 characters (default 400). */
  maxOutputChars?: number;
  /** Processes and threads allowed in one worker's sandbox, all samples together (default 256). */
  maxProcesses?: number;
  /** Largest file a cell may write, and size of the scratch tmpfs, in MiB (default 64). */
  maxFileMb?: number;
  /** Worker (zygote) processes; samples are spread over them (default 1). */
  poolSize?: number;
  /** Interpreters each worker keeps forked ahead, so a new sample starts at once (default 4). */
  spares?: number;
  /** Modules imported once in the warm parent (default sympy, numpy and common stdlib). */
  preload?: string[];
  /**
   * When running as root, the unprivileged uid/gid bubblewrap is started as (default 65534,
   * "nobody"), so that the process limit applies (the kernel exempts root from it).
   */
  sandboxUid?: number;
  /** Milliseconds to wait for a worker to import its modules (default 60000). */
  startTimeoutMs?: number;
}

export interface CellOptions {
  /** Wall-clock limit for this cell (default: the sandbox's timeoutMs). */
  timeoutMs?: number;
  /** Aborting kills the cell; run() then rejects with QmathError "aborted". */
  signal?: AbortSignal;
}

/**
 * How a cell ended:
 * - "ok": it ran to the end;
 * - "error": it raised (the output is the last line of the traceback);
 * - "timeout": it ran past the time limit and was killed (output "Timeout Error");
 * - "killed": its interpreter died (os._exit, a signal, a crash); the session still works.
 */
export type CellStatus = "ok" | "error" | "timeout" | "killed";

export interface CellResult {
  /** Exactly what goes into the model's ```output block (without the fences). */
  output: string;
  status: CellStatus;
  /** What the cell printed (plus the value of a final bare expression), cut in the middle if huge. */
  stdout: string;
  /** The last line of the traceback, for status "error" (e.g. "NameError: name 'x' is not defined"). */
  error?: string;
  /** Wall-clock milliseconds of the round trip (replaying state after a crash not included). */
  durationMs: number;
  /** True when `output` was cut to maxOutputChars. */
  truncated: boolean;
}
