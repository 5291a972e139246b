/**
 * Inputs that cost the grader and the extractor the most (issue 11): pairs of large sets that
 * cost about the grading budget, and extraction inputs on which the old scans were
 * quadratic or backtracked catastrophically. The server tests send them as an attack.
 */

/**
 * `pairs` pairs of 300-element sets of points (x, k), the second in reverse order with one
 * element changed: each pair costs about the whole grading budget (50 ms of work) before its
 * verdict, so 200 pairs are about 10 s of grading in under 1 MiB. (Points, not numbers: a set of numbers or of expressions is
 * searched nearest each item's value first, and a reversed one costs about one comparison per
 * item; points have no value to search by, and cost a comparison per pair of items.)
 */
export function largeSetPairs(pairs: number): { pred: string; gold: string }[] {
  const powers = Array.from({ length: 300 }, (_, i) => `(x,${i + 1})`);
  return Array.from({ length: pairs }, (_, k) => {
    const other = [...powers].reverse();
    other[k % 300] = `(x,${5000 + k})`;
    return { pred: `\\{${powers.join(",")}\\}`, gold: `\\{${other.join(",")}\\}` };
  });
}

/** Extraction inputs of about `chars` characters on which the old scans were quadratic, with the style to extract them in. */
export function slowExtractions(chars: number): { name: string; response: string; dataset?: string }[] {
  const fill = (unit: string) => unit.repeat(Math.floor(chars / unit.length));
  return [
    // every "\boxed[" scanned for its "]" to the end of the text
    { name: "unclosed \\boxed[ arguments", response: fill("\\fbox \\framebox [") },
    // a run of adjacent boxes was collected with Array.unshift
    { name: "a run of adjacent boxes", response: fill("\\boxed{1}") },
  ];
}

/** Multiple-choice responses on which the choice patterns backtracked catastrophically (seconds for a few hundred spaces). */
export function backtrackingChoices(spaces: number): { name: string; response: string; dataset: string }[] {
  return [
    { name: "'answer' and spaces", response: `answer${" ".repeat(spaces)}z`, dataset: "aqua" },
    { name: "a boxed 'option' and spaces", response: `\\boxed{option${" ".repeat(spaces)}z}`, dataset: "aqua" },
  ];
}
