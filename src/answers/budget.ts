/**
 * A bound on the work of one grading call, counted in steps, not read from a clock: the
 * same pair gets the same verdict on any machine, warm or cold. Parsers and evaluators
 * call tick() inside their loops (tick(n) for a step that costs n, such as a product of
 * large integers); past the bound tick() throws BudgetExceeded, which equivalent() turns
 * into the reason "timeout".
 */
export class BudgetExceeded extends Error {
  constructor() {
    super("grading budget exceeded");
    this.name = "BudgetExceeded";
  }
}

/**
 * Steps per millisecond of the `timeoutMs` option: about what one core does in a
 * millisecond once the grader is warm (measured: 40,000 to 50,000 steps per ms), so the
 * default 50 ms is a budget of 2,000,000 steps.
 */
export const STEPS_PER_MS = 40_000;

export class Budget {
  private left: number;

  /** A budget of `steps` units of work. */
  constructor(steps: number) {
    this.left = Math.max(0, Math.floor(steps));
  }

  /** The budget that the time option `timeoutMs` stands for. */
  static forTimeoutMs(timeoutMs: number): Budget {
    return new Budget(timeoutMs * STEPS_PER_MS);
  }

  /** Counts `cost` units of work (default 1); throws BudgetExceeded once the budget is spent. */
  tick(cost = 1): void {
    this.left -= cost;
    if (this.left < 0) throw new BudgetExceeded();
  }
}
