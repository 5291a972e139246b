/**
 * Reward-model selection (RM@N): every sample gets a score from a reward scorer and the
 * highest wins (ties: the earliest sample, as the reference's list.index(max(...))).
 * A scorer is an interface: the Qwen2.5-Math reward models served remotely implement it,
 * and a library user can pass a plain function.
 */
export interface ScoredResponse {
  problem: string;
  response: string;
}

export interface RewardScorer {
  /** One score per item, higher is better. */
  score(items: readonly ScoredResponse[]): Promise<number[]>;
}

/** A scorer from a function of (problem, response). */
export function functionScorer(fn: (problem: string, response: string) => number | Promise<number>): RewardScorer {
  return { score: (items) => Promise.all(items.map((i) => fn(i.problem, i.response))) };
}

/** Index of the highest score (the first on ties); null for no scores. NaN never wins. */
export function rewardSelect(scores: readonly number[]): number | null {
  let best: number | null = null;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (Number.isNaN(s)) continue;
    if (best === null || s > scores[best]!) best = i;
  }
  return best;
}
