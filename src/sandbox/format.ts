/**
 * Turning a cell's raw result into the text of the output block, the way the reference
 * harness (Qwen2.5-Math evaluation/python_executor.py, same as ToRA) does it:
 * - the printed text, stripped; if nothing was printed, "Done";
 * - on an exception, only the last line of the traceback (what was printed is dropped);
 * - on a timeout, "Timeout Error";
 * - longer than max characters: the first and last max/2 characters joined by "...".
 */

/** Cut `s` to its first and last max/2 characters with "..." between, when longer than max. */
export function truncateMiddle(s: string, max: number): { text: string; truncated: boolean } {
  if (s.length <= max) return { text: s, truncated: false };
  const half = Math.floor(max / 2);
  return { text: s.slice(0, half) + "..." + (half > 0 ? s.slice(-half) : ""), truncated: true };
}

/** Captured stdout as the worker reports it: the first and last characters, and how many were dropped between. */
export interface CapturedText {
  head: string;
  tail: string;
  omitted: number;
}

/** The captured text as one string, with a marker where the middle was dropped. */
export function capturedToString(c: CapturedText): string {
  if (c.omitted <= 0) return c.head + c.tail;
  return `${c.head}\n... [${c.omitted} characters omitted] ...\n${c.tail}`;
}

/** The output block for text that was printed (strip, then cut). */
export function printedOutput(c: CapturedText, max: number): { text: string; truncated: boolean } {
  if (c.omitted <= 0) {
    const s = (c.head + c.tail).trim();
    return s ? truncateMiddle(s, max) : { text: "Done", truncated: false };
  }
  // The middle is gone, so the whole text is longer than head + tail >= max: it is cut anyway.
  const half = Math.floor(max / 2);
  const head = c.head.trimStart();
  const tail = c.tail.trimEnd();
  return { text: head.slice(0, half) + "..." + (half > 0 ? tail.slice(-half) : ""), truncated: true };
}

export const TIMEOUT_OUTPUT = "Timeout Error";
