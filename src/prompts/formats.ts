/**
 * The prompt formats the models were trained and evaluated with (the Qwen2.5-Math evaluation
 * harness's prompt types), and the stop strings that go with them.
 */
import { QmathError } from "../errors.js";
import { END_OF_TEXT, IM_END, chatMLPrompt, partsText, type ChatMessage, type PromptPart } from "./chatml.js";
import { fewShotPrompt, type Shot } from "./fewshot.js";

export const COT_SYSTEM_PROMPT = "Please reason step by step, and put your final answer within \\boxed{}.";
export const TIR_SYSTEM_PROMPT =
  "Please integrate natural language reasoning with programs to solve the problem above, and put your final answer within \\boxed{}.";
/** Qwen2-Math-Instruct: generic system prompt, the instruction follows the problem. */
const QWEN2_MATH_SYSTEM_PROMPT = "You are a helpful assistant.";

export const PROMPT_FORMATS = ["qwen25-math-cot", "qwen25-math-tir", "qwen2-math-cot", "few-shot"] as const;
export type PromptFormat = (typeof PROMPT_FORMATS)[number];

/** Stop strings every format uses: the end of a ChatML turn and the end of text. */
export const CHAT_STOPS = [IM_END, END_OF_TEXT] as const;
/** Where a TIR sample pauses so its code can run. */
export const TIR_CODE_STOP = "```output";
/** Where a few-shot completion would start the next example. */
const FEW_SHOT_STOP = "\n\nQuestion:";

export function isPromptFormat(s: string): s is PromptFormat {
  return (PROMPT_FORMATS as readonly string[]).includes(s);
}

/** The messages of a single-problem conversation in a chat format. */
export function problemMessages(format: Exclude<PromptFormat, "few-shot">, problem: string): ChatMessage[] {
  switch (format) {
    case "qwen25-math-cot":
      return [
        { role: "system", content: COT_SYSTEM_PROMPT },
        { role: "user", content: problem },
      ];
    case "qwen25-math-tir":
      return [
        { role: "system", content: TIR_SYSTEM_PROMPT },
        { role: "user", content: problem },
      ];
    case "qwen2-math-cot":
      return [
        { role: "system", content: QWEN2_MATH_SYSTEM_PROMPT },
        { role: "user", content: `${problem}\n${COT_SYSTEM_PROMPT}` },
      ];
  }
}

/**
 * The prompt for one problem (`prompt`: the parts an engine opens; `text`: the same as one
 * string), and the stop strings generation must use with it. The problem is always plain
 * text: special-token strings in it are not special tokens. `shots` replaces the default
 * worked examples of the few-shot format (dataset-specific sets).
 */
export function buildProblemPrompt(
  format: PromptFormat,
  problem: string,
  shots?: readonly Shot[],
): { prompt: PromptPart[]; text: string; stop: string[] } {
  const trimmed = problem.trim();
  if (!trimmed) throw new QmathError("bad_input", "The problem is empty.", "Give the problem as an argument, with --file, or on stdin.");
  // The few-shot format has no special tokens at all: one plain part.
  const prompt = format === "few-shot" ? [{ text: fewShotPrompt(trimmed, shots) }] : chatMLPrompt(problemMessages(format, trimmed));
  return { prompt, text: partsText(prompt), stop: formatStops(format) };
}

/** The stop strings a prompt format's completions end at. */
export function formatStops(format: PromptFormat): string[] {
  if (format === "few-shot") return [...CHAT_STOPS, FEW_SHOT_STOP];
  if (format === "qwen25-math-tir") return [...CHAT_STOPS, TIR_CODE_STOP];
  return [...CHAT_STOPS];
}

/** The system prompt a chat conversation starts with in a given format (none for Qwen2-Math's). */
export function chatSystemPrompt(format: PromptFormat): string {
  if (format === "qwen25-math-tir") return TIR_SYSTEM_PROMPT;
  if (format === "qwen2-math-cot") return QWEN2_MATH_SYSTEM_PROMPT;
  return COT_SYSTEM_PROMPT;
}
