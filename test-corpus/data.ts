/**
 * The corpus suite's data: the benchmark sets in a folder laid out as `<name>/test.jsonl`,
 * from $QMATH_DATA_DIR, else ../shared/datasets beside the repository. Without them every
 * test of this suite fails with this message: the suite is opt-in (`npm run test:corpus`),
 * and a run of it without data must not pass.
 */
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../test/helpers.js";

export function corpusDir(): string {
  const fromEnv = process.env.QMATH_DATA_DIR;
  const candidates = fromEnv ? [path.resolve(fromEnv)] : [path.resolve(repoRoot, "../shared/datasets")];
  for (const c of candidates) if (fs.existsSync(path.join(c, "math500", "test.jsonl"))) return c;
  throw new Error(
    `The corpus suite needs the benchmark sets, and ${candidates[0]}/math500/test.jsonl does not exist. ` +
      "Set QMATH_DATA_DIR to a folder with <name>/test.jsonl for every set (see the README's 'Benchmark set files'), " +
      "or put that folder at ../shared/datasets beside the repository.",
  );
}

export function loadRows(name: string): Record<string, unknown>[] {
  const text = fs.readFileSync(path.join(corpusDir(), name, "test.jsonl"), "utf8");
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
