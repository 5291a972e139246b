/**
 * JSON Lines, read in one way everywhere (data sets, run folders, recorded outputs, the
 * batch commands): one JSON object per line, blank lines skipped, "\r\n" accepted, and a bad
 * line reported with its 1-based number and the reason instead of ending the read.
 */
import { createInterface } from "node:readline";

export type JsonObject = Record<string, unknown>;

/** One non-blank line: its object, or why it is not one. */
export type JsonlLine = { line: number; ok: true; value: JsonObject } | { line: number; ok: false; error: string };

/** Parses one line into an object, or returns the reason it is not one. */
export function parseJsonObject(text: string): JsonObject | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "not valid JSON";
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "expected a JSON object";
  return value as JsonObject;
}

function toLine(text: string, line: number): JsonlLine | null {
  const trimmed = text.endsWith("\r") ? text.slice(0, -1) : text;
  if (trimmed.trim() === "") return null;
  const parsed = parseJsonObject(trimmed);
  return typeof parsed === "string" ? { line, ok: false, error: parsed } : { line, ok: true, value: parsed };
}

/** The non-blank lines of JSON Lines text, parsed, in order. */
export function* jsonlLines(text: string): Generator<JsonlLine> {
  let start = 0;
  let line = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    line++;
    const parsed = toLine(text.slice(start, end), line);
    if (parsed) yield parsed;
    start = end + 1;
  }
}

/** The non-blank lines of a JSON Lines stream (stdin, a file), parsed, in order, as they arrive. */
export async function* jsonlStream(input: NodeJS.ReadableStream): AsyncGenerator<JsonlLine> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    const parsed = toLine(text, line);
    if (parsed) yield parsed;
  }
}
