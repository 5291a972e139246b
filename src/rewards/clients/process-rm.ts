/**
 * Qwen2.5-Math-PRM-7B, the process reward model, served by vLLM's Pooling API.
 *
 * From the model card: the response is split into steps on blank lines ("\n\n"), and the
 * assistant turn is "<extra_0>".join(steps) + "<extra_0>"; system = the CoT system prompt,
 * user = the problem, rendered with the chat template and no generation prompt. The model
 * has two labels; a step's reward is the probability of the positive label (index 1) at the
 * "<extra_0>" token that ends it.
 *
 * vLLM serves it as Qwen2ForProcessRewardModel with STEP pooling on token 151651
 * ("<extra_0>"), so /pooling returns one 2-vector per step. Depending on the version the
 * vectors are probabilities (softmax applied) or raw logits: a vector that is already a
 * probability distribution (non-negative, sums to 1 within 1e-3) is used as is, anything
 * else goes through a softmax. A server that returns a vector per token instead (STEP
 * pooling without a step tag) is an error: its step positions cannot be told apart here.
 */
import { QmathError } from "../../errors.js";
import { renderChatML } from "../../prompts/chatml.js";
import { COT_SYSTEM_PROMPT } from "../../prompts/formats.js";
import type { RewardScorer, ScoredResponse } from "../../select/reward.js";
import { clientOptions, type RewardModelOptions } from "./outcome-rm.js";
import { pool, type PooledData } from "./pooling.js";

export const PROCESS_RM_MODEL = "Qwen/Qwen2.5-Math-PRM-7B";
export const STEP_TAG = "<extra_0>";
/** The token id of "<extra_0>" in the Qwen2.5 vocabulary. */
export const STEP_TAG_ID = 151651;

/** How step rewards become one score: the weakest step (default), or the product of all. */
export type StepReduce = "min" | "product";
export const STEP_REDUCES: readonly StepReduce[] = ["min", "product"];

export interface ProcessRewardModelOptions extends RewardModelOptions {
  /** Default "min". */
  reduce?: StepReduce;
}

/** The steps of a response: split on blank lines, trimmed, empty pieces dropped (an empty response is one empty step). */
export function splitSteps(response: string): string[] {
  const steps = response
    .split("\n\n")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return steps.length > 0 ? steps : [""];
}

/** The text the process reward model scores, and its number of steps. */
export function processRmInput(problem: string, response: string, systemPrompt = COT_SYSTEM_PROMPT): { text: string; steps: number } {
  const steps = splitSteps(response);
  const text = renderChatML(
    [
      { role: "system", content: systemPrompt },
      { role: "user", content: problem },
      { role: "assistant", content: steps.join(STEP_TAG) + STEP_TAG },
    ],
    false,
  );
  return { text, steps: steps.length };
}

/** The positive-class probability of a 2-vector: as is when it is a distribution, else softmax. */
function positiveProbability(v: readonly number[]): number {
  const [neg, pos] = v as [number, number];
  if (neg >= 0 && pos >= 0 && Math.abs(neg + pos - 1) <= 1e-3) return pos;
  const m = Math.max(neg, pos);
  const a = Math.exp(neg - m);
  const b = Math.exp(pos - m);
  return b / (a + b);
}

const PRM_HINT = `Serve Qwen/Qwen2.5-Math-PRM-7B with STEP pooling on <extra_0> (vllm serve ... --runner pooling --pooler-config '{"step_tag_id": ${STEP_TAG_ID}}', see the README).`;

/** Step rewards from one pooled output of a response with `steps` steps. */
function stepScores(data: PooledData, steps: number): number[] {
  if (!data.every((row) => Array.isArray(row) && row.length === 2))
    throw new QmathError(
      "engine_failed",
      `The reward model server did not return a 2-class vector per step (first row: ${JSON.stringify(data[0])}), so it is not serving a process reward model.`,
      PRM_HINT,
    );
  if (data.length !== steps)
    throw new QmathError("engine_failed", `The reward model server returned ${data.length} step vectors for a response of ${steps} steps.`, PRM_HINT);
  return (data as number[][]).map(positiveProbability);
}

export function reduceSteps(scores: readonly number[], reduce: StepReduce = "min"): number {
  if (scores.length === 0) return Number.NaN;
  return reduce === "product" ? scores.reduce((a, b) => a * b, 1) : Math.min(...scores);
}

export interface ProcessRewardModel extends RewardScorer {
  readonly model: string;
  readonly reduce: StepReduce;
  /** One probability per step of the response. */
  scoreSteps(problem: string, response: string): Promise<number[]>;
  /** Step probabilities for many items, in order (one request per batch). */
  scoreStepsBatch(items: readonly ScoredResponse[]): Promise<number[][]>;
}

export function createProcessRewardModel(options: ProcessRewardModelOptions): ProcessRewardModel {
  const client = clientOptions(options, PROCESS_RM_MODEL);
  const reduce = options.reduce ?? "min";
  if (!STEP_REDUCES.includes(reduce)) throw new QmathError("bad_input", `Unknown step reduction '${String(reduce)}'.`, `Use ${STEP_REDUCES.join(" or ")}.`);
  const scoreStepsBatch = async (items: readonly ScoredResponse[]): Promise<number[][]> => {
    if (items.length === 0) return [];
    const inputs = items.map((i) => processRmInput(i.problem, i.response, options.systemPrompt));
    const outputs = await pool(
      client,
      inputs.map((i) => i.text),
    );
    return outputs.map((data, k) => stepScores(data, inputs[k]!.steps));
  };
  return {
    model: client.model,
    reduce,
    scoreStepsBatch,
    scoreSteps: async (problem, response) => (await scoreStepsBatch([{ problem, response }]))[0]!,
    score: async (items) => (await scoreStepsBatch(items)).map((s) => reduceSteps(s, reduce)),
  };
}
