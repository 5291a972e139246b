/**
 * Tool-Integrated Reasoning: the model writes Python in its answer, qmath runs it in the
 * sandbox, writes the result back into the answer, and the model continues — on the same
 * sample, without re-evaluating what it already has.
 *
 * The protocol is the one the Qwen2.5-Math models were evaluated with (the evaluation
 * harness's math_eval.py): generation stops at "```output"; if that segment holds no
 * \boxed{} answer and ends with a closing fence, the last complete ```python block is run
 * and "\n```output\n<result>\n```\n" is appended (after the segment's trailing whitespace
 * is trimmed). After the last allowed call "\nReach max function call limit." is appended;
 * where the harness stops there, qmath lets the model finish without tools.
 */
import type { CellStatus, SandboxSession } from "../sandbox/index.js";
import type { FinishReason, Sample } from "../engine/types.js";

export const MAX_CALLS_DEFAULT = 4;
export const CALL_LIMIT_TEXT = "\nReach max function call limit.";

export interface TirCell {
  /** The code that ran (the last complete ```python block at that point). */
  code: string;
  /** What went into the ```output block. */
  output: string;
  status: CellStatus;
  durationMs: number;
  truncated: boolean;
}

export interface TirTranscript {
  /** The whole answer: model text with the output blocks in it. */
  text: string;
  cells: TirCell[];
  /** How the last segment ended ("stop" when the model asked for a tool after the limit). */
  finishReason: FinishReason;
  /** True when the call limit was reached and its text appended. */
  callLimitReached: boolean;
  /** Generation segments: one more than the cells run, unless the sample ended asking for a tool. */
  segments: number;
  timings: { generateMs: number; executeMs: number };
}

export interface TirOptions {
  /** Code executions allowed per sample (default 4). */
  maxCalls?: number;
  /** Wall-clock limit per cell (default: the sandbox's). */
  cellTimeoutMs?: number;
  /** Streamed text: the model's and the appended output blocks. */
  onText?: (delta: string) => void;
  onCell?: (cell: TirCell) => void;
  signal?: AbortSignal;
}

/**
 * The last complete ```python block of the text, as the harness's extract_program reads it:
 * a line starting (or ending) with ```python opens a block, a line starting with ``` closes it.
 */
export function lastPythonBlock(text: string): string {
  let program = "";
  let open = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```python") || line.endsWith("```python")) {
      program = "";
      open = true;
    } else if (line.startsWith("```")) {
      open = false;
    } else if (open) {
      program += line + "\n";
    }
  }
  return program;
}

/** Whether a segment asks for its code to run: no boxed answer, and it ends with a closing fence. */
export function wantsExecution(segment: string): boolean {
  const trimmed = segment.trimEnd();
  return !trimmed.includes("boxed") && trimmed.endsWith("```");
}

/**
 * The text to append after a segment: the harness trims the segment's trailing whitespace
 * and appends "\n```output\n...". A sample cannot take text back, so when the segment
 * already ends with exactly one newline that newline stands in for the "\n".
 */
export function outputBlock(segment: string, output: string): string {
  const trailing = segment.length - segment.trimEnd().length;
  const lead = trailing === 1 && segment.endsWith("\n") ? "" : "\n";
  return `${lead}\`\`\`output\n${output}\n\`\`\`\n`;
}

/** Runs one sample to the end under the TIR protocol. */
export async function runTir(sample: Sample, session: SandboxSession, options: TirOptions = {}): Promise<TirTranscript> {
  const maxCalls = options.maxCalls ?? MAX_CALLS_DEFAULT;
  const cells: TirCell[] = [];
  let generateMs = 0;
  let executeMs = 0;
  let segments = 0;
  let callLimitReached = false;
  const append = (text: string) => {
    sample.append(text);
    options.onText?.(text);
  };
  while (true) {
    const started = performance.now();
    const segment = await sample.generate({ onText: options.onText, signal: options.signal });
    generateMs += performance.now() - started;
    segments++;
    const asksForTool = segment.finishReason === "stop" && segment.stop === "```output" && wantsExecution(segment.text);
    if (!asksForTool || callLimitReached) {
      return { text: sample.text, cells, finishReason: segment.finishReason, callLimitReached, segments, timings: { generateMs, executeMs } };
    }
    const code = lastPythonBlock(sample.text);
    const result = await session.run(code, { timeoutMs: options.cellTimeoutMs, signal: options.signal });
    executeMs += result.durationMs;
    const cell: TirCell = { code, output: result.output, status: result.status, durationMs: result.durationMs, truncated: result.truncated };
    cells.push(cell);
    options.onCell?.(cell);
    append(outputBlock(segment.text, result.output));
    if (cells.length >= maxCalls) {
      append(CALL_LIMIT_TEXT);
      callLimitReached = true;
    }
  }
}
