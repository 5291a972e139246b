/**
 * A stand-in for `qmath serve` for the chat page's browser test: node:http on 127.0.0.1, serving
 * the page (src/server/static), the two vendor paths from node_modules, and the HTTP contract the
 * page uses (GET /v1/models, POST /v1/solve streamed, POST /v1/chat/completions streamed) with
 * recorded model text. The test can make the next request fail, require an API key, and hold the
 * solve stream half way to look at the page mid-stream.
 */
import { packageRoot } from "../../src/config.js";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { dirname, extname, join, normalize, sep } from "node:path";

/** The repository root. */
export const repoRoot = packageRoot();

export const MODEL_ID = "qwen2.5-math-1.5b-instruct";

/** Sample 0 of the recorded TIR solve: every math delimiter, a code cell and its output. */
export const SAMPLE0_HEAD = [
  "To add the fractions, compute $\\frac{1}{2}+\\frac{1}{3}$ over a common denominator:",
  "",
  "$$\\frac{1}{2}+\\frac{1}{3}=\\frac{3}{6}+\\frac{2}{6}$$",
  "",
  "Let's verify this with Python:",
  "",
].join("\n");
export const SAMPLE0_TAIL = [
  "```python",
  "from sympy import Rational",
  "",
  "result = Rational(1, 2) + Rational(1, 3)",
  "print(result)",
  "```",
  "```output",
  "5/6",
  "```",
  "The output \\(\\frac{5}{6}\\) agrees with the hand computation, since",
  "\\[\\frac{3}{6}+\\frac{2}{6}=\\frac{5}{6}.\\]",
  "**Therefore**, the sum is $\\boxed{\\frac{5}{6}}$.",
].join("\n");
export const SAMPLE0 = SAMPLE0_HEAD + SAMPLE0_TAIL;
const SAMPLE1 = "Adding the numerators and the denominators gives $\\frac{1+1}{2+4}$, so the answer is $\\boxed{\\frac{1}{6}}$.";
const SAMPLE2 = "The least common denominator is $6$, and $\\frac{3}{6}+\\frac{2}{6}=\\frac{5}{6}$. The answer is $\\boxed{\\frac{5}{6}}$.";

/** The streamed follow-up: Markdown, a bare \boxed{} outside math delimiters and \(...\). */
export const FOLLOW_UP = [
  "Step 2 rewrites each fraction with the denominator $6$:",
  "",
  "1. \\(\\frac{1}{2}=\\frac{3}{6}\\), multiplying top and bottom by $3$;",
  "2. \\(\\frac{1}{3}=\\frac{2}{6}\\), multiplying top and bottom by $2$.",
  "",
  "Then the numerators add: \\boxed{\\frac{5}{6}}",
].join("\n");

export const CELL = { code: "from sympy import Rational\n\nresult = Rational(1, 2) + Rational(1, 3)\nprint(result)", output: "5/6", status: "ok" };

export interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface StandIn {
  url: string;
  requests: Recorded[];
  /** Paths asked for that do not exist (a missing font or script shows up here). */
  notFound: string[];
  /** The next API request fails with this status and message (then it is cleared). */
  failNext: { status: number; message: string; type?: string } | null;
  /** When set, API requests without `Authorization: Bearer <key>` get a 401. */
  requiredKey: string | null;
  /** Hold the next solve stream after its first part until `release()`. */
  holdSolve: boolean;
  /** Resolves when a held solve stream reaches its hold point. */
  held(): Promise<void>;
  release(): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
};

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export async function startStandIn(): Promise<StandIn> {
  const staticDir = join(repoRoot, "src", "server", "static");
  const katexDir = join(repoRoot, "node_modules", "katex", "dist");
  const markedFile = join(repoRoot, "node_modules", "marked", "lib", "marked.esm.js");
  let reachedHold = deferred();
  let releaseHold = deferred();

  const state: StandIn = {
    url: "",
    requests: [],
    notFound: [],
    failNext: null,
    requiredKey: null,
    holdSolve: false,
    held: () =>
      Promise.race([
        reachedHold.promise,
        new Promise<void>((_, reject) => setTimeout(() => reject(new Error("no solve stream reached its hold point")), 15_000).unref()),
      ]),
    release: () => releaseHold.resolve(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  async function sendFile(res: ServerResponse, root: string, rel: string, urlPath: string): Promise<void> {
    const path = normalize(join(root, rel));
    if (path !== root && !path.startsWith(root + sep)) return notFound(res, urlPath);
    try {
      const body = await readFile(path);
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream", "cache-control": "no-cache" });
      res.end(body);
    } catch {
      notFound(res, urlPath);
    }
  }
  function notFound(res: ServerResponse, urlPath: string): void {
    state.notFound.push(urlPath);
    sendError(res, 404, `No route for ${urlPath}`, "not_found");
  }
  function sendError(res: ServerResponse, status: number, message: string, type: string): void {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message, type, code: type } }));
  }
  function sse(res: ServerResponse): (data: unknown) => void {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    return (data) => res.write(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
  }

  async function readBody(req: IncomingMessage): Promise<unknown> {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if (!raw) return undefined;
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }

  async function solve(res: ServerResponse, body: { problem?: string; mode?: string; n?: number; stream?: boolean }): Promise<void> {
    if (!body || typeof body.problem !== "string" || !body.problem.trim()) return sendError(res, 400, "problem must be a non-empty string", "invalid_request_error");
    const n = body.n ?? 1;
    const texts = [SAMPLE0, SAMPLE1, SAMPLE2].slice(0, Math.max(1, Math.min(3, n)));
    const result = {
      model: MODEL_ID,
      mode: body.mode ?? "cot",
      answer: "\\frac{5}{6}",
      text: SAMPLE0,
      selected: 0,
      samples: texts.map((text, index) => ({
        index,
        text,
        answer: index === 1 ? "\\frac{1}{6}" : "\\frac{5}{6}",
        finish_reason: "stop",
        ...(index === 0 && body.mode === "tir" ? { cells: [CELL] } : {}),
      })),
      ...(texts.length > 1
        ? { vote: [{ answer: "\\frac{5}{6}", size: 2, members: [0, 2] }, { answer: "\\frac{1}{6}", size: 1, members: [1] }] }
        : {}),
      usage: { prompt_tokens: 61, completion_tokens: 187 },
      timings: { total_ms: 1234 },
    };
    if (!body.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(result));
      return;
    }
    const send = sse(res);
    const crash = body.problem.includes("[crash]");
    const hold = state.holdSolve;
    state.holdSolve = false;
    // Sample 0's head, interleaved with the other samples' first chunks.
    const others = texts.slice(1).map((t) => chunks(t, 9));
    for (const [i, piece] of chunks(SAMPLE0_HEAD, 9).entries()) {
      send({ type: "text", sample: 0, delta: piece });
      others.forEach((c, k) => c[i] !== undefined && send({ type: "text", sample: k + 1, delta: c[i] }));
      await sleep(4);
    }
    if (crash) {
      send({ type: "error", error: { message: "the engine ran out of memory", type: "server_error", code: "engine_failed" } });
      send("[DONE]");
      res.end();
      return;
    }
    if (hold) {
      reachedHold.resolve();
      await releaseHold.promise;
      reachedHold = deferred();
      releaseHold = deferred();
    }
    const [beforeOutput, afterOutput] = SAMPLE0_TAIL.split("```output");
    for (const piece of chunks(beforeOutput!, 9)) {
      send({ type: "text", sample: 0, delta: piece });
      await sleep(4);
    }
    if (body.mode === "tir") send({ type: "cell", sample: 0, cell: CELL });
    for (const piece of chunks("```output" + afterOutput!, 9)) {
      send({ type: "text", sample: 0, delta: piece });
      await sleep(4);
    }
    others.forEach((c, k) => c.slice(chunks(SAMPLE0_HEAD, 9).length).forEach((piece) => send({ type: "text", sample: k + 1, delta: piece })));
    send({ type: "result", result });
    send("[DONE]");
    res.end();
  }

  async function chatCompletions(res: ServerResponse, body: { model?: string; messages?: unknown[]; stream?: boolean }): Promise<void> {
    if (!body || !Array.isArray(body.messages) || body.messages.length === 0) return sendError(res, 400, "messages must be a non-empty array", "invalid_request_error");
    if (body.model !== MODEL_ID) return sendError(res, 404, `The model '${String(body.model)}' does not exist`, "model_not_found");
    const id = "chatcmpl-standin";
    const created = Math.floor(Date.now() / 1000);
    if (!body.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id, object: "chat.completion", created, model: MODEL_ID, choices: [{ index: 0, message: { role: "assistant", content: FOLLOW_UP }, finish_reason: "stop" }] }));
      return;
    }
    const send = sse(res);
    const chunk = (delta: object, finish: string | null) => ({ id, object: "chat.completion.chunk", created, model: MODEL_ID, choices: [{ index: 0, delta, finish_reason: finish }] });
    send(chunk({ role: "assistant", content: "" }, null));
    for (const piece of chunks(FOLLOW_UP, 7)) {
      send(chunk({ content: piece }, null));
      await sleep(4);
    }
    send(chunk({}, "stop"));
    send("[DONE]");
    res.end();
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://stand-in");
      const path = decodeURIComponent(url.pathname);
      if (!path.startsWith("/v1/")) {
        if (req.method !== "GET") return sendError(res, 405, "method not allowed", "invalid_request_error");
        if (path.startsWith("/vendor/katex/")) return sendFile(res, katexDir, path.slice("/vendor/katex/".length), path);
        if (path === "/vendor/marked.esm.js") return sendFile(res, dirname(markedFile), "marked.esm.js", path);
        return sendFile(res, staticDir, path === "/" ? "index.html" : path.slice(1), path);
      }
      const body = req.method === "POST" ? await readBody(req) : undefined;
      state.requests.push({ method: req.method ?? "", path, authorization: req.headers.authorization, body });
      if (state.failNext) {
        const f = state.failNext;
        state.failNext = null;
        return sendError(res, f.status, f.message, f.type ?? "error");
      }
      if (state.requiredKey && req.headers.authorization !== `Bearer ${state.requiredKey}`) {
        return sendError(res, 401, "Missing or invalid API key", "authentication_error");
      }
      if (req.method === "GET" && path === "/v1/models") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ object: "list", data: [{ id: MODEL_ID, object: "model", owned_by: "qmath" }] }));
        return;
      }
      if (req.method === "POST" && path === "/v1/solve") return solve(res, body as Parameters<typeof solve>[1]);
      if (req.method === "POST" && path === "/v1/chat/completions") return chatCompletions(res, body as Parameters<typeof chatCompletions>[1]);
      return notFound(res, path);
    })().catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, String(err), "server_error");
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
