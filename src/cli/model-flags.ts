/** The engine and sampling flags of the commands that run a model (solve, chat, eval, sample, serve). */
import type { Command } from "@commander-js/extra-typings";
import { MAX_PARALLEL_SEQUENCES } from "../engine/embedded/limits.js";
import { remoteApiKey } from "../config.js";
import type { EngineSetup } from "../engine/create.js";
import { MAX_SEED, MAX_TEMPERATURE } from "../engine/validate-request.js";
import { QmathError } from "../errors.js";
import type { SamplingSettings } from "../solve/options.js";
import { MAX_PARALLEL_SAMPLES } from "../solve/plan.js";
import { choice, collect } from "./command.js";
import { integerFlag, numberFlag } from "./number-flag.js";

const ENGINE_KINDS = ["embedded", "openai"] as const;
/** A top-k beyond any vocabulary (Qwen2.5's has about 152,000 tokens) is no top-k. */
const MAX_TOP_K = 1_000_000;
/** Token budget per sample: more than any context a server offers. */
const MAX_TOKENS = 1_000_000;
const MAX_THREADS = 1024;

/**
 * Adds the engine and sampling flags to a new command, first: a generic helper over a
 * command with options already chained makes TypeScript's inference of the typed option
 * values (extra-typings) blow up, so commands chain their own options after these.
 */
export function addModelOptions(command: Command) {
  return command
    .optionsGroup("Model and sampling options:")
    .option("-m, --model <ID|FILE>", "catalog id (qmath models), optionally :QUANT, or a .gguf path (default qwen2.5-math-1.5b-instruct, downloaded on first use)")
    .option("-t, --temperature <T>", "sampling temperature; 0 = greedy (default 0)", numberFlag({ name: "temperature", min: 0, max: MAX_TEMPERATURE }))
    .option("--top-p <P>", "nucleus sampling (default 1)", numberFlag({ name: "top-p", min: 0, minExclusive: true, max: 1 }))
    .option("--top-k <K>", "top-k sampling; 0 = off (default 0)", integerFlag("top-k", 0, MAX_TOP_K))
    .option("--seed <S>", "random seed (sample i uses S+i)", integerFlag("seed", 0, MAX_SEED))
    .option("--max-tokens <N>", "token budget per sample (default: what the context leaves)", integerFlag("max-tokens", 1, MAX_TOKENS))
    .option("--threads <N>", "CPU threads (default: all cores; or QMATH_THREADS)", integerFlag("threads", 1, MAX_THREADS))
    .option("--mmap", "memory-map the weights (default off: faster decoding on most CPUs)")
    .option("--cpu", "never use a GPU")
    .option("--no-download", "fail instead of downloading a missing catalog model")
    .option(
      "--engine <KIND>",
      "embedded (llama.cpp here) or openai (OpenAI-compatible servers: vLLM, SGLang, llama-server, Ollama, qmath serve)",
      choice("engine", ENGINE_KINDS),
      "embedded" as const,
    )
    .option("--base-url <URL>", "openai: a server's address, e.g. http://gpu1:8000/v1; repeat it for replicas", collect)
    .option("--remote-api-key <K>", "openai: the servers' API key (default $QMATH_REMOTE_API_KEY); --model names the served model (default: its first)")
    .optionsGroup("Options:");
}

/** The values addModelOptions gives. */
export interface ModelFlagValues {
  model?: string;
  temperature?: number;
  topP?: number;
  topK?: number;
  seed?: number;
  maxTokens?: number;
  threads?: number;
  mmap?: true;
  cpu?: true;
  download: boolean;
  engine: (typeof ENGINE_KINDS)[number];
  baseUrl?: string[];
  remoteApiKey?: string;
}

/** The engine and sampling flags, split into the engine setup and the run's sampling settings. */
export function modelSetup(values: ModelFlagValues): { engine: EngineSetup & { engineKind: (typeof ENGINE_KINDS)[number] }; sampling: SamplingSettings } {
  const engine = values.engine;
  const baseUrls = values.baseUrl ?? [];
  if (engine === "openai" && baseUrls.length === 0)
    throw new QmathError("bad_input", "--engine openai needs the server's address.", "Pass --base-url http://HOST:PORT/v1 (repeat it for replicas).");
  if (engine !== "openai" && baseUrls.length > 0) throw new QmathError("bad_input", "--base-url works with --engine openai only.", "Add --engine openai.");
  return {
    engine: {
      engineKind: engine,
      baseUrls: engine === "openai" ? baseUrls : undefined,
      apiKey: engine === "openai" ? (values.remoteApiKey ?? remoteApiKey()) : undefined,
      model: values.model,
      threads: values.threads,
      useMmap: Boolean(values.mmap),
      gpu: values.cpu ? false : "auto",
      download: values.download,
    },
    sampling: { temperature: values.temperature, topP: values.topP, topK: values.topK, seed: values.seed, maxTokens: values.maxTokens },
  };
}

export const PARALLEL_HELP = `samples of a problem decoded at once; more run in waves (default: n up to ${MAX_PARALLEL_SAMPLES}; embedded engine: at most ${MAX_PARALLEL_SEQUENCES})`;

/**
 * The embedded engine holds at most MAX_PARALLEL_SEQUENCES samples in one context: a larger
 * --parallel is refused here, before a model is resolved, downloaded or loaded.
 */
export function checkParallel(engine: ModelFlagValues["engine"], parallel: number | undefined): void {
  if (engine !== "embedded" || parallel === undefined || parallel <= MAX_PARALLEL_SEQUENCES) return;
  throw new QmathError(
    "bad_input",
    `--parallel ${parallel} is more than the embedded engine decodes at once: llama.cpp holds at most ${MAX_PARALLEL_SEQUENCES} samples in one context.`,
    `Use --parallel ${MAX_PARALLEL_SEQUENCES} or less; the samples then run in waves.`,
  );
}
