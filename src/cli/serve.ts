/** qmath serve: the OpenAI-compatible math server and the chat page, on one model. */
import { readFileSync } from "node:fs";
import { createEngine } from "../engine/create.js";
import { QmathError } from "../errors.js";
import { createOutcomeRewardModel } from "../rewards/index.js";
import { createServer } from "../server/app.js";
import { MODEL_FLAGS, MODEL_FLAGS_HELP, modelSetup, parse, positiveInt } from "./flags.js";
import { downloadProgressBar } from "./progress.js";

const HELP = `usage: qmath serve [options]

Serves the model over HTTP: the OpenAI API (/v1/models, /v1/chat/completions, /v1/completions),
math endpoints (/v1/solve, /v1/grade, /v1/extract), /health, /metrics, and a chat page at /.

options:
  -p, --port N           port (default 8080)
      --host H           address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
      --api-key K        accepted API key (repeatable); every route but /health and the page needs it
      --api-key-file F   a file of accepted keys, one per line
      --parallel N       samples generated at once (default 8)
      --queue N          generation requests admitted at once, running or waiting (default 16);
                         more are refused with 429 and Retry-After
      --body-limit BYTES largest request body (default 1048576)
      --unsafe-no-sandbox  TIR: run model code without bubblewrap (dangerous: see the README)
      --rm-url URL       a vLLM server of Qwen2.5-Math-RM-72B: /v1/reward then gives the shaped reward
      --rm-model NAME    the reward model's served name (default: the Hub name)
${MODEL_FLAGS_HELP}
  -h, --help             this help`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      ...MODEL_FLAGS,
      port: { type: "string", short: "p" },
      host: { type: "string" },
      "api-key": { type: "string", multiple: true },
      "api-key-file": { type: "string" },
      parallel: { type: "string" },
      queue: { type: "string" },
      "body-limit": { type: "string" },
      "unsafe-no-sandbox": { type: "boolean" },
      "rm-url": { type: "string" },
      "rm-model": { type: "string" },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  const setup = modelSetup(values);
  const port = Number(values.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new QmathError("bad_input", `--port must be a port number, not '${String(values.port)}'.`);
  const keys = [...((values["api-key"] as string[] | undefined) ?? [])];
  const keyFile = values["api-key-file"] as string | undefined;
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
  const parallel = positiveInt("parallel", values.parallel as string | undefined) ?? 8;
  const queueSize = positiveInt("queue", values.queue as string | undefined);
  const bodyLimit = positiveInt("body-limit", values["body-limit"] as string | undefined);
  const rmUrl = values["rm-url"] as string | undefined;
  const rewardScorer = rmUrl
    ? createOutcomeRewardModel({ baseUrl: rmUrl, model: values["rm-model"] as string | undefined, apiKey: process.env.QMATH_RM_API_KEY })
    : undefined;
  const { engine, model } = await createEngine({
    ...setup.engine,
    maxParallel: parallel,
    onDownloadStart: (url) => process.stderr.write(`Downloading ${url}\n`),
    onDownloadProgress: downloadProgressBar("  model"),
  });
  const server = createServer({
    engine,
    modelId: model.catalog?.id ?? model.name,
    apiKeys: keys,
    queueSize,
    bodyLimit,
    sandboxOptions: { isolation: values["unsafe-no-sandbox"] ? "none" : "bwrap" },
    rewardScorer,
  });
  let address: string;
  try {
    address = await server.listen(port, (values.host as string | undefined) ?? "127.0.0.1");
  } catch (e) {
    await engine.close();
    throw new QmathError("bad_input", `Cannot listen on port ${port} (${e instanceof Error ? e.message : String(e)}).`, "Choose another --port.");
  }
  process.stderr.write(`qmath serve: ${model.name} at ${address} (chat page: ${address}/)${keys.length ? `, ${keys.length} API key(s)` : ""}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`qmath serve: ${signal}: finishing running requests, then stopping\n`);
      void server.close().then(resolve);
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  return 0;
}
