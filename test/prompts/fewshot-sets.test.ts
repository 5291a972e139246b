import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fewShotPrompt } from "../../src/prompts/fewshot.js";
import { FEWSHOT_SETS, fewShotFor, fewShotPromptFor, fewShotSetOf } from "../../src/prompts/fewshot-sets.js";

/** The harness's construct_prompt for prompt_type "cot", written out: demos joined by the splitter, the question, .strip(" "). */
function harnessCot(demos: readonly { question: string; answer: string }[], question: string): string {
  const splitter = "\n\n\n";
  const demoPrompt = demos.map((d) => `Question: ${d.question}\nAnswer: ${d.answer}`).join(splitter);
  const context = `Question: ${question}\nAnswer: `;
  const full = demoPrompt.length === 0 ? context : demoPrompt + splitter + context;
  return full.replace(/^ +| +$/g, "");
}

describe("few-shot sets", () => {
  it("gives GSM8K 8 shots, MATH 4, Minerva 4, as the harness maps the sets", () => {
    assert.equal(fewShotFor("gsm8k")!.length, 8);
    assert.equal(fewShotFor("math")!.length, 4);
    assert.equal(fewShotFor("minerva_math")!.length, 4);
    assert.equal(fewShotFor("mmlu_stem")!.length, 5);
    assert.equal(fewShotFor("gaokao2024_I")!.length, 5);
    for (const name of ["svamp", "asdiv", "mawps", "addsub"]) assert.deepEqual(fewShotFor(name), FEWSHOT_SETS.gsm8k);
    for (const name of ["svamp", "asdiv", "mawps", "tabmwp", "gsm_hard"]) assert.equal(fewShotSetOf(name), "gsm8k");
    for (const name of ["aime24", "amc23", "math500", "math_oai", "hungarian_exam"]) assert.equal(fewShotSetOf(name), "math");
    assert.equal(fewShotSetOf("sat_math"), "mmlu_stem");
    for (const name of ["gaokao2024_I", "gaokao2024_II", "gaokao_math_qa", "gaokao2024_mix", "cn_middle_school"]) assert.equal(fewShotSetOf(name), "gaokao");
    for (const name of ["olympiadbench", "college_math", "gaokao2023en", "gaokao_math_cloze", "cmath", "unknown"]) assert.equal(fewShotFor(name), null);
    assert.deepEqual(fewShotFor("aime24"), fewShotFor("math"));
    assert.equal(fewShotFor("gsm8k", { shots: 4 })!.length, 4);
  });

  it("holds the harness's shot texts verbatim", () => {
    const gsm = FEWSHOT_SETS.gsm8k;
    assert.equal(gsm[0].question, "There are 15 trees in the grove. Grove workers will plant trees in the grove today. After they are done, there will be 21 trees. How many trees did the grove workers plant today?");
    assert.equal(gsm[7].answer, "Olivia had 23 dollars. 5 bagels for 3 dollars each will be 5 x 3 = 15 dollars. So she has 23 - 15 dollars left. 23 - 15 is 8. The answer is 8.");
    const math = FEWSHOT_SETS.math;
    assert.equal(math.length, 5);
    assert.ok(math[0].answer.startsWith("Let's think step by step\nKevin hops $1/3$ of the remaining distance with every hop.\n"));
    assert.ok(math[0].answer.endsWith("= \\boxed{\\frac{211}{243}}$.\nThe answer is \\frac{211}{243}}"));
    assert.ok(math[3].question.includes(", abcd\\not=0$ and $f(f(x))=x$"));
    assert.equal(FEWSHOT_SETS.minerva_math[1].answer, "We have that $\\det (\\mathbf{A} \\mathbf{B}) = (\\det \\mathbf{A})(\\det \\mathbf{B}) = (2)(12) = \\boxed{24}.$");
    // examples.py writes "\frac" in a plain Python string in the MMLU-STEM set: a form feed, kept
    assert.ok(FEWSHOT_SETS.mmlu_stem[0].question.includes("\\sqrt{\frac{1}{729}}"));
    assert.ok(FEWSHOT_SETS.gaokao[4].answer.endsWith("答案是 C"));
  });

  it("lays the prompt out exactly as the harness's cot template", () => {
    const shots = [
      { question: "What is 1+1?", answer: "1+1=2. The answer is 2." },
      { question: "What is $2\\cdot 3$?", answer: "It is $\\boxed{6}$." },
    ];
    const expected = "Question: What is 1+1?\nAnswer: 1+1=2. The answer is 2.\n\n\nQuestion: What is $2\\cdot 3$?\nAnswer: It is $\\boxed{6}$.\n\n\nQuestion: What is 3+4?\nAnswer:";
    assert.equal(harnessCot(shots, "What is 3+4?"), expected);
    assert.equal(fewShotPrompt("What is 3+4?", shots), expected);
    assert.equal(fewShotPrompt("What is 3+4?", []), "Question: What is 3+4?\nAnswer:");
    const q = "Tom has 3 apples and buys 4 more. How many apples does he have?";
    assert.equal(fewShotPromptFor("gsm8k", q), harnessCot(FEWSHOT_SETS.gsm8k, q));
    assert.equal(fewShotPromptFor("aime24", q), harnessCot(FEWSHOT_SETS.math.slice(0, 4), q));
    assert.equal(fewShotPromptFor("olympiadbench", q), `Question: ${q}\nAnswer:`);
  });

  it("asks the gaokao sets zero-shot unless the answer is one choice letter (--adapt_few_shot)", () => {
    const q = "选择题";
    assert.equal(fewShotPromptFor("gaokao2024_I", q, { reference: "B" }), harnessCot(FEWSHOT_SETS.gaokao, q));
    assert.equal(fewShotPromptFor("gaokao2024_I", q, { reference: "ABD" }), `Question: ${q}\nAnswer:`);
    assert.equal(fewShotPromptFor("gsm8k", q, { reference: "12" }), harnessCot(FEWSHOT_SETS.gsm8k, q));
  });
});
