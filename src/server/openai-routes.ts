/**
 * The OpenAI-compatible API: GET /v1/models, POST /v1/chat/completions, POST /v1/completions,
 * with streaming (server-sent events in OpenAI's chunk format), n, stop, temperature, top_p,
 * top_k, seed, max_tokens, usage (with cached prompt tokens) and finish_reason; and vLLM's
 * POST /tokenize. Like vLLM, a choice that ended at a stop string
 * names it in `stop_reason`.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { Engine, Sample, Segment } from "../engine/types.js";
import { chatMLPrompt, type ChatMessage } from "../prompts/chatml.js";
import { CHAT_STOPS } from "../prompts/formats.js";
import type { AdmissionGate } from "./admission.js";
import { errorBody, toHttpError } from "./errors.js";
import type { ServerMetrics } from "./prometheus.js";
import { EventStream } from "./event-stream.js";

export interface OpenAiContext {
  engine: Engine;
  modelId: string;
  gate: AdmissionGate;
  metrics: ServerMetrics;
}

const samplingSchema = {
  model: { type: "string" },
  // OpenAI lets these be null, meaning "not set": the default applies.
  n: { type: ["integer", "null"], minimum: 1, maximum: 64 },
  stream: { type: ["boolean", "null"] },
  stream_options: { type: ["object", "null"], properties: { include_usage: { type: ["boolean", "null"] } } },
  stop: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" }, maxItems: 16 }, { type: "null" }] },
  temperature: { type: ["number", "null"], minimum: 0, maximum: 2 },
  top_p: { type: ["number", "null"], exclusiveMinimum: 0, maximum: 1 },
  top_k: { type: ["integer", "null"], minimum: -1 },
  seed: { type: ["integer", "null"] },
  max_tokens: { type: ["integer", "null"], minimum: 1 },
  max_completion_tokens: { type: ["integer", "null"], minimum: 1 },
} as const;

const chatSchema = {
  type: "object",
  required: ["model", "messages"],
  properties: {
    ...samplingSchema,
    messages: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["role", "content"],
        properties: { role: { enum: ["system", "user", "assistant"] }, content: { type: "string" } },
      },
    },
  },
} as const;

const completionSchema = {
  type: "object",
  required: ["model", "prompt"],
  properties: { ...samplingSchema, prompt: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" }, minItems: 1, maxItems: 1 }] } },
} as const;

const tokenizeSchema = {
  type: "object",
  required: ["prompt"],
  properties: { model: { type: "string" }, prompt: { type: "string" } },
} as const;

interface SamplingBody {
  model: string;
  n?: number | null;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean | null } | null;
  stop?: string | string[] | null;
  temperature?: number | null;
  top_p?: number | null;
  /** vLLM's extension: -1 or 0 is off. */
  top_k?: number | null;
  seed?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
}

/** OpenAI's finish_reason, and vLLM's stop_reason (the stop string that fired). */
function finish(segment: Segment): { finish_reason: string; stop_reason: string | null } {
  if (segment.finishReason === "length") return { finish_reason: "length", stop_reason: null };
  return { finish_reason: "stop", stop_reason: segment.finishReason === "stop" ? (segment.stop ?? null) : null };
}

type Kind = "chat" | "completion";

