/**
 * Accuracy metrics over N samples of a problem: pass@k with the unbiased estimator, mean
 * accuracy over samples, and maj@k / rm@k on the first k samples (as the reference harness
 * computes them).
 */
import type { EquivalenceOptions } from "../answers/equivalent.js";
import { majorityVote } from "./majority.js";
import { rewardSelect } from "./reward.js";

/**
 * Unbiased pass@k (Chen et al., 2021): the chance that at least one of k samples drawn
 * without replacement from n, of which c are correct, is correct: 1 - C(n-c, k) / C(n, k),
 * computed as a product to stay exact for large n.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 1 || k < 1 || k > n || c < 0 || c > n)
    throw new RangeError(`pass@k needs whole numbers with 1 <= k <= n and 0 <= c <= n (n=${n}, c=${c}, k=${k})`);
  if (n - c < k) return 1;
  let fail = 1;
  for (let i = n - c + 1; i <= n; i++) fail *= 1 - k / i;
  return 1 - fail;
}

/** Share of samples that are correct. */
export function meanAccuracy(correct: readonly boolean[]): number {
  return correct.length === 0 ? 0 : correct.filter(Boolean).length / correct.length;
}

/** maj@k: whether the majority answer among the first k samples is correct. */
export function majAtK(answers: readonly (string | null)[], correct: readonly boolean[], k: number, options: EquivalenceOptions = {}): boolean {
  const { winner } = majorityVote(answers.slice(0, k), options);
  return winner !== null && correct[winner] === true;
}

/** rm@k: whether the highest-scored of the first k samples is correct. */
export function rmAtK(scores: readonly number[], correct: readonly boolean[], k: number): boolean {
  const best = rewardSelect(scores.slice(0, k));
  return best !== null && correct[best] === true;
}
