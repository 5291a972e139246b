/**
 * How a sandbox worker is started: resolving options, finding worker.py, checking that
 * bubblewrap and Python are there, and building the bubblewrap command line.
 */
import { accessSync, constants, existsSync, lstatSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { QmathError } from "../errors.js";
import { checkTimerMs } from "../timer-ms.js";
import type { Isolation, SandboxOptions } from "./types.js";
import { defaultPython } from "../config.js";

export interface ResolvedOptions {
  python: string;
  isolation: Isolation;
  bwrap: string;
  timeoutMs: number;
  memoryMb: number;
  maxOutputChars: number;
  maxProcesses: number;
  maxFileMb: number;
  poolSize: number;
  spares: number;
  preload: string[];
  sandboxUid: number;
  startTimeoutMs: number;
}

/** Wall-clock limit of one cell when none is given. */
export const DEFAULT_CELL_TIMEOUT_MS = 5000;

const DEFAULT_PRELOAD = [
  "sympy",
  "numpy",
  "math",
  "cmath",
  "fractions",
  "decimal",
  "itertools",
  "functools",
  "collections",
  "statistics",
  "random",
  "re",
  "json",
  "tempfile",
  "shutil",
];

export const UNSAFE_HINT = "or, knowing that model code then runs unisolated, pass --unsafe-no-sandbox (isolation: \"none\").";

/** Largest size (MiB: 1 TiB, far below what overflows a Python rlimit) or count of a sandbox option. */
const MAX_OPTION = 1 << 20;

function positiveNumber(name: string, value: number | undefined, fallback: number, integer = false): number {
  const max = MAX_OPTION;
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || value > max || (integer && !Number.isInteger(value))) {
    throw new QmathError("bad_input", `sandbox option ${name} must be a positive ${integer ? "integer" : "number"} of at most ${max}, got ${value}.`);
  }
  return value;
}

export function resolveOptions(o: SandboxOptions = {}): ResolvedOptions {
  const isolation = o.isolation ?? "bwrap";
  if (isolation !== "bwrap" && isolation !== "none") {
    throw new QmathError("bad_input", `sandbox isolation must be "bwrap" or "none", got ${JSON.stringify(isolation)}.`);
  }
  const spares = o.spares ?? 4;
  if (!Number.isInteger(spares) || spares < 0) throw new QmathError("bad_input", `sandbox option spares must be an integer >= 0, got ${spares}.`);
  return {
    python: o.python ?? defaultPython(),
    isolation,
    bwrap: o.bwrap ?? (existsSync("/usr/bin/bwrap") ? "/usr/bin/bwrap" : "bwrap"),
    timeoutMs: checkTimerMs("sandbox option timeoutMs", o.timeoutMs ?? DEFAULT_CELL_TIMEOUT_MS),
    memoryMb: positiveNumber("memoryMb", o.memoryMb, 1024),
    maxOutputChars: positiveNumber("maxOutputChars", o.maxOutputChars, 400, true),
    maxProcesses: positiveNumber("maxProcesses", o.maxProcesses, 256, true),
    maxFileMb: positiveNumber("maxFileMb", o.maxFileMb, 64),
    poolSize: positiveNumber("poolSize", o.poolSize, 1, true),
    spares,
    preload: o.preload ?? DEFAULT_PRELOAD,
    sandboxUid: o.sandboxUid ?? 65534,
    startTimeoutMs: checkTimerMs("sandbox option startTimeoutMs", o.startTimeoutMs ?? 60_000),
  };
}

/** src/sandbox/worker.py of this package, found from this file whether it runs from src/ or dist/src/. */
function workerPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        const name = (JSON.parse(readFileSync(pkg, "utf8")) as { name?: unknown }).name;
        if (name === "qmath") {
          const p = join(dir, "src", "sandbox", "worker.py");
          if (existsSync(p)) return p;
        }
      } catch {
        // not our package.json; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error("qmath: src/sandbox/worker.py not found next to the package (is it listed in package.json \"files\"?)");
}

let workerSourceCache: string | undefined;
function workerSource(): string {
  workerSourceCache ??= readFileSync(workerPath(), "utf8");
  return workerSourceCache;
}

/** What to spawn for one worker. */
export interface LaunchCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  uid?: number;
  gid?: number;
  /** A host directory to delete when the sandbox closes (isolation "none"). */
  hostScratch?: string;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  if (name.includes("/")) return isExecutable(name) ? name : undefined;
  for (const dir of (process.env["PATH"] ?? "/usr/bin:/bin").split(":")) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

const PYTHON_ENV: Record<string, string> = {
  PATH: "/usr/local/bin:/usr/bin:/bin",
  LANG: "C.UTF-8",
  LC_ALL: "C.UTF-8",
  PYTHONDONTWRITEBYTECODE: "1",
  PYTHONIOENCODING: "utf-8",
  // One thread per BLAS/OpenMP pool: threads count against the process limit and the CPU.
  OPENBLAS_NUM_THREADS: "1",
  OMP_NUM_THREADS: "1",
  MKL_NUM_THREADS: "1",
};

