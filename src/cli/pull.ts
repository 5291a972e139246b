/** qmath pull: download a catalog model's GGUF with progress, resume and checksum verification. */
import { statSync } from "node:fs";
import { QmathError } from "../errors.js";
import { formatBytes } from "../models/memory.js";
import { pullModel } from "../models/resolve.js";
import { createCommand, HELP_SHOWN, parseCommand } from "./command.js";
import { interruptSignal } from "./interrupt.js";
import { downloadProgressBar } from "./progress.js";

function pullCommand() {
  return createCommand(
    "pull",
    `Downloads a model of the family (see 'qmath models') from the Hugging Face Hub into the
models directory. An interrupted download resumes where it stopped; the finished file is
checked against the SHA-256 the Hub publishes. HF_TOKEN is sent when set; HF_ENDPOINT
selects a mirror.`,
  ).argument("[model]", "a catalog id, optionally :QUANT (e.g. qwen2.5-math-1.5b-instruct:Q8_0)");
}

export async function run(argv: string[]): Promise<number> {
  const command = pullCommand();
  if (parseCommand(command, argv) === HELP_SHOWN) return 0;
  const [id] = command.processedArgs;
  if (id === undefined) throw new QmathError("bad_input", "Name one model to download.", "For example: qmath pull qwen2.5-math-1.5b-instruct (see 'qmath models').");
  const result = await pullModel(id, {
    signal: interruptSignal(),
    onDownloadStart: (url, dest) => process.stderr.write(`Downloading ${url}\n       to ${dest}\n`),
    onProgress: downloadProgressBar("  "),
  });
  const size = formatBytes(statSync(result.path).size);
  process.stdout.write(`${result.downloaded ? "Downloaded" : "Already installed:"} ${result.name} (${size}) at ${result.path}\n`);
  return 0;
}
