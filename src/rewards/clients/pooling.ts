/**
 * A client for vLLM's Pooling API (`POST /pooling`), the endpoint vLLM serves reward models
 * on. The schema, from vLLM's protocol (PoolingCompletionRequest / PoolingResponse):
 *
 *   request:  {"model": "<served name>", "input": ["<text>", ...]}
 *   response: {"id": "pool-…", "object": "list", "created": 0, "model": "…",
 *              "data": [{"index": 0, "object": "pooling", "data": [[…], …]}, …],
 *              "usage": {"prompt_tokens": …, "total_tokens": …}}
 *   error:    {"error": {"message": "…", "type": "…", "code": …}} (older versions:
 *              {"object": "error", "message": "…", "type": "…", "code": …})
 *
 * `data[i].data` is one vector per pooled token: every token for an outcome reward model
 * (ALL pooling, Qwen2ForRewardModel), the step-tag tokens for a process reward model
 * (STEP pooling, Qwen2ForProcessRewardModel). Anything else the server says (no /pooling
 * route, a model that is not a pooling model, a body without data) is a QmathError that
 * quotes the server's answer.
 */
import { QmathError } from "../../errors.js";

export interface PoolingClientOptions {
  /** The vLLM server, e.g. http://127.0.0.1:8000 (a trailing /v1 is accepted). */
  baseUrl: string;
  /** The served model name, sent as "model". */
  model: string;
  /** Sent as "Authorization: Bearer <key>" (vllm serve --api-key). */
  apiKey?: string;
  /** Per request (default 300,000 ms: a 72B model on long responses is slow). */
  timeoutMs?: number;
  /** Texts per request (default 16). */
  batchSize?: number;
  /** Extra request fields (for example {"task": "token_classify"} on vLLM versions that need it). */
  extraBody?: Record<string, unknown>;
}

/** One pooled output: a vector per pooled token (or a flat vector). */
export type PooledData = number[][] | number[];

const DEFAULT_TIMEOUT_MS = 300_000;
const DEFAULT_BATCH = 16;
const CONCURRENT = 4;

function poolingUrl(baseUrl: string): string {
  let base = baseUrl.trim().replace(/\/+$/, "");
  if (base.endsWith("/v1")) base = base.slice(0, -3);
  if (!/^https?:\/\//.test(base)) throw new QmathError("bad_input", `The reward model URL '${baseUrl}' is not an http(s) URL.`, "Give the vLLM server's address, e.g. http://127.0.0.1:8000.");
  return `${base}/pooling`;
}

/** At most 300 characters of what the server said, on one line. */
function quote(text: string): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > 300 ? `${t.slice(0, 299)}…` : t;
}

/** The message of an error body in either of vLLM's shapes, or null. */
function errorMessage(body: unknown): string | null {
  if (!body || typeof body !== "object") return null;
  const b = body as Record<string, unknown>;
  if (b.error && typeof b.error === "object") {
    const m = (b.error as Record<string, unknown>).message;
    return typeof m === "string" ? m : JSON.stringify(b.error);
  }
  if (typeof b.error === "string") return b.error;
  if (b.object === "error" && typeof b.message === "string") return b.message;
  return null;
}

const HINT =
  "Serve a reward model with vLLM's pooling runner (see the README: vllm serve Qwen/Qwen2.5-Math-RM-72B --runner pooling ...) and pass its address and served model name.";

function isVector(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === "number");
}

function isPooled(v: unknown): v is PooledData {
  return isVector(v) || (Array.isArray(v) && v.length > 0 && v.every(isVector));
}

/** POSTs one batch; returns each input's pooled data, in input order. */
async function postBatch(url: string, options: PoolingClientOptions, inputs: readonly string[]): Promise<PooledData[]> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  const body = JSON.stringify({ model: options.model, input: inputs, ...options.extraBody });
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
  } catch (e) {
    const timedOut = e instanceof DOMException && e.name === "TimeoutError";
    const why = timedOut ? `no answer within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms` : String((e as { cause?: unknown }).cause ?? e);
    throw new QmathError("engine_failed", `The reward model server at ${url} could not be reached (${quote(why)}).`, "Check that vllm serve is running there.", { cause: e });
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const detail = (parsed as { detail?: unknown } | undefined)?.detail; // FastAPI's own body for an unknown route
  const said = errorMessage(parsed) ?? (typeof detail === "string" ? detail : quote(text || "(empty body)"));
  if (res.status === 404 && errorMessage(parsed) === null) {
    throw new QmathError("engine_failed", `The server at ${url} has no Pooling API (HTTP 404: ${quote(said)}), so it does not serve a reward model.`, HINT);
  }
  if (!res.ok) throw new QmathError("engine_failed", `The reward model server refused the request (HTTP ${res.status}: ${quote(said)}).`, HINT);
  if (parsed === undefined) throw new QmathError("engine_failed", `The reward model server answered with something that is not JSON: ${quote(text || "(empty body)")}.`, HINT);
  const err = errorMessage(parsed);
  if (err !== null) throw new QmathError("engine_failed", `The reward model server answered with an error: ${quote(err)}.`, HINT);
  const data = (parsed as { data?: unknown }).data;
  if (!Array.isArray(data) || data.length !== inputs.length)
    throw new QmathError(
      "engine_failed",
      `The reward model server's answer has no pooling data for the ${inputs.length} input${inputs.length === 1 ? "" : "s"} sent: ${quote(text)}.`,
      HINT,
    );
  const out: PooledData[] = new Array(inputs.length);
  data.forEach((d: unknown, position) => {
    const item = d as { index?: unknown; data?: unknown } | null;
    const index = typeof item?.index === "number" ? item.index : position;
    if (!item || !isPooled(item.data) || index < 0 || index >= inputs.length)
      throw new QmathError("engine_failed", `The reward model server's answer is not pooling output (item ${position}: ${quote(JSON.stringify(d) ?? "undefined")}).`, HINT);
    out[index] = item.data;
  });
  if (out.some((d) => d === undefined)) throw new QmathError("engine_failed", `The reward model server's answer repeats an index and leaves an input without output.`, HINT);
  return out;
}

/** Pooled outputs for every input, sent in batches of `batchSize`, in input order. */
export async function pool(options: PoolingClientOptions, inputs: readonly string[]): Promise<PooledData[]> {
  const url = poolingUrl(options.baseUrl);
  const size = options.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(size) || size < 1) throw new QmathError("bad_input", `The reward model batch size must be a whole number of at least 1, not ${size}.`);
  const starts: number[] = [];
  for (let i = 0; i < inputs.length; i += size) starts.push(i);
  const results: PooledData[][] = new Array(starts.length);
  // At most CONCURRENT requests in flight: vLLM batches them itself.
  let next = 0;
  const worker = async () => {
    while (next < starts.length) {
      const b = next++;
      results[b] = await postBatch(url, options, inputs.slice(starts[b]!, starts[b]! + size));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT, starts.length) }, worker));
  return results.flat();
}
