/** Answer extraction and mathematical equivalence: the public pieces. */
export { extractAnswer, lastBoxed, lastNumber, choiceFromResponse, type ExtractOptions } from "./extract.js";
export { equivalent, MAX_ANSWER_CHARS, type EquivalenceOptions, type EquivalenceReason, type EquivalenceResult } from "./equivalent.js";
export { referenceAnswer, workedSolution, type DatasetRow } from "./references.js";
export { isMultipleChoice } from "./datasets.js";
export { cleanAnswer } from "./normalize.js";
