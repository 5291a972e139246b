/** qmath pull: download a catalog model's GGUF with progress, resume and checksum verification. */
import { QmathError } from "../errors.js";
import { formatBytes } from "../models/memory.js";
import { pullModel } from "../models/resolve.js";
import { parse } from "./flags.js";
import { downloadProgressBar } from "./progress.js";
import { statSync } from "node:fs";

const HELP = `usage: qmath pull <model-id>[:QUANT]

Downloads a model of the family (see 'qmath models') from the Hugging Face Hub into the
models directory. An interrupted download resumes where it stopped; the finished file is
checked against the SHA-256 the Hub publishes. HF_TOKEN is sent when set; HF_ENDPOINT
selects a mirror.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { help: { type: "boolean", short: "h" } });
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  if (positionals.length !== 1)
    throw new QmathError("bad_input", "Name one model to download.", "For example: qmath pull qwen2.5-math-1.5b-instruct (see 'qmath models').");
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once("SIGINT", onSigint);
  try {
    const result = await pullModel(positionals[0]!, {
      signal: abort.signal,
      onDownloadStart: (url, dest) => process.stderr.write(`Downloading ${url}\n       to ${dest}\n`),
      onProgress: downloadProgressBar("  "),
    });
    const size = formatBytes(statSync(result.path).size);
    process.stdout.write(`${result.downloaded ? "Downloaded" : "Already installed:"} ${result.name} (${size}) at ${result.path}\n`);
    return 0;
  } finally {
    process.off("SIGINT", onSigint);
  }
}
