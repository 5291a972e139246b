/** Answer extraction and mathematical equivalence: the public pieces. */
export { extractAnswer, MAX_RESPONSE_CHARS, lastBoxed, lastNumber, choiceFromResponse, ANSWER_STYLES, type AnswerStyle, type ExtractOptions } from "./extract.js";
export { equivalent, HARNESS_TOLERANCE, MAX_ANSWER_CHARS, type EquivalenceOptions, type EquivalenceReason, type EquivalenceResult } from "./equivalent.js";
export { cleanAnswer } from "./normalize.js";
