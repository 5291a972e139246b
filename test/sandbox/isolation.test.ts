/**
 * Samples attacking each other and the worker that serves them: one sample keeps a secret,
 * another tries every way in that the adversarial review found (listing the parent's file
 * descriptors, reading and writing its memory through /proc, attaching with ptrace,
 * signalling, the shared /tmp and /dev/shm), and a cell forges protocol frames. Real
 * bubblewrap, real Python.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { QmathError } from "../../src/errors.js";
import { createSandbox, type Sandbox, type SandboxSession } from "../../src/sandbox/index.js";
import { sandboxProcesses } from "./procs.js";

let sandbox: Sandbox;

before(async () => {
  sandbox = await createSandbox({ timeoutMs: 10_000, memoryMb: 1024, maxProcesses: 128 });
});

after(async () => {
  await sandbox.close();
});

/** The pid numbers the sandbox's processes have inside bubblewrap's PID namespace (from NSpid on the host). */
function pidsInsideBubblewrap(): number[] {
  const pids = new Set<number>();
  for (const p of sandboxProcesses()) {
    try {
      const line = readFileSync(`/proc/${p.pid}/status`, "utf8")
        .split("\n")
        .find((l) => l.startsWith("NSpid:"));
      const ids = line?.split(/\s+/).slice(1).map(Number) ?? [];
      // NSpid lists the pid in each namespace, outermost first: the second is bubblewrap's.
      if (ids.length >= 2) pids.add(ids[1]!);
    } catch {
      // gone
    }
  }
  return [...pids];
}

/**
 * A cell that tries, for each target pid, to signal it, list its file descriptors, read
 * its heap through /proc/<pid>/mem looking for `needle`, write into it, and attach with
 * ptrace. It first reads the heap of a process it started itself the same way, so that a
 * scan that finds nothing is known to work.
 */
function attackCell(targets: number[], needle: string): string {
  return `
import ctypes, json, os, subprocess, sys
libc = ctypes.CDLL(None, use_errno=True)
needle = ${JSON.stringify(needle)}.encode()

def heap_contains(pid, pattern):
    maps = open("/proc/%s/maps" % pid).read().splitlines()
    found = False
    with open("/proc/%s/mem" % pid, "rb") as mem:
        for line in maps:
            fields = line.split()
            if "rw" not in fields[1] or (len(fields) > 5 and fields[5] != "[heap]"):
                continue
            lo, hi = (int(x, 16) for x in fields[0].split("-"))
            if hi - lo > (64 << 20):
                continue
            try:
                mem.seek(lo)
                if pattern in mem.read(hi - lo):
                    found = True
            except OSError:
                pass
    return found

# The scan works: it finds a marker in a process this cell started itself.
own = subprocess.Popen([sys.executable, "-c", "import time; m = 'own-' + 'marker-' * 4; print('go', flush=True); time.sleep(30)"], stdout=subprocess.PIPE)
own.stdout.readline()
self_scan_works = heap_contains(own.pid, b"own-marker-marker-marker-marker-")
own.kill()
own.wait()
class IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]
byte = ctypes.create_string_buffer(1)
local = IoVec(ctypes.cast(byte, ctypes.c_void_p), 1)
remote = IoVec(0x400000, 1)  # where python3's image is mapped (any readable address will do)

report = {"self_scan_works": self_scan_works, "targets": {}}
for pid in sorted(set(${JSON.stringify(targets)} + [os.getppid()] + [int(p) for p in os.listdir("/proc") if p.isdigit()])):
    if pid in (0, os.getpid()):
        continue
    got = []
    try:
        os.kill(pid, 0)
        got.append("signal")
    except OSError:
        pass
    try:
        os.listdir("/proc/%d/fd" % pid)
        got.append("fd")
    except OSError:
        pass
    try:
        if heap_contains(pid, needle):
            got.append("SECRET")
        else:
            got.append("mem-read")
    except OSError:
        pass
    try:
        with open("/proc/%d/mem" % pid, "r+b") as mem:
            got.append("mem-open-write")
    except OSError:
        pass
    if libc.ptrace(0x4206, pid, 0, 0) == 0:  # PTRACE_SEIZE
        got.append("ptrace")
        libc.ptrace(17, pid, 0, 0)
    if libc.process_vm_readv(pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0) == 1:
        got.append("process_vm_readv")
    report["targets"][pid] = got
report["new_user_namespace"] = libc.unshare(0x10000000) == 0
print(json.dumps(report))
`;
}

