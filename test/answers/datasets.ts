/** Test helper: the shared benchmark sets beside the repository (tests only; the product never reads them). */
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../helpers.js";

export function datasetsDir(): string {
  const candidates = [path.resolve(repoRoot, "../shared/datasets"), path.resolve(process.cwd(), "../shared/datasets")];
  for (const c of candidates) if (fs.existsSync(path.join(c, "math500", "test.jsonl"))) return c;
  throw new Error(`shared/datasets not found beside the repository (looked in ${candidates.join(", ")}); run the tests from the repository root`);
}

export function loadRows(name: string): Record<string, unknown>[] {
  const text = fs.readFileSync(path.join(datasetsDir(), name, "test.jsonl"), "utf8");
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export const ALL_SETS = [
  "aime24", "amc23", "aqua", "asdiv", "carp_en", "cmath", "cn_middle_school", "college_math", "gaokao2023en", "gaokao2024_I",
  "gaokao2024_II", "gaokao2024_mix", "gaokao_math_cloze", "gaokao_math_qa", "gsm8k", "math500", "mawps", "minerva_math",
  "mmlu_stem", "olympiadbench", "sat_math", "svamp",
];
