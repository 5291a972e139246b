/**
 * Chats rendered with the model's own chat template (the GGUF's `tokenizer.chat_template`, a
 * Jinja template), as vLLM, llama-server --jinja and Transformers render them; ChatML
 * (chatml.ts) when the model has none.
 *
 * The template is rendered on placeholders in place of everything the messages carry (their
 * contents, tool names, the keys and strings of tool-call arguments), so that the rendered text
 * is the template's own: it is cut into special parts at the special tokens it writes, and the
 * messages' text goes back in as plain text. A special-token string typed into a message stays
 * text.
 */
import { randomBytes } from "node:crypto";
import { Template } from "@huggingface/jinja";
import { QmathError } from "../errors.js";
import { chatMLPrompt, END_OF_TEXT, IM_END, type ChatMessage, type PromptPart } from "./chatml.js";

/** A model's chat template: its Jinja source and the special tokens of its vocabulary. */
export interface ChatTemplate {
  source: string;
  /** Strings that are special (control) tokens of the model; the template's occurrences become special parts. */
  specialTokens: readonly string[];
}

/** ChatML's special tokens, for a template whose vocabulary did not name its own. */
export const CHATML_SPECIAL_TOKENS: readonly string[] = ["<|im_start|>", IM_END, END_OF_TEXT];

const compiled = new Map<string, Template>();

function compile(source: string): Template {
  let template = compiled.get(source);
  if (!template) {
    try {
      template = new Template(source);
    } catch (e) {
      throw badTemplate(e);
    }
    compiled.set(source, template);
  }
  return template;
}

function badTemplate(e: unknown): QmathError {
  return new QmathError(
    "bad_input",
    `The model's chat template could not be rendered (${e instanceof Error ? e.message : String(e)}).`,
    "Use a model file whose tokenizer.chat_template is valid Jinja, or one without a template (qmath then uses ChatML).",
    { cause: e },
  );
}

/** Placeholders for message text and what each stands for in the rendered text. */
class Placeholders {
  private readonly nonce = randomBytes(6).toString("hex");
  readonly values = new Map<string, string>();

  /** A placeholder rendered as the text itself; empty text stays empty, as a template's `if message.content` tests it. */
  text(value: string): string {
    if (value === "") return "";
    const key = `@@qmath-${this.nonce}-${this.values.size}@@`;
    this.values.set(key, value);
    return key;
  }

  /** A placeholder inside a JSON string (tojson), replaced by the string's escaped characters. */
  jsonString(value: string): string {
    return this.text(JSON.stringify(value).slice(1, -1));
  }

  /** Parsed tool-call arguments with every key and string a placeholder; text that is not JSON is one string. */
  json(value: unknown): unknown {
    if (typeof value === "string") return this.jsonString(value);
    if (Array.isArray(value)) return value.map((v) => this.json(v));
    if (value !== null && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.jsonString(k), this.json(v)]));
    return value;
  }
}

function parsedArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Messages as chat templates read them (OpenAI's shape, arguments parsed as vLLM passes them). */
function templateMessages(messages: readonly ChatMessage[], holders: Placeholders): object[] {
  return messages.map((m) => ({
    role: m.role,
    content: holders.text(m.content),
    ...(m.toolCalls?.length
      ? {
          tool_calls: m.toolCalls.map((call) => {
            const fn = { name: holders.text(call.name), arguments: holders.json(parsedArguments(call.arguments)) };
            return { type: "function", function: fn };
          }),
        }
      : {}),
  }));
}

/** Cuts text at the special tokens: those are special parts, the rest plain. */
function splitAtSpecials(text: string, specials: readonly string[]): PromptPart[] {
  const tokens = [...new Set(specials)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  if (tokens.length === 0) return text ? [{ text }] : [];
  const pattern = new RegExp(`(${tokens.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`);
  const parts: PromptPart[] = [];
  text.split(pattern).forEach((piece, i) => {
    if (i % 2 === 1) parts.push({ text: piece, special: true });
    else if (piece) parts.push({ text: piece });
  });
  return parts;
}

/**
 * Renders messages with the template as prompt parts; with `addGenerationPrompt` the prompt
 * ends with an open assistant turn.
 */
export function templatePrompt(template: ChatTemplate, messages: readonly ChatMessage[], addGenerationPrompt = true): PromptPart[] {
  const holders = new Placeholders();
  let rendered: string;
  try {
    rendered = compile(template.source).render({
      messages: templateMessages(messages, holders),
      add_generation_prompt: addGenerationPrompt,
      bos_token: "",
      eos_token: END_OF_TEXT,
    });
  } catch (e) {
    throw e instanceof QmathError ? e : badTemplate(e);
  }
  const keys = [...holders.values.keys()];
  const placeholder = keys.length ? new RegExp(keys.join("|"), "g") : undefined;
  const parts = splitAtSpecials(rendered, template.specialTokens).map((p) =>
    p.special || !placeholder ? p : { text: p.text.replace(placeholder, (key) => holders.values.get(key)!) },
  );
  return parts.filter((p) => p.text.length > 0);
}

/** Renders a chat with the model's template when it has one, in ChatML otherwise. */
export function chatPrompt(template: ChatTemplate | undefined, messages: readonly ChatMessage[], addGenerationPrompt = true): PromptPart[] {
  return template ? templatePrompt(template, messages, addGenerationPrompt) : chatMLPrompt(messages, addGenerationPrompt);
}
