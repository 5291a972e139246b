/**
 * Rewards for RL: the rule reward, the shaped reward with a reward model, and GRPO
 * group-relative advantages.
 *
 * - reward = alpha * rm + (1 - alpha) * rule when a reward model scores the responses
 *   (alpha default 0.5), else reward = rule.
 * - advantage (GRPO): responses are grouped by `group` (default: the problem text); within a
 *   group, advantage = (reward - mean) / (std + epsilon), with the population standard
 *   deviation (divide by n) and epsilon = 1e-6 by default (it only keeps tiny spreads from
 *   blowing up). A group whose rewards are all equal (std 0, including a group of one) gets
 *   advantage 0 for every member: there is nothing to prefer.
 */
import { QmathError } from "../errors.js";
import type { RewardScorer } from "../select/reward.js";
import { checkRuleOptions, ruleReward, type RuleReward, type RuleRewardOptions } from "./rule.js";

export interface RewardItem {
  problem: string;
  response: string;
  reference: string;
  /** Responses with the same group are compared with each other (default: same problem). */
  group?: string | number;
}

export interface RewardResult {
  rule: number;
  /** The reward model's score, when one is configured. */
  rm?: number;
  reward: number;
  advantage: number;
  correct: boolean;
  answer: string | null;
}

export interface RewardOptions extends RuleRewardOptions {
  /** Reward model for the shaped reward. */
  scorer?: RewardScorer;
  /** Weight of the reward model in the shaped reward, in [0, 1] (default 0.5). */
  alpha?: number;
  /** Added to the standard deviation in the advantage (default 1e-6). */
  epsilon?: number;
  /**
   * Computes the items' rule rewards, in order (default: ruleReward on each, on this thread).
   * The server passes one that runs them in worker threads.
   */
  ruleRewards?: (items: readonly RewardItem[]) => Promise<readonly RuleReward[]>;
}

export const DEFAULT_ALPHA = 0.5;
export const DEFAULT_EPSILON = 1e-6;

/** GRPO advantages of rewards grouped by key: (r - mean) / (std + epsilon), 0 for groups with no spread. */
export function groupAdvantages(rewards: readonly number[], groups: readonly unknown[], epsilon = DEFAULT_EPSILON): number[] {
  if (groups.length !== rewards.length) throw new QmathError("bad_input", "Every reward needs a group.");
  const members = new Map<unknown, number[]>();
  for (let i = 0; i < rewards.length; i++) {
    const list = members.get(groups[i]);
    if (list) list.push(i);
    else members.set(groups[i], [i]);
  }
  const out = new Array<number>(rewards.length).fill(0);
  for (const idx of members.values()) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const i of idx) {
      const r = rewards[i]!;
      sum += r;
      if (r < min) min = r;
      if (r > max) max = r;
    }
    if (!(max > min)) continue; // all equal (or NaN): advantage 0
    const mean = sum / idx.length;
    let sq = 0;
    for (const i of idx) sq += (rewards[i]! - mean) ** 2;
    const std = Math.sqrt(sq / idx.length);
    for (const i of idx) out[i] = (rewards[i]! - mean) / (std + epsilon);
  }
  return out;
}

function checkRewardOptions(options: RewardOptions): void {
  checkRuleOptions(options);
  if (options.alpha !== undefined && !(options.alpha >= 0 && options.alpha <= 1)) throw new QmathError("bad_input", `alpha must be in [0, 1], not ${options.alpha}.`);
  if (options.epsilon !== undefined && !(options.epsilon >= 0 && Number.isFinite(options.epsilon)))
    throw new QmathError("bad_input", `epsilon must be a number of at least 0, not ${options.epsilon}.`);
}

/** Rule reward, optional reward-model score, shaped reward and GRPO advantage for each item, in order. */
export async function computeRewards(items: readonly RewardItem[], options: RewardOptions = {}): Promise<RewardResult[]> {
  checkRewardOptions(options);
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const [rm, rules] = await Promise.all([
    options.scorer && items.length > 0 ? options.scorer.score(items) : undefined,
    options.ruleRewards ? options.ruleRewards(items) : items.map((it) => ruleReward(it.response, it.reference, options)),
  ]);
  if (rm && rm.length !== items.length) throw new QmathError("engine_failed", `The reward model gave ${rm.length} scores for ${items.length} responses.`);
  const results: RewardResult[] = new Array(items.length);
  const rewards = new Array<number>(items.length);
  for (let i = 0; i < items.length; i++) {
    const r = rules[i]!;
    const reward = rm ? alpha * rm[i]! + (1 - alpha) * r.rule : r.rule;
    rewards[i] = reward;
    results[i] = rm
      ? { rule: r.rule, rm: rm[i]!, reward, advantage: 0, correct: r.correct, answer: r.answer }
      : { rule: r.rule, reward, advantage: 0, correct: r.correct, answer: r.answer };
  }
  const adv = groupAdvantages(
    rewards,
    items.map((it) => (it.group === undefined ? `p:${it.problem}` : `g:${String(it.group)}`)),
    options.epsilon ?? DEFAULT_EPSILON,
  );
  for (let i = 0; i < items.length; i++) results[i]!.advantage = adv[i]!;
  return results;
}
