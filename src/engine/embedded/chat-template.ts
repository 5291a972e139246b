/** The chat template a GGUF file carries (tokenizer.chat_template), with its vocabulary's control tokens. */
import type { LlamaModel } from "node-llama-cpp";
import type { EngineInfo } from "../types.js";

/** llama_token_type CONTROL: tokens matched only where special tokens are parsed. */
const CONTROL = 3;

export function modelChatTemplate(model: LlamaModel): EngineInfo["chatTemplate"] {
  const tokenizer = model.fileInfo.metadata.tokenizer as { chat_template?: unknown; ggml?: { tokens?: unknown; token_type?: unknown } } | undefined;
  const source = tokenizer?.chat_template;
  if (typeof source !== "string" || source.trim() === "") return undefined;
  const tokens = tokenizer?.ggml?.tokens;
  const types = tokenizer?.ggml?.token_type;
  const specialTokens: string[] = [];
  if (Array.isArray(tokens) && Array.isArray(types))
    types.forEach((type, i) => {
      if (type === CONTROL && typeof tokens[i] === "string") specialTokens.push(tokens[i]);
    });
  return { source, specialTokens };
}
