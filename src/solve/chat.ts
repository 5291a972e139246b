/**
 * A multi-turn conversation with a model. Every turn re-renders the whole conversation with
 * the model's chat template (ChatML when it has none); the embedded engine keeps the earlier turns in its KV cache, so a follow-up
 * ("explain step 3") only evaluates the new message.
 */
import type { Engine, Usage } from "../engine/types.js";
import { QmathError } from "../errors.js";
import { chatPrompt } from "../prompts/chat-template.js";
import type { ChatMessage } from "../prompts/chatml.js";
import { CHAT_STOPS } from "../prompts/formats.js";
import type { SamplingSettings } from "./options.js";

export interface ChatOptions {
  /** System prompt of the conversation (when unset: the chat template's default, if it has one; chatSystemPrompt() gives a format's). */
  system?: string;
  /** How replies are sampled (default greedy). */
  sampling?: SamplingSettings;
}

export interface ChatReply {
  text: string;
  finishReason: string;
  usage: Usage;
}

export class ChatSession {
  private readonly history: ChatMessage[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly options: ChatOptions = {},
  ) {
    this.reset();
  }

  get messages(): readonly ChatMessage[] {
    return this.history;
  }

  /** Forgets every turn but the system prompt. */
  reset(): void {
    this.history.length = 0;
    if (this.options.system) this.history.push({ role: "system", content: this.options.system });
  }

  async ask(content: string, onText?: (delta: string) => void, signal?: AbortSignal): Promise<ChatReply> {
    if (!content.trim()) throw new QmathError("bad_input", "The message is empty.");
    const messages: ChatMessage[] = [...this.history, { role: "user", content }];
    const [sample] = await this.engine.open({
      prompt: chatPrompt(this.engine.info.chatTemplate, messages),
      stop: [...CHAT_STOPS],
      ...this.options.sampling,
      signal,
    });
    try {
      const segment = await sample!.generate({ onText, signal });
      // Only a finished turn joins the history; an aborted one is dropped.
      if (segment.finishReason !== "abort") {
        this.history.push({ role: "user", content }, { role: "assistant", content: sample!.text });
      }
      return { text: sample!.text, finishReason: segment.finishReason, usage: sample!.usage };
    } finally {
      await sample!.close();
    }
  }
}
