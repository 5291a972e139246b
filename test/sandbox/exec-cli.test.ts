/** `qmath exec` end to end: the built CLI (dist/src/cli/main.js), spawned as a user would run it. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { assertUserError, runCli } from "../helpers.js";
import { eventually, sandboxProcesses } from "./procs.js";

const tmp = mkdtempSync(join(tmpdir(), "qmath-exec-"));
after(() => rmSync(tmp, { recursive: true, force: true }));


describe("qmath exec", () => {
  it("prints exactly the output block of a cell read from stdin", async () => {
    const r = await runCli(["exec"], { input: "import sympy as sp\nx = sp.symbols('x')\nprint(sp.solve(x**2 - 5*x + 6, x))\n" });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "[2, 3]\n");
    assert.equal(r.stderr, "");
  });

  it("reads --file, and shows a final expression", async () => {
    const file = join(tmp, "cell.py");
    writeFileSync(file, "from fractions import Fraction\nFraction(1, 3) + Fraction(1, 6)\n");
    const r = await runCli(["exec", "--file", file]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "1/2\n");
  });

  it("prints the last traceback line of an error and exits 1", async () => {
    const r = await runCli(["exec"], { input: "print('lost')\n1/0\n" });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "ZeroDivisionError: division by zero\n");
  });

  it("honours --timeout", async () => {
    const t0 = Date.now();
    const r = await runCli(["exec", "--timeout", "1"], { input: "while True:\n    pass\n" });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "Timeout Error\n");
    assert.ok(Date.now() - t0 < 10_000);
  });

  it("cuts long output and prints the whole result with --json", async () => {
    const r = await runCli(["exec", "--json"], { input: "print('x' * 1000)" });
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { output: string; status: string; truncated: boolean; stdout: string };
    assert.equal(result.status, "ok");
    assert.equal(result.truncated, true);
    assert.equal(result.output, "x".repeat(200) + "..." + "x".repeat(200));
    assert.equal(result.stdout, "x".repeat(1000) + "\n");
  });

  it("runs in a fresh sandbox that cannot see the caller's environment or files", async () => {
    const secret = `exec-secret-${process.pid}`;
    const r = await runCli(["exec"], {
      input: "import os\nprint(os.environ.get('QMATH_EXEC_SECRET'), os.path.exists(os.path.expanduser('~/.bashrc')), os.path.exists('/work'))",
      env: { QMATH_EXEC_SECRET: secret },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "None False False\n");
  });

  it("rejects bad input with one line and exit code 2", async () => {
    assertUserError(await runCli(["exec", "--bogus"], { input: "1" }), /^qmath exec: Unknown option '--bogus'\. Run 'qmath exec --help' to see its options\.$/);
    assertUserError(await runCli(["exec", "--timeout", "soon"], { input: "1" }), /^qmath exec: --timeout must be a number of seconds above 0 and at most 86400, not 'soon'\.$/);
    assertUserError(await runCli(["exec", "--timeout", "0"], { input: "1" }), /^qmath exec: --timeout must be a number of seconds above 0 and at most 86400, not '0'\.$/);
    assertUserError(await runCli(["exec"], { input: "  \n" }), /^qmath exec: No code given\./);
    assertUserError(await runCli(["exec", "--file", join(tmp, "missing.py")]), /^qmath exec: Cannot read the cell file .*missing\.py \(ENOENT\)\. Check the path given to --file\.$/);
    assertUserError(await runCli(["exec", "--python", "/nonexistent/python3"], { input: "1" }), /^qmath exec: Python not found at \/nonexistent\/python3\./);
  });

  it("refuses a --timeout longer than a timer holds, instead of cutting it to 1 ms", async () => {
    // 99999999 s is 99999999000 ms: Node would fire that timer after 1 ms (TimeoutOverflowWarning),
    // so the cell would end in "Timeout Error" at once.
    for (const timeout of ["99999999", "86401", "1e999", "-5"]) {
      const r = await runCli(["exec", "--timeout", timeout], { input: "print('ran')\n" });
      assertUserError(r, new RegExp(`^qmath exec: --timeout must be a number of seconds above 0 and at most 86400, not '${timeout}'\\.$`));
      assert.doesNotMatch(r.stderr, /TimeoutOverflowWarning/);
    }
    // The longest limit allowed fits a timer: the cell runs to its end.
    const r = await runCli(["exec", "--timeout", "86400"], { input: "import time\ntime.sleep(0.2)\nprint('slept')\n" });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "slept\n");
    assert.equal(r.stderr, "");
  });

  it("prints its help", async () => {
    const r = await runCli(["exec", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /usage: qmath exec/);
    assert.match(r.stdout, /--unsafe-no-sandbox/);
    assert.match((await runCli(["--help"])).stdout, /\n {2}exec +run one Python cell/);
  });

  it("leaves no process behind", async () => {
    assert.ok(await eventually(() => sandboxProcesses().length === 0), JSON.stringify(sandboxProcesses()));
  });
});
