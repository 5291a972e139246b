/** qmath models: the family, with sources, quantizations, context, memory and what is installed. */
import { CATALOG } from "../models/catalog.js";
import { embeddingParams, estimateMemoryBytes, formatBytes, kvCacheBytes, vocabTableBytes, weightBytes } from "../models/memory.js";
import { modelsDir } from "../config.js";
import { installedModels } from "../models/resolve.js";
import { createCommand, HELP_SHOWN, parseCommand } from "./command.js";

/** The command with its options (the tests read every command's flags from it). */
export function buildCommand() {
  return createCommand(
    "models",
    `Lists every model of the Qwen2-Math / Qwen2.5-Math family: id, kind, Hugging Face source,
GGUF quantizations, context length, estimated memory (default quantization, one sample at
full context: weights, llama.cpp's vocabulary tables, KV cache and runtime; --json has each
part) and whether it is installed (in ${modelsDir()}, or $QMATH_MODELS_DIR).`,
  ).option("--json", "print the list as JSON");
}

export async function run(argv: string[]): Promise<number> {
  const command = buildCommand();
  if (parseCommand(command, argv) === HELP_SHOWN) return 0;
  const values = command.opts();
  const installed = installedModels();
  const rows = CATALOG.map((m) => {
    const quant = m.gguf?.defaultQuant ?? "F16";
    return {
      id: m.id,
      kind: m.kind,
      source: m.hfSource,
      gguf: m.gguf ? { repo: m.gguf.repo, quants: m.gguf.quants, default: m.gguf.defaultQuant } : null,
      contextLength: m.contextLength,
      memoryBytes: Math.round(estimateMemoryBytes(m.shape, quant, m.contextLength, 1)),
      memory: {
        quant,
        weightBytes: Math.round(weightBytes(m.shape, quant)),
        vocabulary: { rows: m.shape.vocab, embeddingParams: embeddingParams(m.shape), tableBytes: vocabTableBytes(m.shape) },
        kvCacheBytes: kvCacheBytes(m.shape, m.contextLength, 1),
      },
      installed: installed.filter((i) => i.model === m).map((i) => ({ quant: i.quant, path: i.path })),
    };
  });
  if (values.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
    return 0;
  }
  const table = [["ID", "KIND", "QUANTS (default first)", "CONTEXT", "MEMORY", "INSTALLED"]];
  for (const r of rows) {
    const quants = r.gguf ? [r.gguf.default, ...r.gguf.quants.filter((q) => q !== r.gguf!.default)].join(",") : "vLLM only";
    table.push([r.id, r.kind, quants, String(r.contextLength), `~${formatBytes(r.memoryBytes)}`, r.installed.map((i) => i.quant).join(",") || "-"]);
  }
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  for (const row of table) process.stdout.write(row.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd() + "\n");
  process.stdout.write(`\nModels directory: ${modelsDir()}\nSources: each id's GGUF comes from the repository shown by 'qmath models --json'.\n`);
  return 0;
}
