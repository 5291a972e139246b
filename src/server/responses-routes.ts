/**
 * POST /v1/responses: the subset of OpenAI's Responses API a chat client needs, which the AI
 * SDK's default OpenAI provider and LangChain's `useResponsesApi` call. Text or message input,
 * `instructions`, `max_output_tokens`, temperature and top_p, `text.format` (JSON mode and
 * schemas), logprobs, and streaming with the API's events (response.created ...
 * response.output_text.delta ... response.completed). The chat is rendered with the model's
 * chat template, as /v1/chat/completions renders it. Nothing is stored (`store` is false).
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { MAX_TOP_LOGPROBS, type Sample, type Segment } from "../engine/types.js";
import { chatPrompt } from "../prompts/chat-template.js";
import { CHAT_STOPS } from "../prompts/formats.js";
import { chatMessages, unsupportedRequest } from "./chat-request.js";
import { errorBody, toHttpError } from "./errors.js";
import { EventStream } from "./event-stream.js";
import { StreamedLogprobs } from "./streamed-logprobs.js";
import { logprobEntries, nullable, sampling, servedNames, type OpenAiContext } from "./openai-routes.js";
import { asChatFields, responsesFormat, responsesLogprobs, responsesMessages, unsupportedResponsesRequest, type ResponsesBody } from "./responses-request.js";

const responsesSchema = {
  type: "object",
  required: ["model", "input"],
  properties: {
    model: { type: "string" },
    input: {
      anyOf: [
        { type: "string", minLength: 1 },
        { type: "array", minItems: 1, items: { type: "object", properties: { type: { type: "string" }, role: { enum: ["system", "developer", "user", "assistant"] } } } },
      ],
    },
    instructions: nullable("string"),
    max_output_tokens: { type: ["integer", "null"], minimum: 1 },
    temperature: { type: ["number", "null"], minimum: 0, maximum: 2 },
    top_p: { type: ["number", "null"], exclusiveMinimum: 0, maximum: 1 },
    top_logprobs: { type: ["integer", "null"], minimum: 0, maximum: MAX_TOP_LOGPROBS },
    include: { type: ["array", "null"], items: { type: "string" } },
    stream: nullable("boolean"),
    store: nullable("boolean"),
    previous_response_id: nullable("string"),
    text: { type: ["object", "null"], properties: { format: { type: ["object", "null"], required: ["type"], properties: { type: { type: "string" } } } } },
    tools: nullable("array"),
    reasoning: nullable("object"),
    metadata: nullable("object"),
    user: nullable("string"),
  },
} as const;

export function registerResponsesRoute(app: FastifyInstance, ctx: OpenAiContext): void {
  const { names, unknownModel } = servedNames(ctx);
  const invalid = (reply: FastifyReply, problem: { message: string; param: string }, code = "invalid_request") =>
    reply.code(400).send(errorBody(problem.message, "invalid_request_error", code, problem.param));

  app.post("/v1/responses", { schema: { body: responsesSchema } }, async (request: FastifyRequest, reply: FastifyReply) => {
    const body = request.body as ResponsesBody;
    if (!names.includes(body.model)) return unknownModel(reply, body.model);
    const chatFields = asChatFields(body);
    const problem = unsupportedResponsesRequest(body) ?? unsupportedRequest(chatFields);
    if (problem) return invalid(reply, problem, "unsupported");
    const format = responsesFormat(body);
    if (format && "message" in format) return invalid(reply, format);
    const input = responsesMessages(body);
    if (!Array.isArray(input)) return invalid(reply, input);
    const messages = chatMessages(input);
    if (!Array.isArray(messages)) return invalid(reply, { ...messages, param: messages.param.replace(/^messages/, "input") });
    const logprobs = responsesLogprobs(body);
    const settings = sampling({ model: body.model, temperature: body.temperature, top_p: body.top_p, max_tokens: body.max_output_tokens }, ctx.defaults);
    const admission = ctx.gate.admit(request, reply);
    if (!admission) return reply;

    const id = `resp_${randomUUID().replaceAll("-", "")}`;
    const itemId = `msg_${randomUUID().replaceAll("-", "")}`;
    const createdAt = Math.floor(Date.now() / 1000);
    // The response object, as the API shows it at each stage (in progress, then completed or incomplete).
    const response = (status: string, extra: Record<string, unknown> = {}) => ({
      id,
      object: "response",
      created_at: createdAt,
      status,
      error: null,
      incomplete_details: null,
      instructions: body.instructions ?? null,
      max_output_tokens: body.max_output_tokens ?? null,
      model: body.model,
      output: [] as unknown[],
      parallel_tool_calls: false,
      previous_response_id: null,
      reasoning: { effort: null, summary: null },
      store: false,
      temperature: settings.temperature,
      text: { format: body.text?.format ?? { type: "text" } },
      tool_choice: body.tool_choice ?? "auto",
      tools: [],
      top_p: settings.topP,
      truncation: "disabled",
      usage: null as unknown,
      user: body.user ?? null,
      metadata: body.metadata ?? {},
      ...extra,
    });
    const outputPart = (seg: Segment) => ({ type: "output_text", text: seg.text, annotations: [], logprobs: logprobEntries(seg.logprobs) });
    const message = (seg: Segment) => ({ type: "message", id: itemId, status: seg.finishReason === "length" ? "incomplete" : "completed", role: "assistant", content: [outputPart(seg)] });
    const finished = (seg: Segment, sample: Sample) => {
      const promptTokens = sample.usage.promptTokens;
      const usage = {
        input_tokens: promptTokens,
        input_tokens_details: { cached_tokens: Math.max(0, promptTokens - sample.usage.promptTokensEvaluated) },
        output_tokens: seg.tokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: promptTokens + seg.tokens,
      };
      const incomplete = seg.finishReason === "length";
      return response(incomplete ? "incomplete" : "completed", {
        incomplete_details: incomplete ? { reason: "max_output_tokens" } : null,
        output: [message(seg)],
        usage,
      });
    };

    let sample: Sample | undefined;
    let stream: EventStream | undefined;
    let sequence = 0;
    const event = (type: string, data: Record<string, unknown>) => stream!.send({ type, sequence_number: sequence++, ...data }, type);
    try {
      const prompt = chatPrompt(ctx.engine.info.chatTemplate, messages);
      [sample] = await ctx.engine.open({ ...settings, n: 1, prompt, stop: [...CHAT_STOPS], responseFormat: format, logprobs, signal: admission.signal });
      if (!body.stream) {
        const seg = await sample!.generate();
        ctx.metrics.countTokens(seg.tokens);
        return reply.send(finished(seg, sample!));
      }
      stream = new EventStream(reply);
      const at = { item_id: itemId, output_index: 0, content_index: 0 };
      event("response.created", { response: response("in_progress") });
      event("response.in_progress", { response: response("in_progress") });
      event("response.output_item.added", { output_index: 0, item: { type: "message", id: itemId, status: "in_progress", role: "assistant", content: [] } });
      event("response.content_part.added", { ...at, part: { type: "output_text", text: "", annotations: [], logprobs: [] } });
      const lp = logprobs === undefined ? undefined : new StreamedLogprobs();
      const seg = await sample!.generate({
        onText: (delta) => event("response.output_text.delta", { ...at, delta, logprobs: logprobEntries(lp?.withText(delta).entries) }),
        onLogprob: lp?.onLogprob,
      });
      ctx.metrics.countTokens(seg.tokens);
      if (seg.finishReason !== "abort") {
        const done = finished(seg, sample!);
        event("response.output_text.done", { ...at, text: seg.text, logprobs: logprobEntries(seg.logprobs) });
        event("response.content_part.done", { ...at, part: outputPart(seg) });
        event("response.output_item.done", { output_index: 0, item: message(seg) });
        event(done.status === "completed" ? "response.completed" : "response.incomplete", { response: done });
      }
      stream.end(false);
      return reply;
    } catch (e) {
      const { status, body: errBody } = toHttpError(e);
      if (stream) {
        // Mid-stream: the failure is the stream's last event, as the API reports it.
        event("response.failed", { response: response("failed", { error: { code: errBody.error.code ?? "server_error", message: errBody.error.message } }) });
        stream.end(false);
        return reply;
      }
      return reply.code(status).send(errBody);
    } finally {
      await sample?.close();
      admission.release();
    }
  });
}
