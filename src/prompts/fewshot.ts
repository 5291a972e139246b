/**
 * Few-shot prompting for the base (non-Instruct) models, in the "cot" layout of the
 * Qwen2.5-Math evaluation harness: "Question: ...\nAnswer: ..." blocks separated by two
 * blank lines, with each worked answer ending in \boxed{}. Dataset-specific shot sets
 * (GSM8K 8-shot, MATH 4-shot, ...) plug in through `shots`.
 */
export interface Shot {
  question: string;
  answer: string;
}

/** A small general set of worked examples (arithmetic, algebra, counting, geometry). */
export const DEFAULT_SHOTS: readonly Shot[] = [
  {
    question: "A baker makes 7 trays of 12 muffins and sells all but 15 of them. How many muffins does she sell?",
    answer: "She makes $7 \\cdot 12 = 84$ muffins and sells $84 - 15 = 69$ of them. The final answer is $\\boxed{69}$.",
  },
  {
    question: "Solve for $x$: $3x - 7 = 2x + 5$.",
    answer: "Subtracting $2x$ from both sides gives $x - 7 = 5$, so $x = 12$. The final answer is $\\boxed{12}$.",
  },
  {
    question: "How many ways are there to choose 2 books from a shelf of 6 different books?",
    answer: "The order does not matter, so there are $\\binom{6}{2} = \\frac{6 \\cdot 5}{2} = 15$ ways. The final answer is $\\boxed{15}$.",
  },
  {
    question: "What is the area of a right triangle whose legs have lengths $5$ and $8$?",
    answer: "The legs are the base and the height, so the area is $\\frac{1}{2} \\cdot 5 \\cdot 8 = 20$. The final answer is $\\boxed{20}$.",
  },
];

const SEPARATOR = "\n\n\n";

export function fewShotPrompt(question: string, shots: readonly Shot[] = DEFAULT_SHOTS): string {
  const blocks = shots.map((s) => `Question: ${s.question}\nAnswer: ${s.answer}`);
  blocks.push(`Question: ${question}\nAnswer: `);
  return blocks.join(SEPARATOR).trim();
}
