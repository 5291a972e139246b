#!/usr/bin/env node
/**
 * The qmath command line: one file per command under src/cli/, each exporting
 * `run(argv): Promise<number>` (the exit code). This file only dispatches and turns a
 * QmathError into one line on stderr with exit code 2.
 */
import { isQmathError } from "../errors.js";

type CommandModule = { run(argv: string[]): Promise<number> };

const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  solve: { summary: "solve a math problem (CoT or TIR), streaming the solution", load: () => import("./solve.js") },
  chat: { summary: "multi-turn conversation with a model in the terminal", load: () => import("./chat.js") },
  models: { summary: "list the model family and what is installed", load: () => import("./models.js") },
  pull: { summary: "download a model (progress, resume, checksum)", load: () => import("./pull.js") },
  extract: { summary: "final answers of model responses (JSON lines in, JSON lines out)", load: () => import("./extract.js") },
  grade: { summary: "whether predicted answers equal the references (JSON lines, or --pred/--gold)", load: () => import("./grade.js") },
  serve: { summary: "OpenAI-compatible math server with a chat page", load: () => import("./serve.js") },
  eval: { summary: "run benchmark sets (resumable) or score recorded outputs; tables and reports", load: () => import("./eval.js") },
  exec: { summary: "run one Python cell in the sandbox and print what the model would see", load: () => import("./exec.js") },
  score: { summary: "reward model scores of responses (Qwen2.5-Math-RM-72B / PRM-7B on a vLLM server)", load: () => import("./score.js") },
  sample: { summary: "rejection sampling: correct solutions, ranked, as chat fine-tuning data", load: () => import("./sample.js") },
};

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: qmath <command> [options]\n\ncommands:\n${lines.join("\n")}\n\nRun 'qmath <command> --help' for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage() + "\n");
    return name ? 0 : 2;
  }
  if (name === "--version") {
    const { version } = await import("../version.js");
    process.stdout.write(version + "\n");
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`qmath: unknown command '${name}'. Run 'qmath --help' for the list of commands.\n`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (e) {
    if (isQmathError(e)) {
      process.stderr.write(`qmath ${name}: ${e.toLine()}\n`);
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`qmath: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
