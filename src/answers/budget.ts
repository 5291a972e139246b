/**
 * A hard time bound for one grading call. The grader is synchronous, so the bound is
 * enforced cooperatively: parsers and evaluators call tick() inside their loops, and
 * every 64 ticks the clock is read. Past the deadline tick() throws BudgetExceeded,
 * which equivalent() turns into the reason "timeout".
 */
export class BudgetExceeded extends Error {
  constructor() {
    super("grading budget exceeded");
    this.name = "BudgetExceeded";
  }
}

export class Budget {
  private readonly deadline: number;
  private steps = 0;

  constructor(timeoutMs: number) {
    this.deadline = performance.now() + Math.max(0, timeoutMs);
  }

  /** Counts one unit of work; throws BudgetExceeded once the deadline has passed. */
  tick(): void {
    if ((++this.steps & 63) === 0 && performance.now() > this.deadline) throw new BudgetExceeded();
  }

  /** Reads the clock now (for coarse steps that may each be costly). */
  check(): void {
    if (performance.now() > this.deadline) throw new BudgetExceeded();
  }
}
