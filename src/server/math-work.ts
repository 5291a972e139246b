/**
 * Grading, extraction and rule rewards for the server, off the event loop: batches are cut
 * into chunks (at most CHUNK_ITEMS items or CHUNK_CHARS characters) that run in a pool of
 * worker threads. A request keeps at most one chunk per worker in flight and queues its next
 * chunk behind everyone else's, so a maximal batch delays a small request by about one chunk,
 * and /health or a stream never waits for it at all.
 *
 * Provably tiny requests run inline instead, since a worker round trip costs more than they
 * do: grading of at most INLINE_PAIRS pairs of at most INLINE_GRADE_CHARS characters in all,
 * each under a budget of INLINE_BUDGET_MS (a pair that runs out is graded again in a worker
 * with the full budget, so the answers are the same as in a worker), and extraction of at
 * most INLINE_EXTRACT_CHARS characters (extraction is linear in its input).
 *
 * Every chunk has a deadline far above its worst legitimate time (each pair is bounded by the
 * grading budget, extraction by its input size): a worker past it is stuck, and is replaced.
 */
import { availableParallelism } from "node:os";
import type { EquivalenceResult } from "../answers/equivalent.js";
import { QmathError } from "../errors.js";
import type { RuleReward } from "../rewards/rule.js";
import { SOLUTION_BUDGET_MS, type CheckInput, type CheckResult } from "../check/check.js";
import { runMathTask, type ExtractItem, type GradePair, type MathTask, type PortableRuleOptions, type RuleItem } from "./math-tasks.js";
import { WorkerFailure, WorkerPool, type PoolStats } from "./worker-pool.js";

export const CHUNK_ITEMS = 64;
const CHUNK_CHARS = 262_144;
const INLINE_PAIRS = 4;
const INLINE_GRADE_CHARS = 256;
const INLINE_BUDGET_MS = 1;
export const INLINE_EXTRACT_CHARS = 4096;
/** equivalent()'s default bound per pair: 50 ms of a warm core's work (Budget.forTimeoutMs), which a loaded machine may take longer to do. */
const GRADE_BUDGET_MS = 50;

/** Workers for `threads` CPU threads: one less (the event loop keeps a core), at least 1, at most 8. */
export function mathWorkerCount(threads: number = availableParallelism()): number {
  return Math.max(1, Math.min(8, Math.min(threads, availableParallelism()) - 1));
}

const textLength = (v: string | number | null): number => (typeof v === "string" ? v.length : v === null ? 0 : 8);
const pairChars = (p: GradePair) => textLength(p.pred) + textLength(p.gold);

/**
 * A chunk's deadline: 2 s, plus 4x each pair's grading budget, plus 10 µs per character
 * (extraction and answer clean-up are linear; they take under 1 µs per character).
 */
const deadline = (chars: number, pairs = 0, budgetMs = GRADE_BUDGET_MS) => Math.ceil(2000 + 4 * budgetMs * pairs + chars / 100);

/** Consecutive runs of items, each at most CHUNK_ITEMS items and CHUNK_CHARS characters (or one item). */
function chunks<T>(items: readonly T[], size: (item: T) => number): { items: T[]; chars: number }[] {
  const out: { items: T[]; chars: number }[] = [];
  let current: { items: T[]; chars: number } = { items: [], chars: 0 };
  for (const item of items) {
    const n = size(item);
    if (current.items.length > 0 && (current.items.length >= CHUNK_ITEMS || current.chars + n > CHUNK_CHARS)) {
      out.push(current);
      current = { items: [], chars: 0 };
    }
    current.items.push(item);
    current.chars += n;
  }
  if (current.items.length > 0) out.push(current);
  return out;
}

