/** qmath pull: download a catalog model's GGUF with progress, resume and checksum verification. */
import { statSync } from "node:fs";
import { QmathError } from "../errors.js";
import { formatBytes } from "../models/memory.js";
import { pullModel } from "../models/resolve.js";
import { createCommand, HELP_SHOWN, parseCommand } from "./command.js";
import { interruptSignal } from "./interrupt.js";
import { downloadProgressBar } from "./progress.js";

/** The command with its options (the tests read every command's flags from it). */
export function buildCommand() {
  return createCommand(
    "pull",
    `Downloads a model of the family (see 'qmath models') from the Hugging Face Hub into the
models directory. An interrupted download resumes where it stopped; the finished file is
checked against the SHA-256 the Hub publishes (a file without one is refused unless you pass
--sha256 or --no-verify). A stalled transfer is retried, resuming. HF_TOKEN is sent when set;
HF_ENDPOINT selects a mirror.`,
  )
    .argument("[model]", "a catalog id, optionally :QUANT (e.g. qwen2.5-math-1.5b-instruct:Q8_0)")
    .option("--sha256 <HEX>", "the file's SHA-256, checked instead of the one the server publishes")
    .option("--no-verify", "install the file even when no checksum is published and none is given");
}

export async function run(argv: string[]): Promise<number> {
  const command = buildCommand();
  if (parseCommand(command, argv) === HELP_SHOWN) return 0;
  const [id] = command.processedArgs;
  const opts = command.opts();
  if (id === undefined) throw new QmathError("bad_input", "Name one model to download.", "For example: qmath pull qwen2.5-math-1.5b-instruct (see 'qmath models').");
  const result = await pullModel(id, {
    signal: interruptSignal(),
    onDownloadStart: (url, dest) => process.stderr.write(`Downloading ${url}\n       to ${dest}\n`),
    onProgress: downloadProgressBar("  "),
    sha256: opts.sha256,
    allowUnverified: !opts.verify,
    onWarning: (message) => process.stderr.write(`Warning: ${message}\n`),
  });
  const size = formatBytes(statSync(result.path).size);
  process.stdout.write(`${result.downloaded ? "Downloaded" : "Already installed:"} ${result.name} (${size}) at ${result.path}\n`);
  return 0;
}
