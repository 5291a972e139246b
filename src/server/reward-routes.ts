/**
 * POST /v1/reward: rewards for RL. Body:
 *   {"items": [{"problem", "response", "reference", "group"?}],
 *    "alpha"?, "format_reward"?, "length"?: {"budget", "penalty", "window"?, "unit"?},
 *    "dataset"?, "epsilon"?, "use_rm"?}
 * Answer: {"results": [{"rule", "rm"?, "reward", "advantage", "correct", "answer"}]}, in
 * item order. The reward model term is there when the server was given a reward scorer
 * (and the request does not say "use_rm": false); asking for it without one is a 400.
 */
import type { FastifyInstance } from "fastify";
import { MAX_RESPONSE_CHARS } from "../answers/extract.js";
import { answerStyleOf } from "../datasets/registry.js";
import { QmathError } from "../errors.js";
import { computeRewards, type RewardItem, type RewardOptions } from "../rewards/grpo.js";
import type { RewardScorer } from "../select/reward.js";
import type { PortableRuleOptions } from "./math-tasks.js";
import type { MathWorkers } from "./math-work.js";

export interface RewardContext {
  /** The worker threads that compute the rule rewards (extraction and grading). */
  work: MathWorkers;
  /** The reward model behind the shaped reward (an outcome or process reward model client); none: rule reward only. */
  scorer?: RewardScorer;
  /** Most items per request (default 10,000). */
  maxBatch?: number;
}

interface RewardBody {
  items: RewardItem[];
  alpha?: number;
  format_reward?: number;
  length?: { budget: number; penalty: number; window?: number; unit?: "chars" | "tokens" };
  dataset?: string;
  epsilon?: number;
  use_rm?: boolean;
}

function rewardSchema(maxBatch: number) {
  return {
    type: "object",
    required: ["items"],
    additionalProperties: false,
    properties: {
      items: {
        type: "array",
        maxItems: maxBatch,
        items: {
          type: "object",
          required: ["problem", "response", "reference"],
          properties: {
            problem: { type: "string" },
            response: { type: "string", maxLength: MAX_RESPONSE_CHARS },
            reference: { anyOf: [{ type: "string" }, { type: "number" }] },
            group: { anyOf: [{ type: "string" }, { type: "integer" }] },
          },
        },
      },
      alpha: { type: "number", minimum: 0, maximum: 1 },
      format_reward: { type: "number" },
      length: {
        type: "object",
        required: ["budget", "penalty"],
        additionalProperties: false,
        properties: {
          budget: { type: "number", exclusiveMinimum: 0 },
          penalty: { type: "number", minimum: 0 },
          window: { type: "number", exclusiveMinimum: 0 },
          unit: { enum: ["chars", "tokens"] },
        },
      },
      dataset: { type: "string" },
      epsilon: { type: "number", minimum: 0 },
      use_rm: { type: "boolean" },
    },
  } as const;
}

export function registerRewardRoutes(app: FastifyInstance, ctx: RewardContext): void {
  app.post("/v1/reward", { schema: { body: rewardSchema(ctx.maxBatch ?? 10_000) } }, async (request) => {
    const body = request.body as RewardBody;
    if (body.use_rm === true && !ctx.scorer)
      throw new QmathError("bad_input", "This server has no reward model.", "Start it with a reward model, or leave out use_rm for the rule reward.");
    const useRm = ctx.scorer !== undefined && body.use_rm !== false;
    // What the rule reward needs; it runs in worker threads (extraction and grading).
    const rule: PortableRuleOptions = {
      ...(body.format_reward !== undefined && { format: body.format_reward }),
      ...(body.length && { length: body.length }),
      ...(body.dataset !== undefined && { answerStyle: answerStyleOf(body.dataset) }),
    };
    const options: RewardOptions = {
      ...rule,
      ...(useRm && { scorer: ctx.scorer }),
      ...(body.alpha !== undefined && { alpha: body.alpha }),
      ...(body.epsilon !== undefined && { epsilon: body.epsilon }),
      ruleRewards: (items) => ctx.work.ruleRewards(items.map(({ response, reference }) => ({ response, reference })), rule),
    };
    const items = body.items.map((it) => (typeof it.reference === "number" ? { ...it, reference: String(it.reference) } : it));
    return { results: await computeRewards(items, options) };
  });
}
