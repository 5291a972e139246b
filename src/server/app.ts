/**
 * The qmath HTTP server: the OpenAI-compatible API, the math endpoints, operations
 * (health, metrics, API keys, body limits, admission with 429) and the chat page, over one
 * engine. `close()` stops accepting requests, lets running ones finish, then frees the engine.
 */
import Fastify, { type FastifyInstance } from "fastify";
import type { Engine } from "../engine/types.js";
import { createSandbox, type Sandbox, type SandboxOptions } from "../sandbox/index.js";
import { AdmissionGate } from "./admission.js";
import { errorBody, toHttpError } from "./errors.js";
import { registerMathRoutes } from "./math-routes.js";
import { mathWorkerCount, MathWorkers } from "./math-work.js";
import { ServerMetrics } from "./prometheus.js";
import { registerOpenAiRoutes, type RequestDefaults } from "./openai-routes.js";
import { registerResponsesRoute } from "./responses-routes.js";
import { registerCors } from "./cors.js";
import { registerRewardRoutes } from "./reward-routes.js";
import type { RewardScorer } from "../select/reward.js";
import { registerStaticFiles } from "./static-files.js";

export interface ServerOptions {
  engine: Engine;
  /** The model id clients name (default: the engine's model name). */
  modelId?: string;
  /** More names the model answers to (serve's --served-model-name). */
  modelAliases?: readonly string[];
  /** Sampling settings for requests that do not set them (serve's --temperature, ...). */
  requestDefaults?: RequestDefaults;
  /** Origins whose pages may call the API (CORS; "*" for any); none: no CORS headers. */
  corsOrigins?: readonly string[];
  /** Keys accepted as "Authorization: Bearer <key>"; none means no authentication. */
  apiKeys?: readonly string[];
  /** Generation requests admitted at once, running or waiting (default 16); more get 429. */
  queueSize?: number;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Items per /v1/grade or /v1/extract batch (default 10,000). */
  maxBatch?: number;
  sandboxOptions?: SandboxOptions;
  /** A reward model for /v1/reward's shaped reward (none: the rule reward only). */
  rewardScorer?: RewardScorer;
  /** Log requests (default false). */
  logger?: boolean;
  /**
   * CPU threads the server may use (default: every core). Grading and extraction run in
   * that many worker threads less one (the event loop keeps a core), at least 1 and at most 8.
   */
  threads?: number;
  /** Worker threads to grade and extract with, shared with whoever made them (default: the server makes and closes its own). */
  work?: MathWorkers;
}

export interface QmathServer {
  app: FastifyInstance;
  metrics: ServerMetrics;
  gate: AdmissionGate;
  /** The worker threads that grade and extract. */
  work: MathWorkers;
  /** Starts listening; resolves to the address. */
  listen(port: number, host?: string): Promise<string>;
  /** Graceful shutdown: no new requests, running ones finish, then the sandbox and engine close. */
  close(): Promise<void>;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route answers without an API key (health, the chat page's files); every other route needs one. */
    public?: boolean;
  }
}

export function createServer(options: ServerOptions): QmathServer {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    forceCloseConnections: "idle",
    // A value of the wrong JSON type is refused, never converted (5 is not the string "5", null is not "").
    ajv: { customOptions: { coerceTypes: false } },
  });
  const metrics = new ServerMetrics();
  const gate = new AdmissionGate(options.queueSize ?? 16);
  const modelId = options.modelId ?? options.engine.info.model;
  const keys = new Set(options.apiKeys ?? []);
  const work = options.work ?? new MathWorkers(mathWorkerCount(options.threads));
  let sandbox: Promise<Sandbox> | undefined;
  const getSandbox = () => {
    sandbox ??= createSandbox({ spares: 4, ...options.sandboxOptions }).catch((e: unknown) => {
      sandbox = undefined; // try again on the next request
      throw e;
    });
    return sandbox;
  };

  if (options.corsOrigins?.length) registerCors(app, options.corsOrigins);
  // Decided on the route the router matched (after it decoded the path), not on the raw
  // target: any spelling that reaches a route reaches its check. Unmatched requests need a key too.
  app.addHook("onRequest", async (request, reply) => {
    if (keys.size === 0 || request.routeOptions.config.public === true) return;
    // The scheme is case-insensitive (RFC 9110): "bearer <key>" works too.
    const key = /^bearer\s+(.*)$/i.exec(request.headers.authorization ?? "")?.[1]?.trim() ?? "";
    if (!keys.has(key)) {
      return reply
        .code(401)
        .send(errorBody(key ? "The API key is not valid." : "An API key is required: send 'Authorization: Bearer <key>'.", "invalid_request_error", "invalid_api_key"));
    }
  });
  app.addHook("onResponse", async (request, reply) => {
    metrics.countRequest(request.routeOptions.url ?? "unmatched", reply.statusCode);
  });
  app.setErrorHandler((error, _request, reply) => {
    const { status, body } = toHttpError(error);
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody(`No route ${request.method} ${request.url.split("?")[0]}.`, "invalid_request_error", "not_found")),
  );

  app.get("/health", { config: { public: true } }, async () => ({ status: "ok", model: modelId, queue_depth: gate.depth }));
  app.get("/metrics", async (_request, reply) =>
    reply.header("content-type", "text/plain; version=0.0.4").send(metrics.render({ queueDepth: gate.depth })),
  );
  const openAi = { engine: options.engine, modelId, aliases: options.modelAliases, defaults: options.requestDefaults, gate, metrics };
  registerOpenAiRoutes(app, openAi);
  registerResponsesRoute(app, openAi);
  registerMathRoutes(app, { engine: options.engine, modelId, gate, metrics, sandbox: getSandbox, maxBatch: options.maxBatch ?? 10_000, work });
  registerRewardRoutes(app, { scorer: options.rewardScorer, maxBatch: options.maxBatch ?? 10_000, work });
  registerStaticFiles(app);

  return {
    app,
    metrics,
    gate,
    work,
    listen: (port, host = "127.0.0.1") => app.listen({ port, host }),
    async close() {
      await app.close(); // stops accepting; waits for running requests
      await gate.idle();
      if (!options.work) await work.close();
      if (sandbox) await (await sandbox.catch(() => undefined))?.close();
      await options.engine.close();
    },
  };
}
