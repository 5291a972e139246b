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
  worker_failed: 500,
  aborted: 499,
};

/** One schema violation as Fastify's validator (Ajv) reports it. */
interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** "/messages/0/content" → "messages[0].content", the way OpenAI names a field in `param`. */
function fieldName(path: string[]): string {
  return path.reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), "");
}

function pathOf(e: SchemaError): string[] {
  const parts = e.instancePath.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  const missing = e.params.missingProperty ?? e.params.additionalProperty;
  return typeof missing === "string" ? [...parts, missing] : parts;
}

/**
 * The field a refused body got wrong, and a one-line reason. Of several violations (one per
 * alternative of an anyOf), the deepest names the field most precisely.
 */
function describeSchemaErrors(errors: readonly SchemaError[]): { param: string | null; message: string } {
  const ranked = errors.filter((e) => e.keyword !== "anyOf" && e.keyword !== "if");
  const chosen = ranked.reduce<SchemaError | undefined>((best, e) => (!best || pathOf(e).length > pathOf(best).length ? e : best), undefined);
  if (!chosen) return { param: null, message: "the body does not match the schema" };
  const path = pathOf(chosen);
  const param = path.length ? fieldName(path) : null;
  const subject = param ? `'${param}'` : "the body";
  const same = ranked.filter((e) => e.instancePath === chosen.instancePath && e.keyword === chosen.keyword);
  switch (chosen.keyword) {
    case "type": {
      const types = [...new Set(same.map((e) => String(e.params.type)))];
      return { param, message: `${subject} must be ${types.length > 1 ? `${types.slice(0, -1).join(", ")} or ${types.at(-1)}` : types[0]}` };
    }
    case "required":
      return { param, message: `${subject} is required` };
    case "additionalProperties":
      return { param, message: `${subject} is not a known field` };
    case "enum":
      return { param, message: `${subject} must be one of ${(chosen.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    default:
      return { param, message: `${subject} ${chosen.message ?? "is not valid"}` };
  }
}

/** Status and body for any error a route throws; unexpected errors say nothing of internals. */
export function toHttpError(e: unknown): { status: number; body: ErrorBody } {
  if (isQmathError(e)) {
    const status = STATUS_BY_CODE[e.code];
    return { status, body: errorBody(e.toLine(), status >= 500 ? "server_error" : "invalid_request_error", e.code) };
  }
  const fastify = e as { statusCode?: number; code?: string; message?: string; validation?: unknown; validationContext?: string };
  if (Array.isArray(fastify.validation)) {
    const { param, message } = describeSchemaErrors(fastify.validation as SchemaError[]);
    return { status: 400, body: errorBody(`Invalid request: ${message}.`, "invalid_request_error", "invalid_request", param) };
  }
  if (fastify.code === "FST_ERR_CTP_BODY_TOO_LARGE")
    return { status: 413, body: errorBody("The request body is too large.", "invalid_request_error", "body_too_large") };
  if (fastify.statusCode && fastify.statusCode >= 400 && fastify.statusCode < 500)
    return { status: fastify.statusCode, body: errorBody(fastify.message ?? "Bad request.", "invalid_request_error", fastify.code ?? null) };
  return { status: 500, body: errorBody("The server failed to handle the request.", "server_error", "internal_error") };
}
