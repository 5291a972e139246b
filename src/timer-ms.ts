/**
 * Millisecond durations that end up in a timer (setTimeout, AbortSignal.timeout). Node holds
 * a delay of at most 2^31 - 1 ms (about 24.8 days): a longer one fires after 1 ms, with a
 * TimeoutOverflowWarning. Options that become timers are checked here and refused with a
 * QmathError "bad_input" instead of turning into a 1 ms limit.
 */
import { QmathError } from "./errors.js";

/** The longest delay a Node timer holds: 2^31 - 1 ms, about 24.8 days. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * `value` if it is a number of milliseconds a timer can hold: above 0 (from 0 with
 * `allowZero`) and at most MAX_TIMER_MS. Otherwise a QmathError naming `name`, the value and
 * the range.
 */
export function checkTimerMs(name: string, value: number, options: { allowZero?: boolean } = {}): number {
  const aboveLow = options.allowZero ? value >= 0 : value > 0;
  if (typeof value !== "number" || !Number.isFinite(value) || !aboveLow || value > MAX_TIMER_MS) {
    const range = options.allowZero ? `from 0 to ${MAX_TIMER_MS}` : `above 0 and at most ${MAX_TIMER_MS}`;
    const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
    throw new QmathError("bad_input", `${name} must be a number of milliseconds ${range} (the longest timer, about 24.8 days), not ${shown}.`);
  }
  return value;
}
