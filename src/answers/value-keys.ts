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
