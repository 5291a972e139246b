/** src/jsonl.ts: the one JSON Lines reader (data sets, run folders, recorded outputs, batch commands). */
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { jsonlLines, jsonlStream, parseJsonObject, type JsonlLine } from "../src/jsonl.js";

const TEXT = '{"a": 1}\r\n\n   \n{"b": [2]}\nnot json\n[1, 2]\nnull\n{"c": "x\\ny"}';

const EXPECTED: JsonlLine[] = [
  { line: 1, ok: true, value: { a: 1 } },
  { line: 4, ok: true, value: { b: [2] } },
  { line: 5, ok: false, error: "not valid JSON" },
  { line: 6, ok: false, error: "expected a JSON object" },
  { line: 7, ok: false, error: "expected a JSON object" },
  { line: 8, ok: true, value: { c: "x\ny" } },
];

describe("JSON Lines", () => {
  it("parses each non-blank line with its 1-based number, CRLF included, and names what is wrong with a bad one", () => {
    assert.deepEqual([...jsonlLines(TEXT)], EXPECTED);
    assert.deepEqual([...jsonlLines("")], []);
    assert.deepEqual([...jsonlLines('{"a":1}\n')], [{ line: 1, ok: true, value: { a: 1 } }]);
  });

  it("reads a stream the same way as text, however the bytes are chunked", async () => {
    const bytes = Buffer.from(TEXT);
    const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 11), bytes.subarray(11)];
    const seen: JsonlLine[] = [];
    for await (const line of jsonlStream(Readable.from(chunks))) seen.push(line);
    assert.deepEqual(seen, EXPECTED);
  });

  it("parseJsonObject returns the object or the reason", () => {
    assert.deepEqual(parseJsonObject('{"x": null}'), { x: null });
    assert.equal(parseJsonObject('"text"'), "expected a JSON object");
    assert.equal(parseJsonObject("{"), "not valid JSON");
  });
});
