/**
 * Majority voting (Maj@N) over answers grouped by mathematical equivalence, not string
 * equality: "\frac{1}{2}", "0.5" and "1/2" are one vote. Each answer joins the first
 * cluster whose representative (its first member) it is equivalent to, in sample order.
 * The largest cluster wins; on a tie, the cluster whose first member came first, as the
 * reference harness's Counter.most_common does.
 */
import { equivalent, type EquivalenceOptions } from "../answers/equivalent.js";

export interface AnswerCluster {
  /** The answer as the cluster's first member wrote it. */
  answer: string;
  /** Sample indexes in the cluster, in sample order. */
  members: number[];
}

export interface Vote {
  /** The winning sample: the first member of the largest cluster (null when no sample has an answer). */
  winner: number | null;
  /** Clusters, largest first (ties: earliest first member first). */
  clusters: AnswerCluster[];
}

/** Groups answers by equivalence; null answers (none extracted) join no cluster. */
export class AnswerClusters {
  private readonly list: AnswerCluster[] = [];

  constructor(private readonly options: EquivalenceOptions = {}) {}

  add(index: number, answer: string | null): void {
    if (answer === null) return;
    const home = this.list.find((c) => c.answer === answer || equivalent(answer, c.answer, this.options).equivalent);
    if (home) home.members.push(index);
    else this.list.push({ answer, members: [index] });
  }

  /** Clusters largest first; ties keep the order of their first members. */
  ranked(): AnswerCluster[] {
    return this.list
      .map((c, order) => ({ c, order }))
      .sort((a, b) => b.c.members.length - a.c.members.length || a.order - b.order)
      .map(({ c }) => ({ answer: c.answer, members: [...c.members] }));
  }

  /** The vote as it stands: the first member of the largest cluster wins. */
  vote(): Vote {
    const ranked = this.ranked();
    return { winner: ranked[0]?.members[0] ?? null, clusters: ranked };
  }
}

/**
 * The vote of the first k answers for every k of `ks` (each from 0 to answers.length), in
 * one pass. Answers are added in sample-index order, so the clusters, their representatives
 * and the tie-break never depend on the order in which samples finished. This is the one
 * voting rule: solve()'s selection, maj@k and the summaries all come from it.
 */
export function majorityVotes(answers: readonly (string | null)[], ks: readonly number[], options: EquivalenceOptions = {}): Map<number, Vote> {
  for (const k of ks)
    if (!Number.isInteger(k) || k < 0 || k > answers.length) throw new RangeError(`a vote needs a whole k from 0 to ${answers.length} answers (k=${k})`);
  const want = new Set(ks);
  const votes = new Map<number, Vote>();
  const clusters = new AnswerClusters(options);
  if (want.has(0)) votes.set(0, clusters.vote());
  const last = Math.max(0, ...ks);
  for (let i = 0; i < last; i++) {
    clusters.add(i, answers[i]!);
    if (want.has(i + 1)) votes.set(i + 1, clusters.vote());
  }
  return votes;
}

/** The vote of all answers, in sample-index order (see majorityVotes). */
export function majorityVote(answers: readonly (string | null)[], options: EquivalenceOptions = {}): Vote {
  return majorityVotes(answers, [answers.length], options).get(answers.length)!;
}

/**
 * Early stopping for voting: true when the leading cluster can no longer be overtaken (or
 * tied) by the samples still to come, even if all of them joined the runner-up.
 */
export function voteDecided(ranked: readonly AnswerCluster[], remaining: number): boolean {
  const first = ranked[0]?.members.length ?? 0;
  const second = ranked[1]?.members.length ?? 0;
  return first > second + remaining;
}
