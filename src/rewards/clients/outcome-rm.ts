/**
 * Qwen2.5-Math-RM-72B, the outcome reward model, served by vLLM's Pooling API.
 *
 * The model card scores a conversation rendered with the chat template and no generation
 * prompt: system = the CoT system prompt, user = the problem, assistant = the response.
 * vLLM serves it as Qwen2ForRewardModel with ALL pooling and one label, so /pooling returns
 * one 1-element vector per token; the reward is the value at the last token.
 */
import { QmathError } from "../../errors.js";
import { checkTimerMs } from "../../timer-ms.js";
import { renderChatML } from "../../prompts/chatml.js";
import { COT_SYSTEM_PROMPT } from "../../prompts/formats.js";
import type { RewardScorer, ScoredResponse } from "../../select/reward.js";
import { pool, type PooledData, type PoolingClientOptions } from "./pooling.js";

export const OUTCOME_RM_MODEL = "Qwen/Qwen2.5-Math-RM-72B";

export interface RewardModelOptions {
  /** The vLLM server, e.g. http://127.0.0.1:8000. */
  baseUrl: string;
  /** The served model name (default Qwen/Qwen2.5-Math-RM-72B; use what --served-model-name says). */
  model?: string;
  apiKey?: string;
  timeoutMs?: number;
  /** Conversations per request (default 16). */
  batchSize?: number;
  /** The system prompt of the scored conversation (default the CoT system prompt). */
  systemPrompt?: string;
  /** Extra /pooling request fields. */
  extraBody?: Record<string, unknown>;
}

/** The text the outcome reward model scores. */
export function outcomeRmInput(problem: string, response: string, systemPrompt = COT_SYSTEM_PROMPT): string {
  return renderChatML(
    [
      { role: "system", content: systemPrompt },
      { role: "user", content: problem },
      { role: "assistant", content: response },
    ],
    false,
  );
}

/** The score in one pooled output: the (only) value at the last token. */
function lastTokenScore(data: PooledData): number {
  const last = data[data.length - 1];
  const value = Array.isArray(last) ? last[0] : last;
  if (typeof value !== "number" || !Number.isFinite(value))
    throw new QmathError(
      "engine_failed",
      `The reward model server returned pooling output without a score at the last token (${JSON.stringify(data).slice(0, 200)}).`,
      "Serve Qwen/Qwen2.5-Math-RM-72B with vLLM's pooling runner.",
    );
  return value;
}

export function clientOptions(options: RewardModelOptions, defaultModel: string): PoolingClientOptions {
  return {
    baseUrl: options.baseUrl,
    model: options.model ?? defaultModel,
    apiKey: options.apiKey,
    timeoutMs: options.timeoutMs === undefined ? undefined : checkTimerMs("reward model option timeoutMs", options.timeoutMs),
    batchSize: options.batchSize,
    extraBody: options.extraBody,
  };
}

export interface OutcomeRewardModel extends RewardScorer {
  readonly model: string;
}

export function createOutcomeRewardModel(options: RewardModelOptions): OutcomeRewardModel {
  const client = clientOptions(options, OUTCOME_RM_MODEL);
  return {
    model: client.model,
    async score(items: readonly ScoredResponse[]): Promise<number[]> {
      if (items.length === 0) return [];
      const outputs = await pool(
        client,
        items.map((i) => outcomeRmInput(i.problem, i.response, options.systemPrompt)),
      );
      return outputs.map(lastTokenScore);
    },
  };
}
