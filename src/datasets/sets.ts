/**
 * The benchmark sets qmath evaluates on: one descriptor each (see descriptor.ts). Each set
 * keeps the field layout of the Qwen2.5-Math evaluation harness's data folder, mapped here
 * explicitly: the question as the harness's parse_question builds it, the reference as its
 * parse_ground_truth reads it, the few-shot set as its utils.py load_prompt chooses it.
 * Adding a set is adding a descriptor to SETS.
 */
import { QmathError } from "../errors.js";
import {
  answerText,
  boxedAnswer,
  optionalString,
  RowError,
  text,
  value,
  type DatasetDescriptor,
  type DatasetRow,
  type FewShotChoice,
  type HubSource,
} from "./descriptor.js";

/** The Qwen2.5-Math evaluation data folder, as published on the Hub (field layout unchanged). */
const qwenData = (file: string): HubSource => ({ repo: "HuggingFaceTB/math_tasks", path: `data/${file}` });

/** The few-shot choices of load_prompt, with the shot counts of eval.sh. */
const SHOTS = {
  gsm8k: { set: "gsm8k", shots: 8 },
  // the MATH set of examples.py holds five; the Minerva prompt uses four
  math: { set: "math", shots: 4 },
  minerva: { set: "minerva_math", shots: 4 },
  mmluStem: { set: "mmlu_stem", shots: 5 },
  aqua: { set: "aqua", shots: 4 },
  carp: { set: "carp_en", shots: 8 },
  // --adapt_few_shot: five shots, for single-choice questions only
  gaokao: { set: "gaokao", shots: 5, onlyForChoiceAnswers: true },
} satisfies Record<string, FewShotChoice>;

type Spec = Pick<DatasetDescriptor, "name" | "description" | "rows" | "questionField" | "answerField" | "idField" | "reference"> &
  Partial<Omit<DatasetDescriptor, "multipleChoice">>;

function define(spec: Spec): DatasetDescriptor {
  const answerStyle = spec.answerStyle ?? "math";
  return {
    file: `${spec.name}/test.jsonl`,
    fewShot: null,
    question: (row) => text(row, "question"),
    solution: () => null,
    ...spec,
    answerStyle,
    multipleChoice: answerStyle === "choice",
  };
}

/** Python's str.strip() for the whitespace that occurs in the data. */
const strip = (s: string): string => s.trim();

/** `answer`, else the last \boxed{} of `solution` (MATH and its subsets). */
const mathReference = (set: string) => (row: DatasetRow) => (typeof row.answer === "string" ? row.answer : boxedAnswer(row, "solution", set));

/** `choice_answer` when the row has one, else `answer`. */
const choiceOrAnswer = (set: string) => (row: DatasetRow) => {
  const c = row.choice_answer;
  return typeof c === "string" && c.length > 0 ? c : answerText(row, "answer", set);
};

/** `answer` without its $ signs. */
const answerWithoutDollars = (set: string) => (row: DatasetRow) => answerText(row, "answer", set).replace(/\$/g, "").trim();

const solutionField = (row: DatasetRow) => optionalString(row, "solution");

const mawpsPart = (part: "addsub" | "multiarith" | "singleeq" | "singleop", rows: number): DatasetDescriptor =>
  define({
    name: part,
    description: `MAWPS part ${part}`,
    file: `mawps/${part}.jsonl`,
    rows,
    questionField: "input",
    answerField: "target",
    idField: null,
    question: (row) => text(row, "input"),
    reference: (row) => answerText(row, "target", part),
    fewShot: SHOTS.gsm8k,
    hub: qwenData(`mawps/${part}.jsonl`),
  });

