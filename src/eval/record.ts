/**
 * What an evaluation writes for each finished problem: one JSON line in the run folder's
 * results.jsonl. Runs of qmath and recorded outputs of other harnesses both become these
 * records, and every report is computed from them.
 */
import type { EquivalenceReason } from "../answers/equivalent.js";
import type { TirCell } from "../tir/loop.js";

export interface SampleRecord {
  text: string;
  /** Answer extracted from the text (null when none). */
  answer: string | null;
  /** Whether the answer is equivalent to the reference. */
  correct: boolean;
  reason: EquivalenceReason;
  finishReason: string;
  /** Generated tokens. */
  tokens: number;
  /** TIR: the cells that ran. */
  cells?: TirCell[];
  /** Reward score, when a scorer was used or the outputs carried one. */
  score?: number;
}

export interface ProblemRecord {
  dataset: string;
  id: string;
  question: string;
  reference: string;
  level?: string;
  subject?: string;
  samples: SampleRecord[];
  /** Index of the selected sample. */
  selected: number;
  /** The selected answer, and whether it is correct. */
  answer: string | null;
  correct: boolean;
  /** Wall-clock milliseconds for the problem. */
  timeMs: number;
}