/** The worker module next to this one (.js once built, .ts under tsx). */
function defaultScript(): URL {
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./math-worker${ext}`, import.meta.url);
}

export class MathWorkers {
  private readonly pool: WorkerPool<MathTask, unknown[]>;

  /** `threads` workers running `script` (default: math-worker.js, which serves runMathTask). */
  constructor(threads: number, script: URL = defaultScript()) {
    this.pool = new WorkerPool(script, threads);
  }

  get stats(): PoolStats {
    return this.pool.stats;
  }

  /** equivalent(pred, gold) for each pair, in order. */
  async grade(pairs: readonly GradePair[]): Promise<EquivalenceResult[]> {
    const chars = pairs.reduce((n, p) => n + pairChars(p), 0);
    if (pairs.length > INLINE_PAIRS || chars > INLINE_GRADE_CHARS) return this.gradeInWorkers(pairs);
    const results = runMathTask({ kind: "grade", pairs: [...pairs], timeoutMs: INLINE_BUDGET_MS }) as EquivalenceResult[];
    const redo = results.flatMap((r, i) => (r.reason === "timeout" ? [i] : []));
    if (redo.length === 0) return results;
    const again = await this.gradeInWorkers(redo.map((i) => pairs[i]!));
    redo.forEach((i, k) => (results[i] = again[k]!));
    return results;
  }

  /** extractAnswer(response, { answerStyle }) for each item, in order. */
  async extract(items: readonly ExtractItem[]): Promise<(string | null)[]> {
    const chars = items.reduce((n, it) => n + it.response.length, 0);
    if (chars <= INLINE_EXTRACT_CHARS) return runMathTask({ kind: "extract", items: [...items] }) as (string | null)[];
    return this.inChunks(items, (it) => it.response.length, (part) => ({ kind: "extract", items: part }), (_, n) => deadline(n));
  }

  /** ruleReward(response, reference, options) for each item, in order. */
  ruleRewards(items: readonly RuleItem[], options: PortableRuleOptions): Promise<RuleReward[]> {
    const budget = options.equivalence?.timeoutMs ?? GRADE_BUDGET_MS;
    return this.inChunks(
      items,
      (it) => it.response.length + it.reference.length,
      (part) => ({ kind: "rule", items: part, options }),
      (part, n) => deadline(n, part.length, budget),
    );
  }

  /** checkSolution(item) for each item, in order (always in the workers: a solution costs about a millisecond). */
  check(items: readonly CheckInput[]): Promise<CheckResult[]> {
    const size = (it: CheckInput) => it.problem.length + it.solution.length + (it.reference?.length ?? 0);
    // a solution's check is bounded (SOLUTION_BUDGET_MS, plus cutting and the final answer: linear in its length)
    return this.inChunks(items, size, (part) => ({ kind: "check", items: part }), (part, n) => Math.ceil(2000 + 2 * SOLUTION_BUDGET_MS * part.length + n / 20));
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private gradeInWorkers(pairs: readonly GradePair[]): Promise<EquivalenceResult[]> {
    return this.inChunks(pairs, pairChars, (part) => ({ kind: "grade", pairs: part }), (part, n) => deadline(n, part.length));
  }

  /** Runs the items' chunks, at most one per worker at a time, and joins the results in order. */
  private async inChunks<T, R>(items: readonly T[], size: (item: T) => number, task: (part: T[]) => MathTask, deadlineOf: (part: T[], chars: number) => number): Promise<R[]> {
    const parts = chunks(items, size);
    const results: R[][] = new Array(parts.length);
    let next = 0;
    let failed = false;
    const lane = async () => {
      while (next < parts.length && !failed) {
        const k = next++;
        const part = parts[k]!;
        try {
          results[k] = (await this.pool.run(task(part.items), deadlineOf(part.items, part.chars))) as R[];
        } catch (e) {
          failed = true;
          throw e instanceof WorkerFailure ? asQmathError(e) : e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.pool.size, parts.length) }, lane));
    return results.flat();
  }
}

function asQmathError(e: WorkerFailure): QmathError {
  if (e.reason === "closed") return new QmathError("worker_failed", "The server is shutting down; the request was not finished.", "Retry it on another server.");
  return new QmathError("worker_failed", `${e.message} The request was not finished.`, "Retry it; the server goes on serving.");
}
