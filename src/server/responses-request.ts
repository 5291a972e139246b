/**
 * What a Responses API request (POST /v1/responses) says, turned into what a chat request
 * says: its `input` (a string, or items: messages with input_text / output_text parts, an
 * agent's function_call and function_call_output items) and `instructions` become chat
 * messages; `text.format` becomes a response format. What this server cannot do is refused
 * with the reason: stored responses (previous_response_id, item references), tools, reasoning
 * settings.
 */
import type { ResponseFormat } from "../engine/types.js";
import { formatOf, type OpenAiMessage, type RequestProblem, type UnsupportedFields } from "./chat-request.js";

/** An item of a Responses request's input, as clients send it. */
export interface ResponsesInputItem {
  type?: string;
  role?: "system" | "developer" | "user" | "assistant";
  content?: string | { type: string; text?: string; [key: string]: unknown }[];
  call_id?: string;
  name?: string;
  arguments?: string;
  output?: string | { type: string; text?: string }[];
  id?: string;
}

export interface ResponsesBody {
  model: string;
  input: string | ResponsesInputItem[];
  instructions?: string | null;
  max_output_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  top_logprobs?: number | null;
  include?: string[] | null;
  stream?: boolean | null;
  store?: boolean | null;
  previous_response_id?: string | null;
  text?: { format?: { type: string; name?: string; schema?: Record<string, unknown>; strict?: boolean | null } | null } | null;
  tools?: unknown[] | null;
  tool_choice?: unknown;
  reasoning?: { effort?: string | null; summary?: string | null } | null;
  metadata?: Record<string, string> | null;
  user?: string | null;
}

const NOT_STORED = "this server does not store responses: send the whole conversation as 'input'";

/** Content parts of the Responses API as chat content parts (input_text and output_text are text; others stay, to be refused by name). */
function chatParts(content: ResponsesInputItem["content"]): OpenAiMessage["content"] {
  if (content === undefined || typeof content === "string") return content ?? null;
  return content.map((part) => (part.type === "input_text" || part.type === "output_text" ? { ...part, type: "text" } : part));
}

/** The chat messages of a Responses request (instructions first, as a system message), or the first problem found. */
export function responsesMessages(body: ResponsesBody): OpenAiMessage[] | RequestProblem {
  const messages: OpenAiMessage[] = [];
  if (body.instructions) messages.push({ role: "system", content: body.instructions });
  if (typeof body.input === "string") {
    messages.push({ role: "user", content: body.input });
    return messages;
  }
  for (const [i, item] of body.input.entries()) {
    const param = `input[${i}]`;
    const type = item.type ?? "message";
    if (type === "message") {
      if (!item.role) return { message: `'${param}.role' is required for a message.`, param: `${param}.role` };
      messages.push({ role: item.role, content: chatParts(item.content) });
    } else if (type === "function_call") {
      if (typeof item.name !== "string" || typeof item.arguments !== "string")
        return { message: `'${param}' (a function_call) needs 'name' and 'arguments' strings.`, param };
      const call = { type: "function", function: { name: item.name, arguments: item.arguments } };
      // Calls that follow an assistant message (or each other) belong to that turn, as in a chat request.
      const last = messages[messages.length - 1];
      if (last?.role === "assistant") last.tool_calls = [...(last.tool_calls ?? []), call];
      else messages.push({ role: "assistant", content: null, tool_calls: [call] });
    } else if (type === "function_call_output") {
      const output = typeof item.output === "string" ? item.output : chatParts(item.output as ResponsesInputItem["content"]);
      messages.push({ role: "tool", content: output ?? "", tool_call_id: item.call_id ?? null });
    } else if (type === "item_reference") {
      return { message: `'${param}' refers to a stored item, but ${NOT_STORED}.`, param };
    } else return { message: `Input items of type '${type}' are not supported: send messages, function_call and function_call_output items.`, param: `${param}.type` };
  }
  if (messages.length === 0) return { message: "'input' is empty: send the user's message.", param: "input" };
  return messages;
}

/** The refusals particular to the Responses API; the chat API's (tools) are checked as for chat. */
export function unsupportedResponsesRequest(body: ResponsesBody): RequestProblem | undefined {
  if (body.previous_response_id != null) return { message: `'previous_response_id' cannot be used: ${NOT_STORED}.`, param: "previous_response_id" };
  if (body.reasoning?.effort != null || body.reasoning?.summary != null)
    return { message: "'reasoning' settings are not supported: this model is not a reasoning model (it writes its reasoning in the answer).", param: "reasoning" };
  return undefined;
}

/** The fields the chat API's refusals read (tools, tool_choice), from a Responses request. */
export function asChatFields(body: ResponsesBody): UnsupportedFields {
  return { tools: body.tools, tool_choice: body.tool_choice };
}

/** The engine's response format for `text.format` (text or none: free text), or the problem with it. */
export function responsesFormat(body: ResponsesBody): ResponseFormat | undefined | RequestProblem {
  const format = body.text?.format;
  return format == null ? undefined : formatOf(format.type, format, "text.format", "text.format.schema");
}

/** How many alternatives per token the request's logprobs have (undefined: none asked for). */
export function responsesLogprobs(body: ResponsesBody): number | undefined {
  const asked = body.include?.includes("message.output_text.logprobs") || body.top_logprobs != null;
  return asked ? (body.top_logprobs ?? 0) : undefined;
}
