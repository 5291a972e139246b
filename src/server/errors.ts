/** OpenAI-style error bodies, and how qmath's errors map onto HTTP statuses. */
import { isQmathError, type QmathErrorCode } from "../errors.js";

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function errorBody(message: string, type = "invalid_request_error", code: string | null = null, param: string | null = null): ErrorBody {
  return { error: { message, type, param, code } };
}

const STATUS_BY_CODE: Record<QmathErrorCode, number> = {
  bad_input: 400,
  context_overflow: 400,
  model_not_found: 404,
  model_invalid: 500,
  download_failed: 502,
  engine_failed: 500,
  sandbox_unavailable: 503,
  aborted: 499,
};

/** Status and body for any error a route throws; unexpected errors say nothing of internals. */
export function toHttpError(e: unknown): { status: number; body: ErrorBody } {
  if (isQmathError(e)) {
    const status = STATUS_BY_CODE[e.code];
    return { status, body: errorBody(e.toLine(), status >= 500 ? "server_error" : "invalid_request_error", e.code) };
  }
  const fastify = e as { statusCode?: number; code?: string; message?: string; validation?: unknown; validationContext?: string };
  if (fastify.validation) return { status: 400, body: errorBody(`Invalid request: ${fastify.message}.`, "invalid_request_error", "invalid_request") };
  if (fastify.code === "FST_ERR_CTP_BODY_TOO_LARGE")
    return { status: 413, body: errorBody("The request body is too large.", "invalid_request_error", "body_too_large") };
  if (fastify.statusCode && fastify.statusCode >= 400 && fastify.statusCode < 500)
    return { status: fastify.statusCode, body: errorBody(fastify.message ?? "Bad request.", "invalid_request_error", fastify.code ?? null) };
  return { status: 500, body: errorBody("The server failed to handle the request.", "server_error", "internal_error") };
}
