/** Looking sets up by name, and the per-set answers to questions other modules ask by name. */
import type { AnswerStyle } from "../answers/extract.js";
import { QmathError } from "../errors.js";
import { genericReference, type DatasetDescriptor, type DatasetRow } from "./descriptor.js";
import { SETS } from "./sets.js";

export const DATASETS: readonly DatasetDescriptor[] = SETS;

const BY_NAME = new Map(SETS.map((d) => [d.name, d]));

/** The descriptor of set `name`, or undefined. */
export function findDataset(name: string): DatasetDescriptor | undefined {
  return BY_NAME.get(name);
}

/** The descriptor of set `name`; an unknown name is a user error naming the known ones. */
export function datasetDescriptor(name: string): DatasetDescriptor {
  const d = BY_NAME.get(name);
  if (!d) throw new QmathError("bad_input", `Unknown dataset '${name}'.`, `Known sets: ${SETS.map((s) => s.name).join(", ")}.`);
  return d;
}

/**
 * The answer style of a set named `name` (for extractAnswer). Names without a descriptor:
 * the harness's other multiple-choice sets (mmlu_*, gaokao2023) are "choice", the rest "math".
 */
export function answerStyleOf(name: string | undefined): AnswerStyle {
  if (name === undefined) return "math";
  const d = BY_NAME.get(name);
  if (d) return d.answerStyle;
  return name.startsWith("mmlu") || name === "gaokao2023" ? "choice" : "math";
}

/**
 * The reference answer of one row of set `dataset`, from the set's own fields; for a name
 * without a descriptor, the first of the usual answer fields. Throws QmathError("bad_input")
 * when the row lacks the field.
 */
export function referenceAnswer(dataset: string, row: DatasetRow): string {
  const d = BY_NAME.get(dataset);
  return d ? d.reference(row) : genericReference(row, dataset);
}

/** The worked solution of a row, for sets that carry one next to the final answer, or null. */
export function workedSolution(dataset: string, row: DatasetRow): string | null {
  return BY_NAME.get(dataset)?.solution(row) ?? null;
}
