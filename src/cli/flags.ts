/**
 * Flag parsing shared by the commands: node's parseArgs, with every user mistake turned
 * into a QmathError that names the flag and says what it takes.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { readFile } from "node:fs/promises";
import type { EngineSetup } from "../engine/create.js";
import { QmathError } from "../errors.js";
import type { SamplingSettings } from "../solve/options.js";

export type Options = NonNullable<ParseArgsConfig["options"]>;

export function parse(argv: string[], options: Options, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    // parseArgs explains some mistakes over several lines; the CLI prints one.
    const message = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, " ").replace(/\.*$/, "");
    throw new QmathError("bad_input", `${message}.`, "Run the command with --help to see its options.");
  }
}

function numberFlag(name: string, raw: string | undefined, check: (n: number) => boolean, what: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || !check(n)) throw new QmathError("bad_input", `--${name} must be ${what}, not '${raw}'.`);
  return n;
}

export const positiveInt = (name: string, raw: string | undefined) =>
  numberFlag(name, raw, (n) => Number.isInteger(n) && n >= 1, "a whole number of at least 1");
export const nonNegativeInt = (name: string, raw: string | undefined) =>
  numberFlag(name, raw, (n) => Number.isInteger(n) && n >= 0, "a whole number of at least 0");
export const fraction = (name: string, raw: string | undefined) => numberFlag(name, raw, (n) => n > 0 && n <= 1, "a number in (0, 1]");
export const positive = (name: string, raw: string | undefined) => numberFlag(name, raw, (n) => n > 0, "a number above 0");
export const nonNegative = (name: string, raw: string | undefined) => numberFlag(name, raw, (n) => n >= 0, "a number of at least 0");

/** Engine and sampling flags shared by solve and chat. */
export const MODEL_FLAGS: Options = {
  model: { type: "string", short: "m" },
  temperature: { type: "string", short: "t" },
  "top-p": { type: "string" },
  "top-k": { type: "string" },
  seed: { type: "string" },
  "max-tokens": { type: "string" },
  threads: { type: "string" },
  mmap: { type: "boolean" },
  cpu: { type: "boolean" },
  "no-download": { type: "boolean" },
  engine: { type: "string" },
  "base-url": { type: "string", multiple: true },
  "remote-api-key": { type: "string" },
  help: { type: "boolean", short: "h" },
};

export const MODEL_FLAGS_HELP = `  -m, --model ID|FILE    catalog id (qmath models), optionally :QUANT, or a .gguf path
                         (default qwen2.5-math-1.5b-instruct, downloaded on first use)
  -t, --temperature T    sampling temperature; 0 = greedy (default 0)
      --top-p P          nucleus sampling (default 1)
      --top-k K          top-k sampling; 0 = off (default 0)
      --seed S           random seed (sample i uses S+i)
      --max-tokens N     token budget per sample (default: what the context leaves)
      --threads N        CPU threads (default: all cores; or QMATH_THREADS)
      --mmap             memory-map the weights (default off: faster decoding on most CPUs)
      --cpu              never use a GPU
      --no-download      fail instead of downloading a missing catalog model
      --engine embedded|openai  run the model here (llama.cpp, default), or on OpenAI-compatible
                         servers (vLLM, SGLang, llama-server, Ollama, qmath serve)
      --base-url URL     openai: a server's address, e.g. http://gpu1:8000/v1; repeat it for
                         replicas of the model (requests go to the least busy; failed ones are retried)
      --remote-api-key K openai: the servers' API key (default $QMATH_REMOTE_API_KEY);
                         with --engine openai, --model names the served model (default: its first)`;

type Values = ReturnType<typeof parse>["values"];

export const ENGINE_KINDS = ["embedded", "openai"] as const;

/** The engine and sampling flags, split into the engine setup and the run's sampling settings. */
export function modelSetup(values: Values): { engine: EngineSetup; sampling: SamplingSettings } {
  const flat = modelFlags(values);
  const { temperature, topP, topK, seed, maxTokens, ...engine } = flat;
  return { engine, sampling: { temperature, topP, topK, seed, maxTokens } };
}

function modelFlags(values: Values) {
  const engine = (values.engine as string | undefined) ?? "embedded";
  if (!(ENGINE_KINDS as readonly string[]).includes(engine))
    throw new QmathError("bad_input", `Unknown --engine '${engine}'.`, "Use --engine embedded or --engine openai.");
  const baseUrls = (values["base-url"] as string[] | undefined) ?? [];
  if (engine === "openai" && baseUrls.length === 0)
    throw new QmathError("bad_input", "--engine openai needs the server's address.", "Pass --base-url http://HOST:PORT/v1 (repeat it for replicas).");
  if (engine !== "openai" && baseUrls.length > 0) throw new QmathError("bad_input", "--base-url works with --engine openai only.", "Add --engine openai.");
  const apiKey = (values["remote-api-key"] as string | undefined) ?? (process.env.QMATH_REMOTE_API_KEY || undefined);
  return {
    engineKind: engine as (typeof ENGINE_KINDS)[number],
    baseUrls: engine === "openai" ? baseUrls : undefined,
    apiKey: engine === "openai" ? apiKey : undefined,
    model: values.model as string | undefined,
    temperature: nonNegative("temperature", values.temperature as string | undefined),
    topP: fraction("top-p", values["top-p"] as string | undefined),
    topK: nonNegativeInt("top-k", values["top-k"] as string | undefined),
    seed: nonNegativeInt("seed", values.seed as string | undefined),
    maxTokens: positiveInt("max-tokens", values["max-tokens"] as string | undefined),
    threads: positiveInt("threads", values.threads as string | undefined),
    useMmap: Boolean(values.mmap),
    gpu: values.cpu ? (false as const) : ("auto" as const),
    download: !values["no-download"],
  };
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The problem text: the positional arguments, --file, or stdin ("-" or no argument with piped input). */
export async function readProblem(positionals: string[], file: string | undefined): Promise<string> {
  let text: string;
  if (file !== undefined) {
    if (positionals.length > 0) throw new QmathError("bad_input", "Give the problem either as an argument or with --file, not both.");
    try {
      text = await readFile(file, "utf8");
    } catch {
      throw new QmathError("bad_input", `Cannot read the problem file ${file}.`, "Check the path.");
    }
  } else if (positionals.length === 0 || (positionals.length === 1 && positionals[0] === "-")) {
    if (positionals.length === 0 && process.stdin.isTTY)
      throw new QmathError("bad_input", "No problem given.", 'Write it after the command (qmath solve "What is 2+2?"), pass --file, or pipe it on stdin.');
    text = await readStdin();
  } else {
    text = positionals.join(" ");
  }
  if (!text.trim()) throw new QmathError("bad_input", "The problem is empty.", "Give the problem as an argument, with --file, or on stdin.");
  return text;
}
