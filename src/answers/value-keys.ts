/**
 * Keys for matching the items of two sets by value before comparing what is left pair by
 * pair: an exact item (a rational with no decimal in it, or a tuple of such) gets its value
 * as a key, and two items with the same key are equal. A set of n exact items is then
 * matched in O(n) evaluations instead of O(n^2) comparisons.
 */
import type { Node } from "./ast.js";
import type { Budget } from "./budget.js";
import { exact, hasApprox } from "./evaluate.js";

/** The value key of an item, or null when only a full comparison can match it. */
export function valueKey(n: Node, budget: Budget): string | null {
  if (n.k === "seq") {
    if (n.open === "" || n.open === "{") return null;
    const keys: string[] = [];
    for (const item of n.items) {
      const k = valueKey(item, budget);
      if (k === null) return null;
      keys.push(k);
    }
    return `${n.open}${keys.join(",")}${n.close}`;
  }
  if (n.k === "pct" || n.k === "deg" || hasApprox(n)) return null;
  const v = exact(n, budget);
  return v ? `${v.n}/${v.d}` : null;
}

/**
 * Pairs the items of a and b that have equal value keys. Returns the items of each side left
 * unpaired (in their order), for the pairwise comparison.
 */
export function pairByValue(a: Node[], b: Node[], budget: Budget): [Node[], Node[]] {
  const waiting = new Map<string, number>();
  const restB: Node[] = [];
  for (const item of b) {
    const k = valueKey(item, budget);
    if (k === null) restB.push(item);
    else waiting.set(k, (waiting.get(k) ?? 0) + 1);
  }
  if (waiting.size === 0) return [a, b];
  const restA: Node[] = [];
  for (const item of a) {
    const k = valueKey(item, budget);
    const left = k === null ? 0 : (waiting.get(k) ?? 0);
    if (left > 0) waiting.set(k!, left - 1);
    else restA.push(item);
  }
  // the b items whose keys found no partner go back to the pairwise comparison
  for (const item of b) {
    const k = valueKey(item, budget);
    if (k === null) continue;
    const left = waiting.get(k) ?? 0;
    if (left > 0) {
      restB.push(item);
      waiting.set(k, left - 1);
    }
  }
  return [restA, restB];
}

/**
 * Whether every item of a has its own partner in b under `equal` (a and b of the same length),
 * trying b's items for each item of a nearest its numeric fingerprint first (items without one
 * last, in order): matching sets, in any order, then cost about one comparison per item, and a
 * set with an item that has no partner stops at that item. The fingerprint only orders the
 * search; every candidate is still tried, so the verdict is the one a full search gives.
 */
export function matchUnordered(a: Node[], b: Node[], equal: (x: Node, y: Node) => boolean, fingerprint: (n: Node) => number | null, budget: Budget): boolean {
  const used = new Array<boolean>(b.length).fill(false);
  const fb = b.map(fingerprint);
  const sorted = fb.flatMap((v, j) => (v === null ? [] : [j])).sort((i, j) => fb[i]! - fb[j]!);
  const unprinted = fb.flatMap((v, j) => (v === null ? [j] : []));
  const tryOne = (x: Node, j: number): boolean => {
    if (used[j] || !equal(x, b[j]!)) return false;
    used[j] = true;
    return true;
  };
  outer: for (const x of a) {
    const fx = fingerprint(x);
    if (fx !== null) {
      // outward from where fx would sit among the sorted fingerprints
      let hi = lowerBound(sorted, (j) => fb[j]! < fx);
      let lo = hi - 1;
      while (lo >= 0 || hi < sorted.length) {
        budget.tick();
        const takeLow = hi >= sorted.length || (lo >= 0 && fx - fb[sorted[lo]!]! <= fb[sorted[hi]!]! - fx);
        const j = takeLow ? sorted[lo--]! : sorted[hi++]!;
        if (tryOne(x, j)) continue outer;
      }
      for (const j of unprinted) if (tryOne(x, j)) continue outer;
      return false;
    }
    for (let j = 0; j < b.length; j++) if (tryOne(x, j)) continue outer;
    return false;
  }
  return true;
}

/** The first index of a sorted array where `before` stops holding. */
function lowerBound(arr: number[], before: (j: number) => boolean): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(arr[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
