/**
 * The OpenAI-compatible API: GET /v1/models and /v1/models/{id} (the model under every name it
 * is served as), POST /v1/chat/completions, POST /v1/completions (one prompt or a list), with
 * streaming (server-sent events in OpenAI's chunk format), n, stop, temperature, top_p, seed,
 * max_tokens, presence/frequency penalties, logit_bias, vLLM's top_k, min_p and
 * repetition_penalty, response_format (JSON mode and JSON schemas, constrained by the engine),
 * logprobs (chat's and the legacy completions shape), usage (with cached prompt tokens) and
 * finish_reason; and vLLM's
 * POST /tokenize. Null means "not set" wherever OpenAI allows it. Like vLLM, a choice that
 * ended at a stop string names it in `stop_reason`.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { MAX_TOP_LOGPROBS, type Engine, type OpenRequest, type Prompt, type Sample, type Segment, type TokenLogprob } from "../engine/types.js";
import { chatPrompt } from "../prompts/chat-template.js";
import { chatMessages, requestedLogprobs, responseFormat, unsupportedRequest, type OpenAiMessage, type UnsupportedFields } from "./chat-request.js";
import { CHAT_STOPS } from "../prompts/formats.js";
import type { AdmissionGate } from "./admission.js";
import { errorBody, toHttpError } from "./errors.js";
import type { ServerMetrics } from "./prometheus.js";
import { EventStream } from "./event-stream.js";
import { StreamedLogprobs } from "./streamed-logprobs.js";

/** Sampling settings that apply to requests that do not set them (serve's --temperature, ...). */
export interface RequestDefaults {
  temperature?: number;
  topP?: number;
  topK?: number;
  seed?: number;
  maxTokens?: number;
}

export interface OpenAiContext {
  engine: Engine;
  modelId: string;
  /** Other names clients may give the model (serve's --served-model-name). */
  aliases?: readonly string[];
  defaults?: RequestDefaults;
  gate: AdmissionGate;
  metrics: ServerMetrics;
}

/** A JSON-schema type that may also be null ("not set"). */
export const nullable = (type: string) => ({ type: [type, "null"] });
const penalty = { type: ["number", "null"], minimum: -2, maximum: 2 } as const;

// OpenAI lets each of these be null, meaning "not set": the default applies.
const samplingSchema = {
  model: { type: "string" },
  n: { type: ["integer", "null"], minimum: 1, maximum: 64 },
  stream: nullable("boolean"),
  stream_options: { type: ["object", "null"], properties: { include_usage: nullable("boolean") } },
  stop: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" }, maxItems: 16 }, { type: "null" }] },
  temperature: { type: ["number", "null"], minimum: 0, maximum: 2 },
  top_p: { type: ["number", "null"], exclusiveMinimum: 0, maximum: 1 },
  seed: nullable("integer"),
  max_tokens: { type: ["integer", "null"], minimum: 1 },
  max_completion_tokens: { type: ["integer", "null"], minimum: 1 },
  presence_penalty: penalty,
  frequency_penalty: penalty,
  logit_bias: {
    type: ["object", "null"],
    propertyNames: { pattern: "^[0-9]+$" },
    additionalProperties: { type: "number", minimum: -100, maximum: 100 },
  },
  user: nullable("string"),
  // vLLM's extensions.
  top_k: { type: ["integer", "null"], minimum: -1 },
  min_p: { type: ["number", "null"], minimum: 0, maximum: 1 },
  repetition_penalty: { type: ["number", "null"], exclusiveMinimum: 0, maximum: 2 },
  // Chat: logprobs true with top_logprobs alternatives; completions: logprobs is the number (see requestedLogprobs).
  logprobs: { anyOf: [{ type: "boolean" }, { type: "integer", minimum: 0, maximum: MAX_TOP_LOGPROBS }, { type: "null" }] },
  top_logprobs: { type: ["integer", "null"], minimum: 0, maximum: MAX_TOP_LOGPROBS },
  response_format: {
    type: ["object", "null"],
    required: ["type"],
    properties: {
      type: { type: "string" },
      json_schema: { type: ["object", "null"], properties: { name: { type: "string" }, schema: { type: "object" }, strict: nullable("boolean") } },
    },
  },
} as const;

