/**
 * Errors a user can cause (bad flags, a missing model, a prompt that does not fit) are
 * QmathError values: a one-line message saying what is wrong and a hint saying what to do.
 * The CLI prints them as one line and exits with code 2; the server turns them into an
 * OpenAI-style error body. Anything else is a bug and keeps its stack trace.
 */
export type QmathErrorCode =
  | "bad_input"
  | "model_not_found"
  | "model_invalid"
  | "download_failed"
  | "context_overflow"
  | "engine_failed"
  | "sandbox_unavailable"
  | "worker_failed"
  | "aborted";

export class QmathError extends Error {
  readonly code: QmathErrorCode;
  readonly hint: string | undefined;

  constructor(code: QmathErrorCode, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "QmathError";
    this.code = code;
    this.hint = hint;
  }

  /** The one line the CLI prints: "what is wrong. what to do." */
  toLine(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

export function isQmathError(e: unknown): e is QmathError {
  return e instanceof QmathError;
}
