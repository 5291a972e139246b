/** ChatML, the chat format of every Qwen2 / Qwen2.5 model. */
export type Role = "system" | "user" | "assistant";

export interface ChatMessage {
  role: Role;
  content: string;
}

const IM_START = "<|im_start|>";
export const IM_END = "<|im_end|>";
export const END_OF_TEXT = "<|endoftext|>";

/** Renders messages as ChatML; with `addGenerationPrompt` the text ends with an open assistant turn. */
export function renderChatML(messages: readonly ChatMessage[], addGenerationPrompt = true): string {
  let text = "";
  for (const m of messages) text += `${IM_START}${m.role}\n${m.content}${IM_END}\n`;
  if (addGenerationPrompt) text += `${IM_START}assistant\n`;
  return text;
}
