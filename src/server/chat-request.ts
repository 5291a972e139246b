/**
 * What a chat request says, as clients send it, turned into qmath's chat messages: content as
 * a string or a list of parts, the `developer` role, an agent's tool calls and tool results;
 * and the refusal of what the Math models cannot do (function calling, images, audio), so that
 * nothing a client asks for is silently ignored.
 */
import type { ChatMessage } from "../prompts/chatml.js";
import type { ResponseFormat } from "../engine/types.js";

/** A message as OpenAI's chat API carries it. */
export interface OpenAiMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  content?: string | ContentPart[] | null;
  tool_calls?: { type?: string; function: { name: string; arguments: string } }[] | null;
  tool_call_id?: string | null;
  name?: string | null;
}

/** A piece of content; clients add keys of their own (cache_control, ...), which are ignored. */
interface ContentPart {
  type: string;
  text?: string;
  [key: string]: unknown;
}

/** A refusal to give as a 400: what was wrong, and the field. */
export interface RequestProblem {
  message: string;
  param: string;
}

const TEXT_ONLY = "this model reads text only; send the content as a string or as parts of type 'text'";

/** The text of a message's content: a string, or its text parts joined; "" when absent. */
function contentText(content: OpenAiMessage["content"], param: string): string | RequestProblem {
  if (content == null) return "";
  if (typeof content === "string") return content;
  let text = "";
  for (const [i, part] of content.entries()) {
    // "refusal" parts are an assistant's own earlier text, as OpenAI sends them back in history.
    if (part.type === "text" || part.type === "refusal") {
      const value = part.type === "text" ? part.text : part.refusal;
      if (typeof value !== "string") return { message: `'${param}[${i}].${part.type}' must be a string.`, param: `${param}[${i}].${part.type}` };
      text += value;
    } else return { message: `The content part '${param}[${i}]' is of type '${part.type}': ${TEXT_ONLY}.`, param: `${param}[${i}].type` };
  }
  return text;
}

/** qmath's messages for a chat request's messages, or the first problem found. */
export function chatMessages(messages: readonly OpenAiMessage[]): ChatMessage[] | RequestProblem {
  const out: ChatMessage[] = [];
  for (const [i, m] of messages.entries()) {
    const param = `messages[${i}].content`;
    if (m.content == null && !(m.role === "assistant" && m.tool_calls?.length))
      return { message: `'${param}' is required for a ${m.role} message (null only for an assistant message with tool_calls).`, param };
    const content = contentText(m.content, param);
    if (typeof content !== "string") return content;
    const role = m.role === "developer" ? "system" : m.role;
    if (m.role === "assistant" && m.tool_calls?.length)
      out.push({ role, content, toolCalls: m.tool_calls.map((c) => ({ name: c.function.name, arguments: c.function.arguments })) });
    else out.push({ role, content });
  }
  return out;
}

/** The body fields of a request for what the Math models or qmath do not do (yet). */
export interface UnsupportedFields {
  tools?: unknown[] | null;
  tool_choice?: unknown;
  functions?: unknown[] | null;
  function_call?: unknown;
  logprobs?: boolean | number | null;
  top_logprobs?: number | null;
  response_format?: OpenAiResponseFormat | null;
}

/** OpenAI's response_format. */
interface OpenAiResponseFormat {
  type?: string;
  json_schema?: (SchemaSpec & { description?: string }) | null;
}

/** A format's JSON schema as the APIs give it: a name, the schema object, strictness. */
interface SchemaSpec {
  name?: string;
  schema?: Record<string, unknown>;
  strict?: boolean | null;
}

/**
 * The engine's response format for a format type and its schema ("text" or none: free text), or
 * the problem with it, naming the fields as the request's API names them (`field` for the
 * format, `schemaField` for its schema).
 */
export function formatOf(type: string | undefined, spec: SchemaSpec | null | undefined, field: string, schemaField: string): ResponseFormat | undefined | RequestProblem {
  if (type === undefined || type === "text") return undefined;
  if (type === "json_object") return { type: "json_object" };
  if (type === "json_schema") {
    if (spec == null || typeof spec.schema !== "object" || spec.schema === null || Array.isArray(spec.schema))
      return { message: `'${schemaField}' is required for type 'json_schema': give the JSON schema as an object.`, param: schemaField };
    return { type: "json_schema", schema: spec.schema, name: spec.name, ...(spec.strict != null ? { strict: spec.strict } : {}) };
  }
  return { message: `'${field}' of type '${type}' is not supported: use 'text', 'json_object' or 'json_schema'.`, param: `${field}.type` };
}

/** The engine's response format for a chat or completion request's response_format. */
export function responseFormat(format: OpenAiResponseFormat | null | undefined): ResponseFormat | undefined | RequestProblem {
  return format == null ? undefined : formatOf(format.type, format.json_schema, "response_format", "response_format.json_schema.schema");
}

/** A refusal for a request that asks for something this server would otherwise ignore. */
export function unsupportedRequest(body: UnsupportedFields): RequestProblem | undefined {
  const noTools = body.tool_choice === "none" || body.function_call === "none";
  if (!noTools) {
    for (const field of ["tools", "functions"] as const)
      if (body[field]?.length)
        return {
          message: `'${field}' is not supported: the Qwen2.5-Math models are not trained for function calling. Send the request without '${field}' (or with tool_choice "none").`,
          param: field,
        };
    for (const field of ["tool_choice", "function_call"] as const)
      if (body[field] != null && body[field] !== "auto")
        return { message: `'${field}' is not supported: the Qwen2.5-Math models are not trained for function calling.`, param: field };
  }
  return undefined;
}

/**
 * How many likeliest alternatives per token a request asks log-probabilities with (undefined:
 * none), or the problem. Chat requests say `logprobs: true` with `top_logprobs` alternatives;
 * completion requests give the number as `logprobs`.
 */
export function requestedLogprobs(kind: "chat" | "completion", body: UnsupportedFields): number | undefined | RequestProblem {
  if (kind === "completion") {
    if (typeof body.logprobs === "boolean") return { message: "'logprobs' of a completion request is a number: how many alternatives to return per token (0 to 20).", param: "logprobs" };
    return body.logprobs ?? undefined;
  }
  if (typeof body.logprobs === "number") return { message: "'logprobs' of a chat request is true or false; give the number of alternatives as 'top_logprobs'.", param: "logprobs" };
  if (body.logprobs !== true) {
    if (body.top_logprobs != null) return { message: "'top_logprobs' needs 'logprobs': true.", param: "top_logprobs" };
    return undefined;
  }
  return body.top_logprobs ?? 0;
}