export function registerOpenAiRoutes(app: FastifyInstance, ctx: OpenAiContext): void {
  app.get("/v1/models", async () => ({
    object: "list",
    data: [{ id: ctx.modelId, object: "model", created: 0, owned_by: "qmath", max_model_len: ctx.engine.info.contextSize }],
  }));

  // vLLM's tokenizer endpoint ({model, prompt} → {count, max_model_len}), so that remote
  // engines count tokens as this server's model does.
  app.post("/tokenize", { schema: { body: tokenizeSchema } }, async (request, reply) => {
    const body = request.body as { model?: string; prompt: string };
    if (body.model !== undefined && body.model !== ctx.modelId)
      return reply.code(404).send(errorBody(`The model '${body.model}' does not exist; this server serves '${ctx.modelId}'.`, "invalid_request_error", "model_not_found", "model"));
    return { count: await ctx.engine.countTokens(body.prompt), max_model_len: ctx.engine.info.contextSize };
  });

  const handle = (kind: Kind) => async (request: import("fastify").FastifyRequest, reply: import("fastify").FastifyReply) => {
    const body = request.body as SamplingBody & { messages?: ChatMessage[]; prompt?: string | string[] };
    if (body.model !== ctx.modelId)
      return reply.code(404).send(errorBody(`The model '${body.model}' does not exist; this server serves '${ctx.modelId}'.`, "invalid_request_error", "model_not_found", "model"));
    const admission = ctx.gate.admit(request, reply);
    if (!admission) return reply;
    // Chat messages are plain text (a typed <|im_start|> stays text); a raw completion prompt is parsed as vLLM parses it.
    const prompt = kind === "chat" ? chatMLPrompt(body.messages!) : Array.isArray(body.prompt) ? body.prompt[0]! : body.prompt!;
    const userStops = body.stop == null ? [] : Array.isArray(body.stop) ? body.stop : [body.stop];
    const n = body.n ?? 1;
    const id = `${kind === "chat" ? "chatcmpl" : "cmpl"}-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const object = kind === "chat" ? "chat.completion" : "text_completion";
    let samples: Sample[] = [];
    try {
      samples = await ctx.engine.open({
        prompt,
        n,
        stop: [...CHAT_STOPS, ...userStops],
        maxTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
        temperature: body.temperature ?? 1,
        topP: body.top_p ?? 1,
        topK: body.top_k != null && body.top_k > 0 ? body.top_k : undefined,
        seed: body.seed ?? undefined,
        signal: admission.signal,
      });
      // Like vLLM with --enable-prompt-tokens-details: cached_tokens are prompt tokens that were
      // not evaluated again (a shared prefix in a sequence's cache, the copies for samples after the first).
      const usage = () => {
        const completion = samples.reduce((a, s) => a + s.usage.completionTokens, 0);
        const promptTokens = samples[0]!.usage.promptTokens;
        const evaluated = samples.reduce((a, s) => a + s.usage.promptTokensEvaluated, 0);
        return {
          prompt_tokens: promptTokens,
          completion_tokens: completion,
          total_tokens: promptTokens + completion,
          prompt_tokens_details: { cached_tokens: Math.max(0, promptTokens - evaluated) },
        };
      };

      if (!body.stream) {
        const segments = await Promise.all(samples.map((s) => s.generate()));
        ctx.metrics.countTokens(segments.reduce((a, s) => a + s.tokens, 0));
        const choices = segments.map((seg, index) =>
          kind === "chat"
            ? { index, message: { role: "assistant", content: seg.text }, logprobs: null, ...finish(seg) }
            : { index, text: seg.text, logprobs: null, ...finish(seg) },
        );
        return reply.send({ id, object, created, model: ctx.modelId, choices, usage: usage() });
      }

      reply.hijack();
      const stream = new EventStream(reply.raw);
      const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
        stream.send({ id, object: kind === "chat" ? "chat.completion.chunk" : "text_completion", created, model: ctx.modelId, choices, ...extra });
      await Promise.all(
        samples.map(async (sample, index) => {
          if (kind === "chat") chunk([{ index, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }]);
          const seg = await sample.generate({
            onText: (d) => chunk([kind === "chat" ? { index, delta: { content: d }, logprobs: null, finish_reason: null } : { index, text: d, logprobs: null, finish_reason: null }]),
          });
          ctx.metrics.countTokens(seg.tokens);
          if (seg.finishReason !== "abort") chunk([kind === "chat" ? { index, delta: {}, logprobs: null, ...finish(seg) } : { index, text: "", logprobs: null, ...finish(seg) }]);
        }),
      );
      if (body.stream_options?.include_usage) chunk([], { usage: usage() });
      stream.end();
      return reply;
    } catch (e) {
      const { status, body: errBody } = toHttpError(e);
      if (reply.raw.headersSent) {
        // Mid-stream: the error goes into the stream, as OpenAI-compatible servers do.
        if (!reply.raw.writableEnded) reply.raw.end(`data: ${JSON.stringify(errBody)}\n\ndata: [DONE]\n\n`);
        return reply;
      }
      return reply.code(status).send(errBody);
    } finally {
      await Promise.all(samples.map((s) => s.close()));
      admission.release();
    }
  };

  app.post("/v1/chat/completions", { schema: { body: chatSchema } }, handle("chat"));
  app.post("/v1/completions", { schema: { body: completionSchema } }, handle("completion"));
}
