/**
 * Hints, one rung of a ladder at a time: 1 a nudge (what to notice), 2 the method, 3 the next
 * concrete step from where the student is. The model first solves the problem privately (CoT or
 * TIR, best-of-N by vote); the hint is written from that solution, and checked so that no math
 * in it equals the final answer: a hint that gives the answer away is written again (another
 * seed), and if every attempt leaks, the sentences that leak are cut. A student's work, when
 * given, is checked step by step first, and the hint starts from its first error.
 */
import { equivalent } from "../answers/equivalent.js";
import { lastBoxed } from "../answers/extract.js";
import type { Engine } from "../engine/types.js";
import { QmathError } from "../errors.js";
import { ChatSession } from "../solve/chat.js";
import type { RunOptions, SamplingSettings } from "../solve/options.js";
import { solve } from "../solve/solve.js";
import { checkSolution, type CheckResult } from "./check.js";
import { mathRegions } from "./segment.js";

export const HINT_LEVELS = [1, 2, 3] as const;
export type HintLevel = (typeof HINT_LEVELS)[number];

export interface HintRequest {
  problem: string;
  /** The student's work so far (checked first; the hint starts from its first error). */
  work?: string;
  /** 1 a nudge, 2 the method, 3 the next concrete step (default 1). */
  level?: HintLevel;
}

export interface HintOptions {
  /** How the private solution is found: mode, n (default 4, majority vote), sampling. */
  solve?: Pick<RunOptions, "mode" | "n" | "sampling" | "tir">;
  /** How hints are sampled (default temperature 0.7, top-p 0.8, at most 256 tokens; attempt k uses seed + k). */
  sampling?: SamplingSettings;
  /** Hints written before giving up and cutting (default 3). */
  attempts?: number;
  signal?: AbortSignal;
}

export interface Hint {
  level: HintLevel;
  text: string;
  /** Who wrote it: the model (checked only for not giving the answer away). */
  by: "model";
  model: string;
  /** Hints written until one did not give the answer away. */
  attempts: number;
  /** True when every attempt gave the answer away and the sentences that did were cut. */
  cut: boolean;
  /** The student's work, checked (when given). */
  work?: CheckResult;
}

const LEVEL_ASK: Record<HintLevel, string> = {
  1: "Write a gentle nudge: one or two sentences on what to notice or think about first. No formulas, no computation.",
  2: "Name the method or idea that solves the problem and how it applies here, in two or three sentences, without carrying it out.",
  3: "Give the next concrete step from where the student is (or the first step if they have not started), with the math of that one step only.",
};

/** The math segments of a text and its explicit answers (\boxed{}, "the answer is ..."). */
function mathSegments(text: string): string[] {
  const out: string[] = [];
  for (const r of mathRegions(text)) {
    const content = text.slice(r.start, r.end);
    out.push(content);
    // each side of a relation on its own ($x = 5$ gives 5 away)
    for (const part of content.split(/=|\\approx|\\le|\\ge|<|>|\\implies|\\Rightarrow/)) if (part.trim()) out.push(part);
  }
  const boxed = lastBoxed(text);
  if (boxed !== null) out.push(boxed);
  for (const mm of text.matchAll(/answer\s+(?:is|=|:)\s*\$?([^\s$.,;]+)/gi)) out.push(mm[1]!);
  return out;
}

/** Whether the text gives the answer away: a math segment of it equals the answer. */
export function givesAnswerAway(text: string, answer: string): boolean {
  return mathSegments(text).some((segment) => equivalent(segment, answer, { timeoutMs: 20 }).equivalent);
}

/** The text without the sentences that give the answer away. */
function cutLeaks(text: string, answer: string): string {
  const sentences = text.split(/(?<=[.!?])\s+|\n+/);
  return sentences
    .filter((s) => !givesAnswerAway(s, answer))
    .join(" ")
    .trim();
}

function hintPrompt(problem: string, solution: string, answer: string, level: HintLevel, work: string | undefined, checked: CheckResult | undefined): string {
  const lines = [
    "You are a patient math tutor. A student is working on this problem:",
    "",
    problem.trim(),
    "",
    "For you only (never show it to the student), a worked solution:",
    "",
    solution.trim(),
    "",
    `Its final answer is ${answer}. Never state it, in words or in math.`,
  ];
  if (work !== undefined && work.trim()) {
    lines.push("", "The student's work so far:", "", work.trim());
    const first = checked && checked.firstError !== null ? checked.steps[checked.firstError] : undefined;
    if (first) lines.push("", `An exact check found the first error in the step "${first.text}": ${first.reason}`, "Start the hint from that error.");
  }
  lines.push("", `Hint ${level} of 3. ${LEVEL_ASK[level]} Speak to the student directly.`);
  return lines.join("\n");
}

/** The settings that are set (an explicit undefined does not replace a default). */
export function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  return o ? (Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>) : {};
}

/** Hint `level` for the problem, written from a private solution and checked not to give the answer away. */
export async function giveHint(engine: Engine, request: HintRequest, options: HintOptions = {}): Promise<Hint> {
  const level = request.level ?? 1;
  if (!HINT_LEVELS.includes(level)) throw new QmathError("bad_input", `Unknown hint level ${String(level)}.`, "Use 1 (a nudge), 2 (the method) or 3 (the next step).");
  if (typeof request.problem !== "string" || !request.problem.trim()) throw new QmathError("bad_input", "The problem is empty.", "Give the problem text.");
  const checked = request.work !== undefined && request.work.trim() ? checkSolution({ problem: request.problem, solution: request.work }) : undefined;
  const solved = await solve(engine, request.problem, { n: 4, ...definedOnly(options.solve), selection: { method: "maj" }, signal: options.signal });
  const answer = solved.answer;
  const prompt = hintPrompt(request.problem, solved.text, answer ?? "(none found)", level, request.work, checked);
  const attempts = Math.max(1, options.attempts ?? 3);
  const base: SamplingSettings = { temperature: 0.7, topP: 0.8, maxTokens: 256, ...definedOnly(options.sampling) };
  let text = "";
  for (let k = 0; k < attempts; k++) {
    const session = new ChatSession(engine, { sampling: { ...base, seed: (base.seed ?? 0) + k } });
    text = (await session.ask(prompt, undefined, options.signal)).text.trim();
    if (answer === null || !givesAnswerAway(text, answer)) {
      return { level, text, by: "model", model: engine.info.model, attempts: k + 1, cut: false, ...(checked && { work: checked }) };
    }
  }
  return { level, text: cutLeaks(text, answer!), by: "model", model: engine.info.model, attempts, cut: true, ...(checked && { work: checked }) };
}
