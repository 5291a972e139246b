/**
 * Writes a Qwen2-architecture GGUF with seeded random weights that llama.cpp loads and
 * generates with: the stand-in for Qwen2(.5)-Math weights on machines that cannot download.
 *
 *   node dist/scripts/make-test-model.js --out FILE --shape tiny|1.5b [--vocab qwen2.5|synthetic]
 *        [--seed N] [--type q8_0|f16|f32] [--if-missing] [--check [--threads N]]
 *
 * --if-missing keeps an existing file made from the same recipe (its recipe digest, stored in
 * the file, matches) and writes it again otherwise, so a checkout whose generator changed does
 * not test against a stale model.
 *
 * --vocab qwen2.5 (the default for --shape 1.5b) writes the real Qwen2.5 tokenizer, as the
 * published Qwen2.5-Math GGUFs carry it; --vocab synthetic (the default for tiny) a small one
 * of our own.
 *
 * Prints one line saying what it wrote. Bad flags: one line on stderr, exit code 2.
 */
import { parseArgs } from "node:util";
import { QmathError, isQmathError } from "../src/errors.js";
import { checkModel } from "./gguf/check-model.js";
import {
  buildQwen2TestModel,
  RECIPE_DIGEST_KEY,
  SHAPES,
  SHAPE_NAMES,
  TENSOR_TYPES,
  VOCAB_NAMES,
  writeQwen2TestModel,
  type ShapeName,
  type TensorTypeName,
  type VocabName,
} from "./gguf/qwen2-test-model.js";
import { hasGgufMagic, readGgufHeader } from "./gguf/reader.js";

const USAGE =
  "usage: make-test-model --out FILE --shape tiny|1.5b [--vocab qwen2.5|synthetic] [--seed N] [--type q8_0|f16|f32] [--if-missing] [--check [--threads N]]";

interface CliOptions {
  out: string;
  shape: ShapeName;
  vocab: VocabName;
  seed: number;
  type: TensorTypeName;
  ifMissing: boolean;
  check: boolean;
  threads: number;
}

function badInput(message: string): QmathError {
  return new QmathError("bad_input", message, USAGE);
}

function parseInteger(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw badInput(`--${flag} must be an integer from ${min} to ${max}, got "${text}".`);
  return value;
}

function parseCli(argv: string[]): CliOptions | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        out: { type: "string" },
        shape: { type: "string" },
        vocab: { type: "string" },
        seed: { type: "string" },
        type: { type: "string" },
        "if-missing": { type: "boolean" },
        check: { type: "boolean" },
        threads: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    // parseArgs messages can span lines; the CLI promises one line.
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.replace(/\.*$/, "");
    throw badInput(`${message}.`);
  }
  if (values.help) return "help";
  if (!values.out) throw badInput("--out FILE is required.");
  if (!values.shape) throw badInput(`--shape is required (${SHAPE_NAMES.join(" or ")}).`);
  if (!SHAPE_NAMES.includes(values.shape as ShapeName)) {
    throw badInput(`--shape must be ${SHAPE_NAMES.join(" or ")}, got "${values.shape}".`);
  }
  const shape = values.shape as ShapeName;
  const typeNames = Object.keys(TENSOR_TYPES);
  if (values.type !== undefined && !typeNames.includes(values.type)) {
    throw badInput(`--type must be ${typeNames.join(", ")}, got "${values.type}".`);
  }
  if (values.vocab !== undefined && !VOCAB_NAMES.includes(values.vocab as VocabName)) {
    throw badInput(`--vocab must be ${VOCAB_NAMES.join(" or ")}, got "${values.vocab}".`);
  }
  if (values.threads !== undefined && !values.check) throw badInput("--threads only applies with --check.");
  return {
    out: values.out,
    shape,
    vocab: (values.vocab as VocabName | undefined) ?? SHAPES[shape].defaultVocab,
    seed: values.seed === undefined ? 1 : parseInteger("seed", values.seed, 0, 0xffffffff),
    type: (values.type as TensorTypeName | undefined) ?? SHAPES[shape].defaultType,
    ifMissing: values["if-missing"] ?? false,
    check: values.check ?? false,
    threads: values.threads === undefined ? 1 : parseInteger("threads", values.threads, 1, 64),
  };
}

/** Whether the file was written by this generator from these options (its recipe digest matches). */
function madeFromThisRecipe(path: string, options: CliOptions): boolean {
  try {
    return readGgufHeader(path).metadata.get(RECIPE_DIGEST_KEY) === buildQwen2TestModel(options).digest;
  } catch {
    return false;
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 0)} MB`;
}

async function run(options: CliOptions): Promise<number> {
  if (options.ifMissing && hasGgufMagic(options.out) && madeFromThisRecipe(options.out, options)) {
    console.log(`kept existing ${options.out} (--if-missing)`);
  } else {
    const started = performance.now();
    const { bytes, vocabSize } = await writeQwen2TestModel(options.out, options);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `wrote ${options.out}: shape ${options.shape}, ${options.type}, seed ${options.seed}, ` +
        `vocab ${options.vocab} ${vocabSize}, ${megabytes(bytes)} in ${seconds.toFixed(1)} s`,
    );
  }
  if (!options.check) return 0;

  const result = await checkModel(options.out, { threads: options.threads, maxTokens: 10 });
  if (!result.ok) {
    console.error(`check failed (${result.stage}): ${result.problems.join("; ")}`);
    return 1;
  }
  const r = result.report;
  console.log(
    `check ok: loaded in ${r.loadSeconds.toFixed(1)} s, ${r.promptTokens} prompt tokens in ${r.promptSeconds.toFixed(2)} s, ` +
      `${r.generated.length} tokens at ${r.tokensPerSecond.toFixed(1)} tokens/s (${options.threads} thread${options.threads > 1 ? "s" : ""}): ` +
      JSON.stringify(r.text),
  );
  return 0;
}

async function main(): Promise<void> {
  try {
    const options = parseCli(process.argv.slice(2));
    if (options === "help") {
      console.log(USAGE);
      return;
    }
    process.exitCode = await run(options);
  } catch (error) {
    if (!isQmathError(error)) throw error;
    console.error(error.toLine());
    process.exitCode = 2;
  }
}

await main();
