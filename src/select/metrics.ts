/**
 * Every accuracy metric over N samples, in one place: accuracy, pass@1 (mean accuracy over
 * samples), pass@k with the unbiased estimator, maj@k and rm@k on the first k samples (as the
 * reference harness computes them), and accuracy against k. solve(), eval's summary, the
 * scoring of recorded outputs and the library all use these functions.
 *
 * Per problem, sampleMetrics() computes what the metrics need at each k; metricsAtK() and
 * accuracyCurve() average those outcomes over problems. maj@k clusters answers by
 * equivalence with the caller's EquivalenceOptions: pass the same options that graded the
 * samples, or the vote and the verdicts disagree about which answers are the same.
 */
import type { EquivalenceOptions } from "../answers/equivalent.js";
import { majorityVote, majorityVotes, type Vote } from "./majority.js";
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

/** Share of samples (or problems) that are correct, 0..1. */
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

/** One graded sample, in sample-index order: its extracted answer, its verdict, and its reward score if it has one. */
export interface GradedSample {
  answer: string | null;
  correct: boolean;
  score?: number;
}

/** What the metrics at one k say about one problem. */
export interface OutcomeAtK {
  /** The majority winner of the first k samples (null when none has an answer), and whether it is correct. */
  majWinner: number | null;
  maj: boolean;
  /** The highest-scored of the first k samples and whether it is correct; null when a sample has no score. */
  rmWinner: number | null;
  rm: boolean | null;
  /** Unbiased pass@k over all the problem's samples, 0..1. */
  pass: number;
}

/** One problem's samples, reduced to what every metric needs. */
export interface ProblemOutcome {
  /** Samples, and correct samples. */
  n: number;
  c: number;
  /** Whether every sample has a reward score (rm@k exists). */
  scored: boolean;
  /** The outcome at each k asked for. */
  atK: Map<number, OutcomeAtK>;
}

/**
 * The vote of every prefix of a problem's samples, computed once per samples array and
 * equivalence options: scoring recorded outputs asks for maj@k, and its summary for the
 * curve over the same samples, and clustering (equivalence checks) is the cost. A samples
 * array is not changed after it is graded.
 */
const votesCache = new WeakMap<readonly GradedSample[], { key: string; votes: Map<number, Vote> }>();

function prefixVotes(samples: readonly GradedSample[], equivalence: EquivalenceOptions): Map<number, Vote> {
  const key = JSON.stringify(equivalence);
  const cached = votesCache.get(samples);
  if (cached && cached.key === key) return cached.votes;
  const votes = majorityVotes(
    samples.map((s) => s.answer),
    samples.map((_, i) => i + 1),
    equivalence,
  );
  votesCache.set(samples, { key, votes });
  return votes;
}

/**
 * Per-problem metrics at each k of `ks` (1 <= k <= samples): maj@k and rm@k on the first k
 * samples, pass@k over all of them. The majority is majorityVotes(), the rule solve() selects
 * by, with these equivalence options. Throws RangeError for no samples or a k out of range.
 */
export function sampleMetrics(samples: readonly GradedSample[], ks: number | readonly number[], equivalence: EquivalenceOptions = {}): ProblemOutcome {
  const list = typeof ks === "number" ? [ks] : [...new Set(ks)];
  const n = samples.length;
  for (const k of list)
    if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`metrics need a whole k from 1 to the ${n} samples (k=${k})`);
  const c = samples.filter((s) => s.correct).length;
  const votes = prefixVotes(samples, equivalence);
  const scored = samples.every((s) => typeof s.score === "number");
  const scores = scored ? samples.map((s) => s.score!) : null;
  const atK = new Map<number, OutcomeAtK>();
  for (const k of list) {
    const majWinner = votes.get(k)!.winner;
    const rmWinner = scores ? rewardSelect(scores.slice(0, k)) : null;
    atK.set(k, {
      majWinner,
      maj: majWinner !== null && samples[majWinner]!.correct,
      rmWinner,
      rm: scores ? rmWinner !== null && samples[rmWinner]!.correct : null,
      pass: passAtK(n, c, k),
    });
  }
  return { n, c, scored, atK };
}

/** Metrics at one k over problems, in percent: problem-weighted means. */
export interface MetricsAtK {
  /** Mean accuracy over each problem's samples, averaged over problems. */
  "pass@1": number;
  "maj@k": number;
  "pass@k": number;
  /** Only when every problem's samples all have scores. */
  "rm@k"?: number;
}

/** One point of accuracy against k, in percent. */
export interface CurvePoint {
  k: number;
  "maj@k": number;
  "pass@k": number;
  /** When every sample has a score. */
  "rm@k"?: number;
}

const outcomeAt = (o: ProblemOutcome, k: number): OutcomeAtK => {
  const at = o.atK.get(k);
  if (!at) throw new RangeError(`no outcome at k=${k}: pass it to sampleMetrics`);
  return at;
};

const percentOf = (values: readonly number[]): number => (values.length === 0 ? 0 : (100 * values.reduce((a, b) => a + b, 0)) / values.length);

/** Accuracy in percent: the share of true verdicts (of selected answers, say). */
export function accuracy(correct: readonly boolean[]): number {
  return 100 * meanAccuracy(correct);
}

/** pass@1, maj@k, pass@k and rm@k over problems at k (each outcome computed with k). */
export function metricsAtK(outcomes: readonly ProblemOutcome[], k: number): MetricsAtK {
  const at = outcomes.map((o) => outcomeAt(o, k));
  const m: MetricsAtK = {
    "pass@1": percentOf(outcomes.map((o) => o.c / o.n)),
    "maj@k": accuracy(at.map((a) => a.maj)),
    "pass@k": percentOf(at.map((a) => a.pass)),
  };
  if (outcomes.every((o) => o.scored)) m["rm@k"] = accuracy(at.map((a) => a.rm === true));
  return m;
}

/** Accuracy against k: maj@k, pass@k and rm@k at each k (each outcome computed with every k). */
export function accuracyCurve(outcomes: readonly ProblemOutcome[], ks: readonly number[]): CurvePoint[] {
  return ks.map((k) => {
    const { "maj@k": maj, "pass@k": pass, "rm@k": rm } = metricsAtK(outcomes, k);
    return { k, "maj@k": maj, "pass@k": pass, ...(rm !== undefined && { "rm@k": rm }) };
  });
}

/** The k values of the accuracy-against-k curve: 1, 2, 4, ... below n, then n. */
export function curveKs(n: number): number[] {
  const ks: number[] = [];
  for (let k = 1; k < n; k *= 2) ks.push(k);
  ks.push(n);
  return ks;
}
