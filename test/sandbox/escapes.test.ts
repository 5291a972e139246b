/**
 * Model code trying to get out: each attempt must fail safely, and the next request must
 * still work. Real bubblewrap, real Python; every attempt is bounded (process limit,
 * address-space limit, time limit) so that nothing here can hurt the machine.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { repoRoot } from "../helpers.js";
import { createSandbox, type CellResult, type Sandbox, type SandboxSession } from "../../src/sandbox/index.js";
import { eventually, processesWithMarker, sandboxCpuTicks, sandboxProcesses } from "./procs.js";

const SECRET = `qmath-secret-${process.pid}-${Date.now()}`;
process.env["QMATH_TEST_SECRET"] = SECRET;

let sandbox: Sandbox;

before(async () => {
  sandbox = await createSandbox({ timeoutMs: 5000, memoryMb: 1024, maxProcesses: 128 });
});

after(async () => {
  await sandbox.close();
  assert.ok(await eventually(() => sandboxProcesses().length === 0), `processes left after close(): ${JSON.stringify(sandboxProcesses())}`);
});

/** Runs `code` in a fresh session, then checks that the sandbox still answers. */
async function attempt(code: string, timeoutMs = 5000): Promise<CellResult> {
  const s = await sandbox.session();
  let r: CellResult;
  try {
    r = await s.run(code, { timeoutMs });
  } finally {
    await s.close();
  }
  await assertStillWorks();
  return r;
}

async function assertStillWorks(): Promise<void> {
  const s = await sandbox.session();
  try {
    const r = await s.run("import sympy\nprint(sympy.isprime(97), 6 * 7)");
    assert.equal(r.output, "True 42", `the sandbox stopped working: ${JSON.stringify(r)}`);
  } finally {
    await s.close();
  }
}

