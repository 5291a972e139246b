/**
 * The one parser of numeric flags. Every numeric option of every command is a
 * `numberFlag({ name, min, max, ... })`: the value must be a decimal number ("5", "0.5",
 * "1e3"), whole when asked, and within the range; otherwise one QmathError line names the
 * flag, the value and the range, with the unit:
 *
 *   --timeout must be a number of seconds above 0 and at most 86400, not '99999999'.
 *
 * Every flag has a maximum. Durations in seconds are `secondsFlag`s, whose maximum in
 * milliseconds fits a Node timer (a longer delay would fire after 1 ms). Each parser made
 * here is remembered with its range (`numberFlagRange`), so the tests find every numeric
 * flag of every command and try values outside it.
 */
import { QmathError } from "../errors.js";
import { MAX_TIMER_MS } from "../timer-ms.js";

export interface NumberFlagRange {
  /** The flag without its dashes ("timeout"). */
  name: string;
  /** Whole numbers only. */
  integer?: boolean;
  min: number;
  /** `min` itself is not allowed: the value must be above it. */
  minExclusive?: boolean;
  max: number;
  /** What one unit of the value is, for the message ("seconds", "bytes"). */
  unit?: string;
}

export type NumberParser = (raw: string) => number;

const ranges = new WeakMap<NumberParser, NumberFlagRange>();

/** A plain decimal number: no hexadecimal, no "Infinity", no spaces. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** "a whole number of seconds from 1 to 60", "a number above 0 and at most 1". */
export function describeRange(range: NumberFlagRange): string {
  const kind = `${range.integer ? "a whole number" : "a number"}${range.unit ? ` of ${range.unit}` : ""}`;
  return range.minExclusive ? `${kind} above ${range.min} and at most ${range.max}` : `${kind} from ${range.min} to ${range.max}`;
}

/** The parser of a numeric flag in `range`. */
export function numberFlag(range: NumberFlagRange): NumberParser {
  if (!(range.min < range.max)) throw new Error(`numberFlag ${range.name}: min ${range.min} is not below max ${range.max}`);
  const parse: NumberParser = (raw) => {
    const n = DECIMAL.test(raw) ? Number(raw) : NaN;
    const low = range.minExclusive ? n > range.min : n >= range.min;
    if (!Number.isFinite(n) || !low || n > range.max || (range.integer && !Number.isInteger(n)))
      throw new QmathError("bad_input", `--${range.name} must be ${describeRange(range)}, not '${raw}'.`);
    return n === 0 ? 0 : n; // not -0
  };
  ranges.set(parse, range);
  return parse;
}

/** The range of a parser made by numberFlag; undefined for any other function. */
export function numberFlagRange(parser: unknown): NumberFlagRange | undefined {
  return typeof parser === "function" ? ranges.get(parser as NumberParser) : undefined;
}

/** A whole number from `min` to `max`. */
export function integerFlag(name: string, min: number, max: number, unit?: string): NumberParser {
  return numberFlag({ name, integer: true, min, max, unit });
}

/** A duration in seconds, above 0 and at most `max`; `max` seconds must fit a timer. */
export function secondsFlag(name: string, max: number): NumberParser {
  if (max * 1000 > MAX_TIMER_MS) throw new Error(`secondsFlag ${name}: ${max} s is longer than a timer holds`);
  return numberFlag({ name, min: 0, minExclusive: true, max, unit: "seconds" });
}

// ---- ranges shared by several commands

/** Samples per problem (--n, --k) and samples at once (--parallel); the embedded engine's own limit is checked by checkParallel. */
export const MAX_SAMPLES = 4096;
/** Problems of a data set (--limit). */
export const MAX_PROBLEMS = 10_000_000;
/** Longest time limit of one code cell (exec --timeout, --cell-timeout): a day. */
export const MAX_CELL_SECONDS = 86_400;
/** Code executions per TIR sample (--max-calls). */
export const MAX_TIR_CALLS = 64;
