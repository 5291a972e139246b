/** ChatML, the chat format of every Qwen2 / Qwen2.5 model. */
export type Role = "system" | "user" | "assistant" | "tool";

/** A function call an assistant made; `arguments` is its JSON text, as OpenAI's API carries it. */
export interface ToolCall {
  name: string;
  arguments: string;
}

export interface ChatMessage {
  role: Role;
  content: string;
  /** An assistant's function calls, rendered after its content as `<tool_call>` blocks. */
  toolCalls?: readonly ToolCall[];
}

/**
 * A value as Python's json.dumps writes it (", " and ": " between items), which is what the
 * Qwen2.5 chat template's `tojson` gives under Transformers and vLLM.
 */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`).join(", ")}}`;
  return JSON.stringify(value);
}

/**
 * A tool call's arguments as the template writes them: vLLM hands the template the parsed
 * JSON, so it appears as JSON, not as a quoted string; text that is not JSON stays a string.
 */
function toolArguments(text: string): string {
  try {
    return pythonJson(JSON.parse(text));
  } catch {
    return JSON.stringify(text);
  }
}

/**
 * A piece of a rendered prompt (the engine's PromptPart, src/engine/types.ts). Only the
 * template's own special tokens are `special` parts; all other text, the template's and the
 * messages', is plain: a special-token string typed into a message stays text.
 */
export interface PromptPart {
  text: string;
  special?: boolean;
}

const IM_START = "<|im_start|>";
export const IM_END = "<|im_end|>";
export const END_OF_TEXT = "<|endoftext|>";

/**
 * Renders messages as ChatML parts, as the Qwen2.5 chat template does (without its default
 * system prompt): an assistant's tool calls follow its content as `<tool_call>` blocks, and a
 * run of tool messages is one user turn of `<tool_response>` blocks. With
 * `addGenerationPrompt` the prompt ends with an open assistant turn.
 */
export function chatMLPrompt(messages: readonly ChatMessage[], addGenerationPrompt = true): PromptPart[] {
  const parts: PromptPart[] = [];
  const special = (text: string) => parts.push({ text, special: true });
  // Plain text next to plain text joins one part, tokenized as one text (as the model's tokenizer does).
  const plain = (text: string) => {
    const last = parts.at(-1);
    if (last && !last.special) last.text += text;
    else parts.push({ text });
  };
  messages.forEach((m, i) => {
    if (m.role === "tool") {
      if (messages[i - 1]?.role !== "tool") {
        special(IM_START);
        plain("user");
      }
      plain(`\n<tool_response>\n${m.content}\n</tool_response>`);
      if (messages[i + 1]?.role !== "tool") {
        special(IM_END);
        plain("\n");
      }
      return;
    }
    special(IM_START);
    if (m.role === "assistant" && m.toolCalls?.length) {
      plain(m.content ? `assistant\n${m.content}` : "assistant");
      for (const call of m.toolCalls) plain(`\n<tool_call>\n{"name": "${call.name}", "arguments": ${toolArguments(call.arguments)}}\n</tool_call>`);
    } else plain(`${m.role}\n${m.content}`);
    special(IM_END);
    plain("\n");
  });
  if (addGenerationPrompt) {
    special(IM_START);
    plain("assistant\n");
  }
  return parts;
}

/** Renders messages as ChatML text (for servers that take text); with `addGenerationPrompt` the text ends with an open assistant turn. */
export function renderChatML(messages: readonly ChatMessage[], addGenerationPrompt = true): string {
  return partsText(chatMLPrompt(messages, addGenerationPrompt));
}

/** A prompt's text, its parts joined. */
export function partsText(parts: readonly PromptPart[]): string {
  return parts.map((p) => p.text).join("");
}