const contentPart = { type: "object", required: ["type"], properties: { type: { type: "string" } } } as const;

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
        required: ["role"],
        properties: {
          role: { enum: ["system", "developer", "user", "assistant", "tool"] },
          content: { anyOf: [{ type: "string" }, { type: "array", items: contentPart }, { type: "null" }] },
          tool_calls: {
            type: ["array", "null"],
            items: {
              type: "object",
              required: ["function"],
              properties: { function: { type: "object", required: ["name", "arguments"], properties: { name: { type: "string" }, arguments: { type: "string" } } } },
            },
          },
          tool_call_id: nullable("string"),
          name: nullable("string"),
        },
      },
    },
    tools: nullable("array"),
    functions: nullable("array"),
  },
} as const;

/** Prompts of one /v1/completions request (each gets its own n choices). */
const MAX_PROMPTS = 64;

const completionSchema = {
  type: "object",
  required: ["model", "prompt"],
  properties: {
    ...samplingSchema,
    prompt: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" }, minItems: 1, maxItems: MAX_PROMPTS }] },
    echo: { type: ["boolean", "null"], enum: [false, null] },
    best_of: { type: ["integer", "null"], enum: [1, null] },
    suffix: { type: ["string", "null"], enum: ["", null] },
  },
} as const;

const tokenizeSchema = {
  type: "object",
  required: ["prompt"],
  properties: { model: { type: "string" }, prompt: { type: "string" } },
} as const;

export interface SamplingBody extends UnsupportedFields {
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
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  logit_bias?: Record<string, number> | null;
  min_p?: number | null;
  repetition_penalty?: number | null;
}

/** The engine's sampling settings for a request: what it sets, else the server's defaults. */
export function sampling(body: SamplingBody, defaults: RequestDefaults = {}): Omit<OpenRequest, "prompt"> {
  const topK = body.top_k ?? defaults.topK;
  return {
    n: body.n ?? 1,
    maxTokens: body.max_completion_tokens ?? body.max_tokens ?? defaults.maxTokens,
    temperature: body.temperature ?? defaults.temperature ?? 1,
    topP: body.top_p ?? defaults.topP ?? 1,
    topK: topK != null && topK > 0 ? topK : undefined,
    seed: body.seed ?? defaults.seed,
    minP: body.min_p ?? undefined,
    presencePenalty: body.presence_penalty ?? undefined,
    frequencyPenalty: body.frequency_penalty ?? undefined,
    repetitionPenalty: body.repetition_penalty ?? undefined,
    logitBias: body.logit_bias ?? undefined,
  };
}

/** OpenAI's finish_reason, and vLLM's stop_reason (the stop string that fired). */
function finish(segment: Segment): { finish_reason: string; stop_reason: string | null } {
  if (segment.finishReason === "length") return { finish_reason: "length", stop_reason: null };
  return { finish_reason: "stop", stop_reason: segment.finishReason === "stop" ? (segment.stop ?? null) : null };
}

type Kind = "chat" | "completion";

/** Log-probability entries as the chat and Responses APIs show them. */
export function logprobEntries(entries: readonly TokenLogprob[] = []): unknown[] {
  return entries.map((e) => ({ token: e.token, logprob: e.logprob, bytes: e.bytes, top_logprobs: e.top.map((t) => ({ token: t.token, logprob: t.logprob, bytes: t.bytes })) }));
}

/** A choice's log-probabilities in OpenAI's shape for the kind of request (null when none were asked for). */
function choiceLogprobs(kind: Kind, entries: readonly TokenLogprob[] | undefined, textOffset = 0): unknown {
  if (!entries) return null;
  if (kind === "chat") return { content: logprobEntries(entries), refusal: null };
  // The legacy completions shape: parallel lists; each top_logprobs entry maps token text to its
  // logprob and includes the chosen token, as OpenAI and vLLM do; text_offset counts characters of the text.
  let offset = textOffset;
  return {
    tokens: entries.map((e) => e.token),
    token_logprobs: entries.map((e) => e.logprob),
    top_logprobs: entries.map((e) => Object.fromEntries([[e.token, e.logprob], ...e.top.map((t) => [t.token, t.logprob])])),
    text_offset: entries.map((e) => {
      const at = offset;
      offset += e.token.length;
      return at;
    }),
  };
}

