/** Host-side views of the processes the sandbox started, read from /proc (tests only). */
import { readdirSync, readFileSync } from "node:fs";

interface ProcInfo {
  pid: number;
  ppid: number;
  state: string;
  /** utime + stime, in clock ticks. */
  cpu: number;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pid, ppid: Number(fields[1]), state: fields[0]!, cpu: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

function allProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p) out.push(p);
  }
  return out;
}

/** Every live (non-zombie) process below `root` (default: this test process). */
export function descendants(root = process.pid): ProcInfo[] {
  const procs = allProcs();
  const children = new Map<number, ProcInfo[]>();
  for (const p of procs) {
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const out: ProcInfo[] = [];
  const stack = [root];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      if (c.state !== "Z") out.push(c);
      stack.push(c.pid);
    }
  }
  return out;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

/** The sandbox's processes below this test process: bubblewrap, Python and what they started (not tsx's esbuild). */
export function sandboxProcesses(): ProcInfo[] {
  return descendants().filter((p) => !/esbuild/.test(cmdline(p.pid)));
}

/** CPU ticks the sandbox processes burn during `ms` milliseconds. */
export async function sandboxCpuTicks(ms: number): Promise<number> {
  const before = new Map(sandboxProcesses().map((p) => [p.pid, p.cpu]));
  await new Promise((r) => setTimeout(r, ms));
  let burned = 0;
  for (const p of sandboxProcesses()) burned += p.cpu - (before.get(p.pid) ?? 0);
  return burned;
}

/** Processes anywhere on the host whose command line contains `marker`. */
export function processesWithMarker(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8");
      if (cmdline.includes(marker) && readProc(Number(name))?.state !== "Z") found.push(Number(name));
    } catch {
      // gone
    }
  }
  return found;
}

/** Waits until `check` is true, polling, or the time runs out; returns the last value. */
export async function eventually(check: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
