/** qmath serve: the OpenAI-compatible math server and the chat page, on one model. */
import { readFileSync } from "node:fs";
import { defaultThreads } from "../config.js";
import { createEngine } from "../engine/create.js";
import { QmathError } from "../errors.js";
import { createServer } from "../server/app.js";
import { collect, createCommand, HELP_SHOWN, parseCommand } from "./command.js";
import { interruptSignal, onInterrupt } from "./interrupt.js";
import { addModelOptions, modelSetup, checkParallel } from "./model-flags.js";
import { integerFlag, MAX_SAMPLES } from "./number-flag.js";
import { writeErrorLine } from "./output.js";
import { downloadProgressBar } from "./progress.js";
import { addRewardOptions, outcomeRewardModel, probeRewardModel } from "./reward-flags.js";

/** Generation requests admitted at once (--queue). */
const MAX_QUEUE = 4096;
/** Largest request body that may be allowed (--body-limit): 256 MiB. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

/** The command with its options (the tests read every command's flags from it). */
export function buildCommand() {
  const command = addModelOptions(
    createCommand(
      "serve",
      `Serves the model over HTTP: the OpenAI API (/v1/models, /v1/chat/completions, /v1/completions, /v1/responses),
math endpoints (/v1/solve, /v1/grade, /v1/extract, /v1/reward), /health, /metrics, and a chat page at /.
With --rm-url (a vLLM server of Qwen2.5-Math-RM-72B), /v1/reward gives the shaped reward.`,
    ),
  )
    .option("-p, --port <N>", "port", integerFlag("port", 0, 65535), 8080)
    .option("--host <H>", "address to listen on (0.0.0.0 for every interface)", "127.0.0.1")
    .option("--api-key <K>", "accepted API key (repeatable); every route but /health and the page needs it", collect)
    .option("--api-key-file <F>", "a file of accepted keys, one per line")
    .option("--served-model-name <NAME>", "a name clients may give the model (repeatable); the first is the one responses and /v1/models show first", collect)
    .option("--cors-origin <ORIGIN>", "an origin whose pages may call the API (repeatable; * for any); CORS is off without it", collect)
    .option("--parallel <N>", "samples generated at once", integerFlag("parallel", 1, MAX_SAMPLES), 8)
    .option("--queue <N>", "generation requests admitted at once, running or waiting (default 16); more are refused with 429 and Retry-After", integerFlag("queue", 1, MAX_QUEUE))
    .option("--body-limit <BYTES>", "largest request body (default 1048576)", integerFlag("body-limit", 1, MAX_BODY_BYTES, "bytes"))
    .option("--unsafe-no-sandbox", "TIR: run model code without bubblewrap (dangerous: see the README)");
  return addRewardOptions(command);
}

export async function run(argv: string[]): Promise<number> {
  const command = buildCommand();
  if (parseCommand(command, argv) === HELP_SHOWN) return 0;
  const values = command.opts();
  const setup = modelSetup(values);
  const { port, parallel } = values;
  const keys = [...(values.apiKey ?? [])];
  const keyFile = values.apiKeyFile;
  if (keyFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(keyFile, "utf8");
    } catch {
      throw new QmathError("bad_input", `Cannot read the API key file ${keyFile}.`, "Check the path.");
    }
    keys.push(...text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")));
    if (keys.length === 0) throw new QmathError("bad_input", `The API key file ${keyFile} holds no keys.`);
  }
  checkParallel(values.engine, parallel);
  const rewardScorer = values.rmUrl === undefined ? undefined : outcomeRewardModel(values.rmUrl, values);
  await probeRewardModel(rewardScorer);
  const { engine, model } = await createEngine({
    ...setup.engine,
    maxParallel: parallel,
    signal: interruptSignal(),
    onDownloadStart: (url) => process.stderr.write(`Downloading ${url}\n`),
    onDownloadProgress: downloadProgressBar("  model"),
  });
  const [modelId = model.catalog?.id ?? model.name, ...modelAliases] = values.servedModelName ?? [];
  const server = createServer({
    engine,
    modelId,
    modelAliases,
    corsOrigins: values.corsOrigin,
    // --temperature, --top-p, --top-k, --seed and --max-tokens: defaults for requests that do not set them.
    requestDefaults: { temperature: values.temperature, topP: values.topP, topK: values.topK, seed: values.seed, maxTokens: values.maxTokens },
    apiKeys: keys,
    queueSize: values.queue,
    bodyLimit: values.bodyLimit,
    sandboxOptions: { isolation: values.unsafeNoSandbox ? "none" : "bwrap" },
    rewardScorer,
    threads: values.threads ?? defaultThreads(),
  });
  let address: string;
  try {
    address = await server.listen(port, values.host);
  } catch (e) {
    await engine.close();
    throw new QmathError("bad_input", `Cannot listen on port ${port} (${e instanceof Error ? e.message : String(e)}).`, "Choose another --port.");
  }
  process.stderr.write(`qmath serve: ${model.name} at ${address} (chat page: ${address}/)${keys.length ? `, ${keys.length} API key(s)` : ""}\n`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        // A second Ctrl-C: leave without waiting for the running requests.
        writeErrorLine("qmath serve: interrupted.");
        process.exit(130);
      }
      stopping = true;
      process.stderr.write(`qmath serve: ${signal}: finishing running requests, then stopping\n`);
      void server.close().then(resolve);
    };
    onInterrupt(() => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  return 0;
}