describe("network", () => {
  let server: Server;
  let port = 0;
  let connections = 0;
  before(async () => {
    server = createServer((sock) => {
      connections++;
      sock.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("cannot reach a server on the host's loopback", async () => {
    const r = await attempt(`import socket\ns = socket.create_connection(("127.0.0.1", ${port}), timeout=2)\nprint("connected")`);
    assert.equal(r.status, "error");
    assert.match(r.output, /ConnectionRefusedError|OSError/);
    assert.equal(connections, 0);
  });

  it("cannot reach the internet or resolve names", async () => {
    const r = await attempt(`import socket\nsocket.create_connection(("1.1.1.1", 80), timeout=2)`);
    assert.equal(r.status, "error");
    assert.match(r.output, /Network is unreachable/);
    const dns = await attempt(`import socket\nsocket.getaddrinfo("example.com", 443)`);
    assert.equal(dns.status, "error");
    assert.match(dns.output, /socket.gaierror/);
    const urllib = await attempt(`import urllib.request\nurllib.request.urlopen("http://example.com", timeout=2).read()`);
    assert.equal(urllib.status, "error");
    assert.match(urllib.output, /URLError/);
  });
});

describe("files", () => {
  it("cannot read the project's source, /etc/shadow or the user's home", async () => {
    const source = join(repoRoot, "src", "sandbox", "sandbox.ts");
    assert.ok(existsSync(source));
    for (const path of [source, join(repoRoot, "package.json"), "/etc/shadow", "/etc/passwd", join(homedir(), ".bashrc")]) {
      const r = await attempt(`print(open(${JSON.stringify(path)}).read()[:100])`);
      assert.equal(r.status, "error", `${path}: ${r.output}`);
      assert.match(r.output, /^(FileNotFoundError|PermissionError)/, path);
    }
    const listing = await attempt(`import os\nprint(sorted(os.listdir("/")), os.path.exists(${JSON.stringify(repoRoot)}), os.path.exists(${JSON.stringify(homedir())}))`);
    assert.equal(listing.output, "['bin', 'dev', 'etc', 'lib', 'lib64', 'proc', 'sbin', 'tmp', 'usr'] False False");
    const etc = await attempt(`import os\nprint(sorted(os.listdir("/etc")))`);
    assert.equal(etc.output, "['alternatives', 'ld.so.cache']");
  });

  it("cannot write outside its scratch directory, and the scratch directory is not the host's /tmp", async () => {
    const hostFile = `/tmp/qmath-escape-${process.pid}`;
    rmSync(hostFile, { force: true });
    const r = await attempt(
      [
        "import os",
        "results = []",
        `for path in ["/qmath-escape", "/usr/qmath-escape", "/etc/qmath-escape", "/dev/qmath-escape", ${JSON.stringify(join(repoRoot, "qmath-escape"))}, "/proc/qmath-escape"]:`,
        "    try:",
        "        open(path, 'w').write('x')",
        "        results.append('wrote ' + path)",
        "    except OSError as e:",
        "        results.append(type(e).__name__)",
        `open(${JSON.stringify(hostFile)}, 'w').write('inside only')`,
        "open('here.txt', 'w').write('scratch')",
        "print(results, open('here.txt').read(), os.getcwd() == '/tmp')",
      ].join("\n"),
    );
    assert.equal(r.status, "ok", r.output);
    assert.doesNotMatch(r.output, /wrote/);
    assert.match(r.output, /\] scratch True$/);
    assert.equal(existsSync(hostFile), false, "a file written to /tmp inside the sandbox appeared on the host");
    assert.equal(existsSync(join(repoRoot, "qmath-escape")), false);
  });

  it("cannot fill the disk: file size is limited", async () => {
    const r = await attempt("with open('big', 'wb') as f:\n    for _ in range(200):\n        f.write(b'0' * (1 << 20))");
    assert.equal(r.status, "error");
    assert.match(r.output, /File too large|No space left/);
  });
});

describe("processes", () => {
  it("survives a fork bomb (capped by the process limit)", async () => {
    const r = await attempt("import os\nwhile True:\n    os.fork()", 4000);
    assert.ok(r.status === "error" || r.status === "timeout", JSON.stringify(r));
    if (r.status === "error") assert.match(r.output, /BlockingIOError|Resource temporarily unavailable/);
    // What stays: bubblewrap and its init, the zygote, and two processes per spare interpreter.
    assert.ok(await eventually(() => sandboxProcesses().length <= 3 + 2 * 4, 5000), `bomb processes left: ${sandboxProcesses().length}`);
  });

  it("kills a busy child process that outlives its cell", async () => {
    const marker = `busy-marker-${process.pid}`;
    const s: SandboxSession = await sandbox.session();
    try {
      const started = await s.run(
        [
          "import os, subprocess, sys",
          `p = subprocess.Popen([sys.executable, "-c", "while True: pass  # ${marker}"], start_new_session=True)`,
          "pid = os.fork()",
          "if pid == 0:",
          "    os.setsid()",
          "    if os.fork() == 0:",
          "        while True:",
          "            pass",
          "    os._exit(0)",
          "print(p.pid)",
        ].join("\n"),
      );
      assert.equal(started.status, "ok", started.output);
      assert.equal(processesWithMarker(marker).length, 0, "the subprocess outlived its cell");
      const ticks = await sandboxCpuTicks(1000);
      assert.ok(ticks < 50, `something is still burning CPU: ${ticks} ticks in 1 s`);
      const check = await s.run(`import os\ntry:\n    os.kill(${started.output}, 0)\n    print("alive")\nexcept ProcessLookupError:\n    print("gone")`);
      assert.equal(check.output, "gone");
    } finally {
      await s.close();
    }
    await assertStillWorks();
  });

  it("kills a thread left running (the interpreter is recycled)", async () => {
    const s = await sandbox.session();
    try {
      await s.run("kept = 5");
      const r = await s.run("import threading\ndef spin():\n    while True:\n        pass\nthreading.Thread(target=spin, daemon=True).start()\nprint('started')");
      assert.equal(r.output, "started");
      const ticks = await sandboxCpuTicks(1000);
      assert.ok(ticks < 50, `the thread is still burning CPU: ${ticks} ticks in 1 s`);
      assert.equal((await s.run("kept")).output, "5");
    } finally {
      await s.close();
    }
  });

  it("survives killing its parent, PID 1, or every process it can signal", async () => {
    const canary = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      for (const code of [
        "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)",
        "import os\nos.kill(1, 9)\nprint('still here')",
        "import os\nos.kill(-1, 9)",
        "import os, signal\nos.killpg(0, signal.SIGKILL)",
      ]) {
        const r = await attempt(code);
        assert.ok(["killed", "ok", "error"].includes(r.status), `${code}: ${JSON.stringify(r)}`);
        if (code.includes("os.kill(1, 9)")) assert.equal(r.output, "still here");
      }
      assert.equal(canary.exitCode, null, "a process outside the sandbox was killed");
      assert.equal(canary.signalCode, null);
    } finally {
      canary.kill();
    }
  });

  it("cannot freeze its parent or its own interpreter (nothing outside its PID namespace can be signalled)", async () => {
    const r = await attempt("import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\nos.kill(1, signal.SIGSTOP)\nprint('not frozen', os.getppid())", 3000);
    assert.equal(r.output, "not frozen 0");
  });

  it("cannot see processes outside the sandbox", async () => {
    const r = await attempt(
      "import os\npids = [p for p in os.listdir('/proc') if p.isdigit()]\nnames = []\nfor p in pids:\n    try:\n        names.append(open('/proc/%s/cmdline' % p, 'rb').read())\n    except OSError:\n        pass\nprint(len(pids) < 20, any(b'escapes.test' in n or b'bash' in n for n in names))",
    );
    assert.equal(r.output, "True False");
  });
});

describe("resources", () => {
  it("refuses a 10 GB allocation", async () => {
    const r = await attempt("x = bytearray(10 * 1024**3)");
    assert.equal(r.status, "error");
    assert.equal(r.output, "MemoryError");
    const np = await attempt("import numpy as np\na = np.ones(10 * 1024**3 // 8)");
    assert.equal(np.status, "error");
    assert.match(np.output, /MemoryError: Unable to allocate/);
  });

  it("stops an infinite loop at the time limit", async () => {
    const t0 = Date.now();
    const r = await attempt("while True:\n    pass", 1000);
    assert.equal(r.status, "timeout");
    assert.equal(r.output, "Timeout Error");
    assert.ok(Date.now() - t0 < 8000);
  });

  it("stops an infinite loop in C code (sympy/numpy) at the time limit", async () => {
    const r = await attempt("import sympy\nprint(sympy.factorint(2**512 + 1))", 1000);
    assert.equal(r.status, "timeout");
  });
});

describe("environment", () => {
  it("cannot read the environment of the qmath process", async () => {
    assert.equal(process.env["QMATH_TEST_SECRET"], SECRET);
    const s = await sandbox.session();
    try {
      const env = await s.run("import os\nprint(sorted(os.environ))");
      assert.equal(env.status, "ok");
      assert.doesNotMatch(env.stdout, /QMATH_TEST_SECRET/);
      const proc = await s.run(
        [
          "import os",
          "seen = []",
          "for pid in ['self', str(os.getppid()), '1'] + [p for p in os.listdir('/proc') if p.isdigit()]:",
          "    try:",
          "        seen.append(open('/proc/%s/environ' % pid, 'rb').read().decode('latin-1'))",
          "    except OSError as e:",
          "        seen.append(type(e).__name__)",
          "print('\\n'.join(seen))",
        ].join("\n"),
      );
      assert.equal(proc.status, "ok", proc.output);
      assert.ok(proc.stdout.length > 0);
      assert.ok(!proc.stdout.includes(SECRET), "the secret leaked through /proc/*/environ");
      assert.ok(!proc.stdout.includes("QMATH_TEST_SECRET"));
    } finally {
      await s.close();
    }
  });
});
