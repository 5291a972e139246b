/** The project's own benchmark-set fixtures: a few problems per set, in each set's real file layout. */
import { join } from "node:path";
import { repoRoot } from "../helpers.js";

export const fixtureDataDir = join(repoRoot, "test", "fixtures", "datasets");

/** Sets with a fixture file (the folders of the harness's data folder, and the MAWPS parts). */
export const FIXTURE_SETS = [
  "aime24", "amc23", "aqua", "asdiv", "carp_en", "cmath", "cn_middle_school", "college_math", "gaokao2023en", "gaokao2024_I",
  "gaokao2024_II", "gaokao2024_mix", "gaokao_math_cloze", "gaokao_math_qa", "gsm8k", "math500", "mawps", "minerva_math",
  "mmlu_stem", "olympiadbench", "sat_math", "svamp", "addsub", "multiarith", "singleeq", "singleop",
];

export const fewShotFixture = join(repoRoot, "test", "fixtures", "fewshot", "examples.py");
