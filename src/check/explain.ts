/**
 * --explain: the model explains the first error to the student, given what the exact check
 * found (the step and the reason). The CAS decides; the model only puts it in words, and its
 * text is labelled as the model's, never mixed with the checker's verdicts.
 */
import type { Engine } from "../engine/types.js";
import { ChatSession } from "../solve/chat.js";
import type { SamplingSettings } from "../solve/options.js";
import type { CheckInput, CheckResult } from "./check.js";

export interface Explanation {
  /** Who wrote the text: always the model (the checker's own findings are the steps' reasons). */
  by: "model";
  /** The model that wrote it. */
  model: string;
  /** Index in steps of the step it explains (the first error). */
  step: number;
  text: string;
  finishReason: string;
}

export interface ExplainOptions {
  /** How the explanation is sampled (default: greedy, at most 320 tokens). */
  sampling?: SamplingSettings;
  signal?: AbortSignal;
  onText?: (delta: string) => void;
}

const DEFAULT_MAX_TOKENS = 320;

/** The message the model gets: the problem, the solution, the step the checker flagged and why. Null without an error. */
export function explanationPrompt(input: CheckInput, result: CheckResult): string | null {
  if (result.firstError === null) return null;
  const step = result.steps[result.firstError]!;
  return [
    "Here is a math problem and a student's solution.",
    "",
    "Problem:",
    input.problem.trim(),
    "",
    "Student's solution:",
    input.solution.trim(),
    "",
    "An exact computer algebra check of the solution found that this step is wrong:",
    step.text,
    `Reason: ${step.reason}`,
    "",
    "Explain to the student, in two or three sentences, what went wrong in this step and how to correct it. " +
      "Speak to the student directly. Do not solve the rest of the problem and do not give the final answer.",
  ].join("\n");
}

/** The model's explanation of the first error, or null when no step is an error (the engine is then not used). */
export async function explainFirstError(engine: Engine, input: CheckInput, result: CheckResult, options: ExplainOptions = {}): Promise<Explanation | null> {
  const prompt = explanationPrompt(input, result);
  if (prompt === null) return null;
  const sampling = Object.fromEntries(Object.entries(options.sampling ?? {}).filter(([, v]) => v !== undefined)) as SamplingSettings;
  const session = new ChatSession(engine, { sampling: { maxTokens: DEFAULT_MAX_TOKENS, ...sampling } });
  const reply = await session.ask(prompt, options.onText, options.signal);
  return { by: "model", model: engine.info.model, step: result.firstError!, text: reply.text.trim(), finishReason: reply.finishReason };
}