function workerConfig(o: ResolvedOptions, scratch: string): string {
  const timeoutS = Math.ceil(o.timeoutMs / 1000);
  return JSON.stringify({
    scratch,
    memoryBytes: Math.floor(o.memoryMb * 1024 * 1024),
    maxFileBytes: Math.floor(o.maxFileMb * 1024 * 1024),
    maxOpenFiles: 256,
    maxProcesses: o.isolation === "bwrap" ? o.maxProcesses : 0,
    // Whole-life CPU budget of one sample's interpreter; each cell also gets its own soft limit.
    cpuBudgetSeconds: Math.max(600, timeoutS * 100),
    captureChars: Math.max(32_768, o.maxOutputChars),
    spares: o.spares,
    preload: o.preload,
    // Under bubblewrap every sample gets user, PID and mount namespaces of its own.
    isolateSessions: o.isolation === "bwrap",
  });
}

/** Top-level directories that are symlinks into /usr on merged-/usr systems, or real directories elsewhere. */
const LIB_DIRS = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

/**
 * Checks that the sandbox can be started and builds the command. Throws QmathError
 * "sandbox_unavailable" when bubblewrap or Python is missing.
 */
export async function launchCommand(o: ResolvedOptions): Promise<LaunchCommand> {
  const python = findOnPath(o.python);
  if (!python) {
    throw new QmathError(
      "sandbox_unavailable",
      `Python not found at ${o.python}.`,
      "Install python3 with python3-sympy and python3-numpy (Debian/Ubuntu: apt install python3 python3-sympy python3-numpy), or pass the interpreter to use (--python).",
    );
  }
  if (o.isolation === "none") {
    const hostScratch = await mkdtemp(join(tmpdir(), "qmath-sandbox-"));
    return {
      command: python,
      args: ["-I", "-c", workerSource(), workerConfig(o, hostScratch)],
      env: { ...PYTHON_ENV, HOME: hostScratch, TMPDIR: hostScratch },
      cwd: hostScratch,
      hostScratch,
    };
  }
  if (process.platform !== "linux") {
    throw new QmathError(
      "sandbox_unavailable",
      `The Python sandbox needs Linux (bubblewrap); this is ${process.platform}.`,
      `Run qmath on Linux for tool-integrated reasoning, use chain-of-thought mode, ${UNSAFE_HINT}`,
    );
  }
  const bwrap = findOnPath(o.bwrap);
  if (!bwrap) {
    throw new QmathError(
      "sandbox_unavailable",
      `bubblewrap (${o.bwrap}) is not installed, so model-written Python cannot be isolated.`,
      `Install it (Debian/Ubuntu: apt install bubblewrap; Fedora: dnf install bubblewrap), ${UNSAFE_HINT}`,
    );
  }

  const args = [
    "--unshare-all",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
    "--hostname",
    "sandbox",
    "--ro-bind",
    "/usr",
    "/usr",
  ];
  for (const dir of LIB_DIRS) {
    let st;
    try {
      st = lstatSync(dir);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
    else if (st.isDirectory()) args.push("--ro-bind", dir, dir);
  }
  // numpy finds its BLAS through /etc/alternatives; the loader cache only speeds things up.
  args.push("--ro-bind-try", "/etc/alternatives", "/etc/alternatives", "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache");
  // An interpreter installed outside /usr (e.g. /opt/conda/bin/python): expose its prefix, read-only.
  const realPython = realpathSync(python);
  if (!realPython.startsWith("/usr/") && !LIB_DIRS.some((d) => realPython.startsWith(d + "/"))) {
    const prefix = dirname(dirname(realPython));
    args.push("--ro-bind", prefix, prefix);
  }
  // Writable: only the scratch tmpfs /tmp and a small /dev/shm (multiprocessing's semaphores),
  // both size-limited. The root, /dev and every bind are read-only.
  const scratchBytes = String(Math.floor(o.maxFileMb * 1024 * 1024));
  args.push("--proc", "/proc", "--dev", "/dev", "--size", String(16 << 20), "--tmpfs", "/dev/shm");
  args.push("--size", scratchBytes, "--tmpfs", "/tmp", "--remount-ro", "/dev", "--remount-ro", "/", "--chdir", "/tmp");
  args.push("--clearenv");
  for (const [k, v] of Object.entries({ ...PYTHON_ENV, HOME: "/tmp", TMPDIR: "/tmp" })) args.push("--setenv", k, v);
  args.push(python, "-I", "-c", workerSource(), workerConfig(o, "/tmp"));

  const cmd: LaunchCommand = { command: bwrap, args, env: { PATH: "/usr/bin:/bin" }, cwd: "/" };
  // Root is exempt from RLIMIT_NPROC: run the sandbox as an unprivileged user instead.
  if (process.getuid?.() === 0) {
    cmd.uid = o.sandboxUid;
    cmd.gid = o.sandboxUid;
  }
  return cmd;
}