export const SETS: readonly DatasetDescriptor[] = [
  define({
    name: "gsm8k",
    description: "GSM8K: grade-school word problems",
    rows: 1319,
    questionField: "question",
    answerField: "answer (after ####)",
    idField: "idx",
    answerStyle: "gsm8k",
    reference: (row) => {
      const a = answerText(row, "answer", "gsm8k");
      const i = a.lastIndexOf("####");
      if (i < 0) throw new QmathError("bad_input", "gsm8k answer has no '####' marker.", "GSM8K answers end with '#### <number>'.");
      return a.slice(i + 4).trim().replace(/,/g, "");
    },
    // the reasoning before the "####" line
    solution: (row) => {
      const a = optionalString(row, "answer");
      return a === null ? null : a.slice(0, Math.max(0, a.lastIndexOf("####")));
    },
    fewShot: SHOTS.gsm8k,
    hub: qwenData("gsm8k/test.jsonl"),
  }),
  define({
    name: "math",
    description: "MATH: the full 5000-problem competition test set (download only)",
    rows: 5000,
    questionField: "problem",
    answerField: "answer, else the last \\boxed{} of solution",
    idField: null,
    levelField: "level",
    subjectField: "type",
    question: (row) => text(row, "problem"),
    reference: mathReference("math"),
    solution: solutionField,
    fewShot: SHOTS.math,
    hub: qwenData("math/test.jsonl"),
  }),
  define({
    name: "math500",
    description: "MATH-500: the 500-problem MATH test subset of PRM800K",
    rows: 500,
    questionField: "problem",
    answerField: "answer",
    idField: "unique_id",
    levelField: "level",
    subjectField: "subject",
    question: (row) => text(row, "problem"),
    reference: mathReference("math500"),
    solution: solutionField,
    // a subset of the MATH test set: the MATH shots
    fewShot: SHOTS.math,
    hub: { repo: "HuggingFaceH4/MATH-500", path: "test.jsonl" },
  }),
  define({
    name: "minerva_math",
    description: "Minerva Math: MIT OCW science and engineering problems",
    rows: 272,
    questionField: "problem",
    answerField: "last \\boxed{} of solution",
    idField: "idx",
    subjectField: "type",
    question: (row) => text(row, "problem"),
    reference: (row) => boxedAnswer(row, "solution", "minerva_math"),
    solution: solutionField,
    fewShot: SHOTS.minerva,
    hub: qwenData("minerva_math/test.jsonl"),
  }),
  define({
    name: "aime24",
    description: "AIME 2024",
    rows: 30,
    questionField: "question",
    answerField: "answer",
    idField: "id",
    reference: (row) => answerText(row, "answer", "aime24"),
    solution: solutionField,
    fewShot: SHOTS.math,
    hub: qwenData("aime24/test.jsonl"),
  }),
  define({
    name: "amc23",
    description: "AMC 2023 (numeric answers)",
    rows: 40,
    questionField: "question",
    answerField: "answer",
    idField: "id",
    reference: (row) => answerText(row, "answer", "amc23"),
    fewShot: SHOTS.math,
    hub: qwenData("amc23/test.jsonl"),
  }),
  define({
    name: "olympiadbench",
    description: "OlympiadBench: English, text-only, open-ended math",
    rows: 675,
    questionField: "question",
    answerField: "final_answer",
    idField: "id",
    subjectField: "subfield",
    reference: (row) => {
      const fa = row.final_answer;
      if (Array.isArray(fa) && fa.length > 0 && fa.every((x) => typeof x === "string")) return fa.map((x: string) => x.trim().replace(/^\$|\$$/g, "")).join(", ");
      return answerText(row, "final_answer", "olympiadbench");
    },
    solution: (row) => {
      const sol = row.solution;
      return Array.isArray(sol) && typeof sol[0] === "string" ? sol[0] : null;
    },
    hub: qwenData("olympiadbench/test.jsonl"),
  }),
  define({
    name: "college_math",
    description: "College Math: college-level exercises",
    rows: 2818,
    questionField: "question",
    answerField: "answer",
    idField: null,
    subjectField: "data_topic",
    reference: answerWithoutDollars("college_math"),
    hub: qwenData("college_math/test.jsonl"),
  }),
  define({
    name: "gaokao2023en",
    description: "Gaokao 2023 (English translation)",
    rows: 385,
    questionField: "question",
    answerField: "answer",
    idField: null,
    reference: answerWithoutDollars("gaokao2023en"),
    hub: qwenData("gaokao2023en/test.jsonl"),
  }),
  define({
    name: "gaokao2024_I",
    description: "Gaokao 2024 paper I (Chinese)",
    rows: 14,
    questionField: "question",
    answerField: "answer",
    idField: null,
    reference: (row) => answerText(row, "answer", "gaokao2024_I"),
    fewShot: SHOTS.gaokao,
    hub: qwenData("gaokao2024_I/test.jsonl"),
  }),
  define({
    name: "gaokao2024_II",
    description: "Gaokao 2024 paper II (Chinese)",
    rows: 14,
    questionField: "question",
    answerField: "answer",
    idField: null,
    reference: (row) => answerText(row, "answer", "gaokao2024_II"),
    fewShot: SHOTS.gaokao,
    hub: qwenData("gaokao2024_II/test.jsonl"),
  }),
  define({
    name: "gaokao2024_mix",
    description: "Gaokao 2024 mixed (Chinese)",
    rows: 91,
    questionField: "question",
    answerField: "choice_answer, else answer",
    idField: "idx",
    reference: choiceOrAnswer("gaokao2024_mix"),
    fewShot: SHOTS.gaokao,
    hub: qwenData("gaokao2024_mix/test.jsonl"),
  }),
  define({
    name: "gaokao_math_cloze",
    description: "Gaokao math cloze (Chinese, fill in the blank)",
    rows: 118,
    questionField: "question",
    answerField: "answer",
    idField: null,
    reference: answerWithoutDollars("gaokao_math_cloze"),
    hub: qwenData("gaokao_math_cloze/test.jsonl"),
  }),
  define({
    name: "gaokao_math_qa",
    description: "Gaokao math QA (Chinese, multiple choice)",
    rows: 351,
    questionField: "question + options",
    answerField: "label",
    idField: null,
    answerStyle: "choice",
    question: (row) => {
      const options = value(row, "options");
      if (typeof options !== "object" || Array.isArray(options)) throw new RowError("field 'options' is not an object of options");
      const list = Object.entries(options as Record<string, unknown>).map(([k, v]) => `(${k}) ${String(v)}`);
      return `${strip(text(row, "question"))}\n选项: ${list.join(" ")}`;
    },
    reference: (row) => answerText(row, "label", "gaokao_math_qa"),
    fewShot: SHOTS.gaokao,
    hub: qwenData("gaokao_math_qa/test.jsonl"),
  }),
  define({
    name: "cmath",
    description: "CMATH: Chinese primary school problems",
    rows: 600,
    questionField: "question",
    answerField: "answer",
    idField: null,
    levelField: "grade",
    reference: (row) => answerText(row, "answer", "cmath"),
    hub: qwenData("cmath/test.jsonl"),
  }),
  define({
    name: "cn_middle_school",
    description: "Chinese middle school problems",
    rows: 101,
    questionField: "question",
    answerField: "choice_answer, else answer",
    idField: "idx",
    reference: choiceOrAnswer("cn_middle_school"),
    fewShot: SHOTS.gaokao,
    hub: qwenData("cn_middle_school/test.jsonl"),
  }),
  define({
    name: "mmlu_stem",
    description: "MMLU STEM subjects (multiple choice)",
    rows: 3018,
    questionField: "question + choices",
    answerField: "answer (choice index)",
    idField: null,
    subjectField: "type",
    answerStyle: "choice",
    question: (row) => {
      const choices = value(row, "choices");
      if (!Array.isArray(choices) || choices.length !== 4) throw new RowError("field 'choices' is not a list of 4 options");
      const options = choices.map((c, i) => `(${"ABCD"[i]}) ${strip(String(c))}`).join(" ");
      return `${strip(text(row, "question"))}\nAnswer Choices: ${options}`;
    },
    reference: (row) => {
      const v = row.answer;
      if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v < 8) return "ABCDEFGH"[v]!;
      return answerText(row, "answer", "mmlu_stem");
    },
    fewShot: SHOTS.mmluStem,
    hub: qwenData("mmlu_stem/test.jsonl"),
  }),
  define({
    name: "sat_math",
    description: "SAT math (multiple choice)",
    rows: 32,
    questionField: "question + options",
    answerField: "Answer",
    idField: "id",
    answerStyle: "choice",
    question: (row) => {
      let options = strip(text(row, "options"));
      if (!options.startsWith("A")) throw new RowError("field 'options' does not start with option A");
      options = "(" + options;
      for (const ch of "BCD") options = options.split(` ${ch}) `).join(` (${ch}) `);
      return `${strip(text(row, "question"))}\nAnswer Choices: ${options}`;
    },
    reference: (row) => answerText(row, "Answer", "sat_math"),
    fewShot: SHOTS.mmluStem,
    hub: qwenData("sat_math/test.jsonl"),
  }),
  define({
    name: "aqua",
    description: "AQuA-RAT (multiple choice)",
    rows: 254,
    questionField: "question + options",
    answerField: "correct",
    idField: null,
    answerStyle: "choice",
    question: (row) => {
      const options = value(row, "options");
      if (!Array.isArray(options) || !options.every((o) => typeof o === "string")) throw new RowError("field 'options' is not a list of strings");
      const choice = ("(" + options.join("(")).replaceAll("(", " (").replaceAll(")", ") ").trim();
      return strip(text(row, "question")) + "\nAnswer Choices: " + choice;
    },
    reference: (row) => answerText(row, "correct", "aqua"),
    solution: (row) => optionalString(row, "rationale"),
    fewShot: SHOTS.aqua,
    hub: qwenData("aqua/test.jsonl"),
  }),
  define({
    name: "svamp",
    description: "SVAMP: arithmetic word problems",
    rows: 1000,
    questionField: "Body + Question",
    answerField: "Answer",
    idField: "idx",
    subjectField: "Type",
    question: (row) => {
      let body = strip(text(row, "Body"));
      if (!body.endsWith(".")) body += ".";
      return `${body} ${strip(text(row, "Question"))}`;
    },
    reference: (row) => answerText(row, "Answer", "svamp"),
    fewShot: SHOTS.gsm8k,
    hub: qwenData("svamp/test.jsonl"),
  }),
  define({
    name: "asdiv",
    description: "ASDiv: arithmetic word problems",
    rows: 2215,
    questionField: "body + question",
    answerField: "answer (units removed)",
    idField: "idx",
    subjectField: "solution_type",
    question: (row) => `${strip(text(row, "body"))} ${strip(text(row, "question"))}`,
    reference: (row) => answerText(row, "answer", "asdiv").replace(/\([^()]*\)/g, "").trim(),
    fewShot: SHOTS.gsm8k,
    hub: qwenData("asdiv/test.jsonl"),
  }),
  define({
    name: "mawps",
    description: "MAWPS: its four parts together",
    rows: 2065,
    questionField: "input",
    answerField: "target",
    idField: "idx",
    subjectField: "type",
    question: (row) => text(row, "input"),
    reference: (row) => answerText(row, "target", "mawps"),
    fewShot: SHOTS.gsm8k,
    hub: qwenData("mawps/test.jsonl"),
  }),
  mawpsPart("addsub", 395),
  mawpsPart("multiarith", 600),
  mawpsPart("singleeq", 508),
  mawpsPart("singleop", 562),
  define({
    name: "carp_en",
    description: "CARP (English): arithmetic and algebra problems",
    rows: 976,
    questionField: "content",
    answerField: "answer",
    idField: null,
    question: (row) => text(row, "content"),
    reference: (row) => answerText(row, "answer", "carp_en"),
    solution: (row) => optionalString(row, "steps"),
    fewShot: SHOTS.carp,
    hub: qwenData("carp_en/test.jsonl"),
  }),
];
