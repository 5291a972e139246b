/** ChatML, the chat format of every Qwen2 / Qwen2.5 model. */
export type Role = "system" | "user" | "assistant";

export interface ChatMessage {
  role: Role;
  content: string;
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

/** Renders messages as ChatML parts; with `addGenerationPrompt` the prompt ends with an open assistant turn. */
export function chatMLPrompt(messages: readonly ChatMessage[], addGenerationPrompt = true): PromptPart[] {
  const parts: PromptPart[] = [];
  const special = (text: string) => parts.push({ text, special: true });
  // Plain text next to plain text joins one part, tokenized as one text (as the model's tokenizer does).
  const plain = (text: string) => {
    const last = parts.at(-1);
    if (last && !last.special) last.text += text;
    else parts.push({ text });
  };
  for (const m of messages) {
    special(IM_START);
    plain(`${m.role}\n${m.content}`);
    special(IM_END);
    plain("\n");
  }
  if (addGenerationPrompt) {
    special(IM_START);
    plain("assistant\n");
  }
  return parts;
}

/** Renders messages as ChatML text (for servers that take text); with `addGenerationPrompt` the text ends with an open assistant turn. */
export function renderChatML(messages: readonly ChatMessage[], addGenerationPrompt = true): string {
  return chatMLPrompt(messages, addGenerationPrompt)
    .map((p) => p.text)
    .join("");
}