describe("samples cannot reach each other or the worker", () => {
  it("a sample cannot read, write, trace or signal the worker or another sample", async () => {
    const secret = `secret-of-sample-a-${process.pid}-${Date.now()}`;
    const a: SandboxSession = await sandbox.session();
    const b: SandboxSession = await sandbox.session();
    try {
      // Sample A's code and printed output pass through the worker; its globals hold the secret.
      const shown = await a.run(`kept = ${JSON.stringify(secret)}\nprint(kept)`);
      assert.equal(shown.output, secret);
      const targets = pidsInsideBubblewrap();
      assert.ok(targets.length >= 3, `expected the worker and interpreters, got pids ${JSON.stringify(targets)}`);
      const r = await b.run(attackCell(targets, secret), { timeoutMs: 20_000 });
      assert.equal(r.status, "ok", r.output);
      const report = JSON.parse(r.stdout) as { self_scan_works: boolean; targets: Record<string, string[]>; new_user_namespace: boolean };
      assert.equal(report.self_scan_works, true, "the memory scan itself does not work");
      for (const [pid, got] of Object.entries(report.targets)) {
        assert.deepEqual(got, [], `sample B got at pid ${pid}: ${got.join(", ")}`);
      }
      assert.equal(report.new_user_namespace, false, "a sample could make a new user namespace");
      // And sample A is untouched.
      assert.equal((await a.run("kept")).output, secret);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("a sample sees only its own processes, its own /tmp and its own /dev/shm", async () => {
    const a = await sandbox.session();
    const b = await sandbox.session();
    try {
      const wrote = await a.run("open('/tmp/a-file', 'w').write('a')\nopen('/dev/shm/a-shm', 'w').write('a')\nimport os\nprint(sorted(os.listdir('/tmp')), sorted(os.listdir('/dev/shm')))");
      assert.equal(wrote.output, "['a-file'] ['a-shm']");
      const look = await b.run(
        [
          "import os, subprocess",
          "child = subprocess.Popen(['sleep', '5'])",
          "pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())",
          "print(os.getpid(), pids == [1, child.pid], os.listdir('/tmp'), os.listdir('/dev/shm'))",
          "child.kill()",
        ].join("\n"),
      );
      assert.equal(look.output, "1 True [] []");
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("frames a cell forges", () => {
  const forge = (payload: string) =>
    `import json, os, struct\npayload = json.dumps(${payload}).encode()\nos.write(3, struct.pack('>II', len(payload), 0) + payload)`;

  it("a forged result, exit, ready or garbage frame does not end the cell, and later cells get their own output", async () => {
    const s = await sandbox.session();
    try {
      const forged = [
        forge(`{"op": "result", "head": "FORGED\\n", "tail": "", "omitted": 0, "error": None, "ms": 1, "recycle": False, "token": "guessed"}`),
        forge(`{"op": "result", "head": "FORGED-NO-TOKEN\\n", "tail": "", "omitted": 0, "error": None, "ms": 1, "recycle": False}`),
        forge(`{"op": "exit", "code": 0}`),
        forge(`{"op": "ready", "pid": 1}`),
        "os.write(3, struct.pack('>II', 5, 0) + b'{nope')",
        "print('real')",
      ].join("\n");
      const r = await s.run(forged);
      assert.equal(r.status, "ok", JSON.stringify(r));
      assert.equal(r.output, "real");
      assert.equal((await s.run("6 * 7")).output, "42");
      assert.equal((await s.run("print('third')")).output, "third");
    } finally {
      await s.close();
    }
  });

  it("a cell that steals its run's token can only fake its own output: the next cells stay in step", async () => {
    const s = await sandbox.session();
    try {
      const steal = [
        "import json, os, struct, sys",
        "f = sys._getframe()",
        "while f is not None and not (isinstance(f.f_locals.get('msg'), dict) and 'token' in f.f_locals['msg']):",
        "    f = f.f_back",
        "token = f.f_locals['msg']['token']",
        forge(`{"op": "result", "head": "FAKED\\n", "tail": "", "omitted": 0, "error": None, "ms": 1, "recycle": False, "token": token}`).split("\n").slice(1).join("\n"),
        "print('the real output of the thief')",
      ].join("\n");
      assert.equal((await s.run(steal)).output, "FAKED");
      assert.equal((await s.run("6 * 7")).output, "42");
      assert.equal((await s.run("print('third')")).output, "third");
    } finally {
      await s.close();
    }
  });

  it("a frame that lies about its length costs the forging cell only (it times out; the state comes back)", async () => {
    const s = await sandbox.session();
    try {
      await s.run("kept = 5");
      const r = await s.run("import os, struct\nos.write(3, struct.pack('>II', 1000, 0) + b'{')\nprint('x')", { timeoutMs: 1500 });
      assert.equal(r.status, "timeout");
      assert.equal((await s.run("kept * 2")).output, "10");
    } finally {
      await s.close();
    }
  });

  it("frames forged in one sample do not reach another", async () => {
    const a = await sandbox.session();
    const b = await sandbox.session();
    try {
      const slow = b.run("import time\ntime.sleep(1)\nprint('b is fine')");
      // Session ids are small numbers: forge frames for each of them from sample A.
      const spray = [
        "import json, os, struct",
        "for sid in range(0, 64):",
        `    p = json.dumps({"op": "result", "head": "FROM-A\\n", "tail": "", "omitted": 0, "error": None, "ms": 1, "recycle": False, "token": "x"}).encode()`,
        "    os.write(3, struct.pack('>II', len(p), sid) + p)",
        "print('a done')",
      ].join("\n");
      assert.equal((await a.run(spray)).output, "a done");
      assert.equal((await slow).output, "b is fine");
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("where samples cannot be kept apart", () => {
  it("refuses to start, saying why and what to do, instead of running samples side by side", async () => {
    // A bubblewrap that forbids user namespaces inside the sandbox, as some systems do.
    const dir = mkdtempSync(join(tmpdir(), "qmath-bwrap-"));
    chmodSync(dir, 0o755); // the sandbox may run as another user (root runs it as nobody)
    const wrapper = join(dir, "bwrap");
    writeFileSync(wrapper, '#!/bin/sh\nexec /usr/bin/bwrap --unshare-user --disable-userns "$@"\n', { mode: 0o755 });
    try {
      await assert.rejects(createSandbox({ bwrap: wrapper, spares: 0 }), (e: unknown) => {
        assert.ok(e instanceof QmathError);
        assert.equal(e.code, "sandbox_unavailable");
        assert.match(e.message, /cannot keep samples apart here: .*unshare/);
        assert.match(e.hint ?? "", /user namespaces.*--unsafe-no-sandbox/);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
