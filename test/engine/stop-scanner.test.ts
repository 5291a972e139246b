import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StopScanner } from "../../src/engine/stop-scanner.js";

/** Feeds text piece by piece and returns what was emitted and the stop that fired. */
function feed(stops: string[], pieces: string[]): { emitted: string; stop?: string } {
  const scanner = new StopScanner(stops);
  let emitted = "";
  for (const p of pieces) {
    const r = scanner.push(p);
    emitted += r.emit;
    if (r.stop !== undefined) return { emitted, stop: r.stop };
  }
  return { emitted: emitted + scanner.flush() };
}

describe("StopScanner", () => {
  it("stops before a stop string split across pieces", () => {
    const r = feed(["```output"], ["print(1)\n``", "`out", "put\nmore"]);
    assert.equal(r.emitted, "print(1)\n");
    assert.equal(r.stop, "```output");
  });

  it("holds back a possible stop prefix and releases it when it turns out not to be one", () => {
    const scanner = new StopScanner(["<|im_end|>"]);
    assert.equal(scanner.push("a <|im").emit, "a ");
    assert.equal(scanner.push("age").emit, "<|image");
  });

  it("reports the stop string that occurs first when several match", () => {
    const r = feed(["\n\nQuestion:", "<|im_end|>"], ["x<|im_end|>\n\nQuestion:"]);
    assert.equal(r.emitted, "x");
    assert.equal(r.stop, "<|im_end|>");
  });

  it("flushes held text when generation ends without a stop", () => {
    assert.deepEqual(feed(["```output"], ["answer ``"]), { emitted: "answer ``" });
  });

  it("passes everything through with no stop strings", () => {
    assert.deepEqual(feed([], ["a", "b"]), { emitted: "ab" });
  });
});