/** The choice objects of each kind of response: whole, a streamed piece of text, the last streamed chunk. */
const choices = {
  whole: (kind: Kind, index: number, seg: Segment) =>
    kind === "chat"
      ? { index, message: { role: "assistant", content: seg.text }, logprobs: choiceLogprobs(kind, seg.logprobs), ...finish(seg) }
      : { index, text: seg.text, logprobs: choiceLogprobs(kind, seg.logprobs), ...finish(seg) },
  // Streamed, each piece carries the log-probabilities of the tokens it starts (see StreamedLogprobs), the last chunk the rest.
  piece: (kind: Kind, index: number, text: string, lp?: { entries: TokenLogprob[]; offset: number }) => {
    const logprobs = lp ? choiceLogprobs(kind, lp.entries, lp.offset) : null;
    return kind === "chat" ? { index, delta: { content: text }, logprobs, finish_reason: null } : { index, text, logprobs, finish_reason: null };
  },
  last: (kind: Kind, index: number, seg: Segment, lp?: { entries: TokenLogprob[]; offset: number }) => {
    const logprobs = lp ? choiceLogprobs(kind, lp.entries, lp.offset) : null;
    return kind === "chat" ? { index, delta: {}, logprobs, ...finish(seg) } : { index, text: "", logprobs, ...finish(seg) };
  },
};

/** The names the model is served under (its id first), and the 404 for any other. */
export function servedNames(ctx: OpenAiContext): { names: string[]; unknownModel: (reply: FastifyReply, name: string) => FastifyReply } {
  const names = [ctx.modelId, ...(ctx.aliases ?? []).filter((a) => a !== ctx.modelId)];
  const unknownModel = (reply: FastifyReply, name: string) =>
    reply.code(404).send(errorBody(`The model '${name}' does not exist; this server serves ${names.map((m) => `'${m}'`).join(", ")}.`, "invalid_request_error", "model_not_found", "model"));
  return { names, unknownModel };
}

