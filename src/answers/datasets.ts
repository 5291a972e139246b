/** Facts about the benchmark sets that the answer code needs (names only, no data). */

/** Sets whose every reference is a choice letter. */
const MULTIPLE_CHOICE = new Set(["mmlu_stem", "sat_math", "aqua", "gaokao_math_qa", "gaokao2023"]);

export function isMultipleChoice(dataset: string): boolean {
  return MULTIPLE_CHOICE.has(dataset) || dataset.startsWith("mmlu");
}
