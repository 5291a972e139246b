/**
 * The line-oriented batch behind `qmath extract` and `qmath grade`: one JSON object per
 * input line, one JSON line out per input line, in order. A malformed line yields an
 * error line naming its line number in its place; the other lines are still processed.
 * Blank lines are skipped (they are not inputs).
 */
import { equivalent, type EquivalenceOptions } from "../answers/equivalent.js";
import { extractAnswer } from "../answers/extract.js";
import { answerStyleOf } from "../datasets/registry.js";
import { jsonlStream, type JsonObject } from "../jsonl.js";

type LineResult = { ok: true; out: Record<string, unknown> } | { ok: false; out: { error: string } };

const fail = (error: string): LineResult => ({ ok: false, out: { error } });

/** {"response": ..., "dataset"?: ...} -> {"answer": string | null}, extracted in the style of the line's set (else `defaultDataset`'s). */
export function extractLine(v: JsonObject, lineNo: number, defaultDataset?: string): LineResult {
  if (typeof v.response !== "string") return fail(`line ${lineNo}: 'response' must be a string`);
  if (v.dataset !== undefined && typeof v.dataset !== "string") return fail(`line ${lineNo}: 'dataset' must be a string`);
  const dataset = (v.dataset as string | undefined) ?? defaultDataset;
  return { ok: true, out: { answer: extractAnswer(v.response, { answerStyle: answerStyleOf(dataset) }) } };
}

const isAnswer = (x: unknown): boolean => typeof x === "string" || (typeof x === "number" && Number.isFinite(x));

/** {"pred": ..., "gold": ...} -> {"equivalent": boolean, "reason": ...}; a null pred (nothing extracted) grades as unparseable. */
export function gradeLine(v: JsonObject, lineNo: number, options: EquivalenceOptions = {}): LineResult {
  if (!("pred" in v)) return fail(`line ${lineNo}: missing 'pred'`);
  if (!("gold" in v)) return fail(`line ${lineNo}: missing 'gold'`);
  if (v.pred !== null && !isAnswer(v.pred)) return fail(`line ${lineNo}: 'pred' must be a string, a number or null`);
  if (!isAnswer(v.gold)) return fail(`line ${lineNo}: 'gold' must be a string or a number`);
  const r = equivalent(v.pred, v.gold, options);
  return { ok: true, out: { equivalent: r.equivalent, reason: r.reason } };
}

/**
 * Runs fn over the lines of input, writing each result as one JSON line to out (with
 * back-pressure). Returns the number of malformed lines.
 */
export async function processLines(
  input: NodeJS.ReadableStream,
  fn: (value: JsonObject, lineNo: number) => LineResult,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  let errors = 0;
  let buffer = "";
  const flush = async (): Promise<void> => {
    if (!buffer) return;
    const chunk = buffer;
    buffer = "";
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  };
  for await (const line of jsonlStream(input)) {
    const r = line.ok ? fn(line.value, line.line) : fail(`line ${line.line}: ${line.error}`);
    if (!r.ok) errors++;
    buffer += JSON.stringify(r.out) + "\n";
    if (buffer.length > 1 << 16) await flush();
  }
  await flush();
  return errors;
}
