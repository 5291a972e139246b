/** src/timer-ms.ts: millisecond durations a Node timer can hold, refused otherwise. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { isQmathError } from "../src/errors.js";
import { checkTimerMs, MAX_TIMER_MS } from "../src/timer-ms.js";

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(isQmathError(e), String(e));
    assert.equal(e.code, "bad_input");
    return e.toLine();
  }
  assert.fail("not refused");
}

describe("checkTimerMs", () => {
  it("is the limit Node's timers have: one more millisecond fires at once, with a warning", () => {
    const script = `
      const t0 = performance.now();
      const long = setTimeout(() => { console.log("fired"); }, ${MAX_TIMER_MS});
      setTimeout(() => { clearTimeout(long); console.log("held"); }, 200);
      setTimeout(() => console.log("overflow fired after", Math.round(performance.now() - t0), "ms"), ${MAX_TIMER_MS + 1});`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.match(lines[0]!, /^overflow fired after \d+ ms$/);
    assert.ok(Number(lines[0]!.split(" ")[3]) < 200, lines[0]);
    assert.equal(lines[1], "held");
    assert.match(r.stderr, /TimeoutOverflowWarning/);
  });

  it("takes what a timer holds", () => {
    assert.equal(checkTimerMs("x", 1), 1);
    assert.equal(checkTimerMs("x", 0.5), 0.5);
    assert.equal(checkTimerMs("x", MAX_TIMER_MS), MAX_TIMER_MS);
    assert.equal(checkTimerMs("x", 0, { allowZero: true }), 0);
  });

  it("refuses the rest in one line naming the option, the value and the range", () => {
    assert.equal(
      refusal(() => checkTimerMs("sandbox option timeoutMs", 2 ** 31)),
      "sandbox option timeoutMs must be a number of milliseconds above 0 and at most 2147483647 (the longest timer, about 24.8 days), not 2147483648.",
    );
    for (const bad of [0, -1, NaN, Infinity, -Infinity, 99999999000])
      assert.match(refusal(() => checkTimerMs("stallMs", bad)), new RegExp(`^stallMs must be .* above 0 and at most 2147483647 .*, not ${bad}\\.$`));
    assert.match(refusal(() => checkTimerMs("retryDelayMs", -1, { allowZero: true })), /^retryDelayMs must be a number of milliseconds from 0 to 2147483647 .*, not -1\.$/);
    assert.match(refusal(() => checkTimerMs("t", "5" as unknown as number)), /, not "5"\.$/);
  });
});