export function registerOpenAiRoutes(app: FastifyInstance, ctx: OpenAiContext): void {
  const { names, unknownModel } = servedNames(ctx);
  const modelCard = (id: string) => ({ id, object: "model", created: 0, owned_by: "qmath", root: ctx.modelId, max_model_len: ctx.engine.info.contextSize });

  app.get("/v1/models", async () => ({ object: "list", data: names.map(modelCard) }));
  app.get("/v1/models/:id", async (request, reply) => {
    const { id } = request.params as { id: string };
    return names.includes(id) ? modelCard(id) : unknownModel(reply, id);
  });

  // vLLM's tokenizer endpoint ({model, prompt} → {count, max_model_len}), so that remote
  // engines count tokens as this server's model does.
  app.post("/tokenize", { schema: { body: tokenizeSchema } }, async (request, reply) => {
    const body = request.body as { model?: string; prompt: string };
    if (body.model !== undefined && !names.includes(body.model)) return unknownModel(reply, body.model);
    return { count: await ctx.engine.countTokens(body.prompt), max_model_len: ctx.engine.info.contextSize };
  });

  const handle = (kind: Kind) => async (request: FastifyRequest, reply: FastifyReply) => {
    const body = request.body as SamplingBody & { messages?: OpenAiMessage[]; prompt?: string | string[] };
    if (!names.includes(body.model)) return unknownModel(reply, body.model);
    const problem = unsupportedRequest(body);
    if (problem) return reply.code(400).send(errorBody(problem.message, "invalid_request_error", "unsupported", problem.param));
    const format = responseFormat(body.response_format);
    if (format && "message" in format) return reply.code(400).send(errorBody(format.message, "invalid_request_error", "invalid_request", format.param));
    const logprobs = requestedLogprobs(kind, body);
    if (typeof logprobs === "object") return reply.code(400).send(errorBody(logprobs.message, "invalid_request_error", "invalid_request", logprobs.param));
    // Chats are rendered with the model's chat template (ChatML when it has none); their messages are
    // plain text (a typed <|im_start|> stays text). A raw completion prompt is parsed as vLLM parses it.
    let prompts: Prompt[];
    if (kind === "chat") {
      const messages = chatMessages(body.messages!);
      if (!Array.isArray(messages)) return reply.code(400).send(errorBody(messages.message, "invalid_request_error", "invalid_request", messages.param));
      prompts = [chatPrompt(ctx.engine.info.chatTemplate, messages)];
    } else prompts = Array.isArray(body.prompt) ? body.prompt : [body.prompt!];
    const admission = ctx.gate.admit(request, reply);
    if (!admission) return reply;
    const userStops = body.stop == null ? [] : Array.isArray(body.stop) ? body.stop : [body.stop];
    const stop = [...CHAT_STOPS, ...userStops];
    const settings = sampling(body, ctx.defaults);
    const n = settings.n!;
    const id = `${kind === "chat" ? "chatcmpl" : "cmpl"}-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const object = kind === "chat" ? "chat.completion" : "text_completion";
    const model = body.model;
    // Like vLLM with --enable-prompt-tokens-details: cached_tokens are prompt tokens that were
    // not evaluated again (a shared prefix in a sequence's cache, the copies for samples after the first).
    const totals = { prompt: 0, completion: 0, cached: 0 };
    const count = (samples: readonly Sample[]) => {
      const promptTokens = samples[0]!.usage.promptTokens;
      const evaluated = samples.reduce((a, s) => a + s.usage.promptTokensEvaluated, 0);
      totals.prompt += promptTokens;
      totals.completion += samples.reduce((a, s) => a + s.usage.completionTokens, 0);
      totals.cached += Math.max(0, promptTokens - evaluated);
    };
    const usage = () => ({
      prompt_tokens: totals.prompt,
      completion_tokens: totals.completion,
      total_tokens: totals.prompt + totals.completion,
      prompt_tokens_details: { cached_tokens: totals.cached },
    });
    // The prompts run one after another, each with its n samples; choice i of prompt p has index p * n + i, as OpenAI numbers them.
    let samples: Sample[] = [];
    const open = (prompt: Prompt) => ctx.engine.open({ ...settings, prompt, stop, responseFormat: format, logprobs, signal: admission.signal });
    const closeSamples = async () => {
      const closing = samples;
      samples = [];
      await Promise.all(closing.map((s) => s.close()));
    };
    try {
      if (!body.stream) {
        const all: unknown[] = [];
        for (const [p, prompt] of prompts.entries()) {
          samples = await open(prompt);
          const segments = await Promise.all(samples.map((s) => s.generate()));
          ctx.metrics.countTokens(segments.reduce((a, s) => a + s.tokens, 0));
          count(samples);
          await closeSamples();
          for (const [i, seg] of segments.entries()) all.push(choices.whole(kind, p * n + i, seg));
        }
        return reply.send({ id, object, created, model, choices: all, usage: usage() });
      }

      let stream: EventStream | undefined;
      const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
        stream!.send({ id, object: kind === "chat" ? "chat.completion.chunk" : "text_completion", created, model, choices, ...extra });
      for (const [p, prompt] of prompts.entries()) {
        samples = await open(prompt);
        if (!stream) {
          // The first prompt opened: errors until here are plain HTTP errors.
          stream = new EventStream(reply);
        }
        await Promise.all(
          samples.map(async (sample, i) => {
            const index = p * n + i;
            if (kind === "chat") chunk([{ index, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }]);
            const lp = logprobs === undefined ? undefined : new StreamedLogprobs();
            const seg = await sample.generate({ onText: (d) => chunk([choices.piece(kind, index, d, lp?.withText(d))]), onLogprob: lp?.onLogprob });
            ctx.metrics.countTokens(seg.tokens);
            if (seg.finishReason !== "abort") chunk([choices.last(kind, index, seg, lp?.rest(seg))]);
          }),
        );
        count(samples);
        await closeSamples();
      }
      if (body.stream_options?.include_usage) chunk([], { usage: usage() });
      stream!.end();
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
      await closeSamples();
      admission.release();
    }
  };

  app.post("/v1/chat/completions", { schema: { body: chatSchema } }, handle("chat"));
  app.post("/v1/completions", { schema: { body: completionSchema } }, handle("completion"));
}
