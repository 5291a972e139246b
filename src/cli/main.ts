#!/usr/bin/env node
/**
 * The qmath command line: one file per command under src/cli/ (listed in commands.ts), each
 * exporting `buildCommand()` (its options, on the skeleton in command.ts) and
 * `run(argv): Promise<number>` (the exit code).
 * This file installs the Ctrl-C handler first, dispatches, and turns errors into one line:
 * a QmathError exits 2; an interruption (Ctrl-C, or a QmathError "aborted") exits 130.
 */
import { isQmathError } from "../errors.js";
import { installInterruptHandler, interrupted } from "./interrupt.js";
import { commands } from "./commands.js";
import { writeErrorLine } from "./output.js";

let current = "qmath";
installInterruptHandler(() => {
  writeErrorLine(`${current}: interrupted.`);
  process.exit(130);
});

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
    const { version } = await import("../config.js");
    process.stdout.write(version + "\n");
    return 0;
  }
  const command = commands[name];
  if (!command) {
    const near = closestCommand(name);
    process.stderr.write(`qmath: unknown command '${name}'.${near ? ` Did you mean '${near}'?` : ""} Run 'qmath --help' for the list of commands.\n`);
    return 2;
  }
  current = `qmath ${name}`;
  let code: number;
  try {
    code = await (await command.load()).run(rest);
  } catch (e) {
    if (isQmathError(e) && e.code === "aborted") {
      writeErrorLine(`${current}: ${e.toLine()}`);
      return 130;
    }
    // After Ctrl-C, whatever broke (a child process the terminal also interrupted) is the interruption.
    if (interrupted()) return interruptedLine();
    if (isQmathError(e)) {
      writeErrorLine(`${current}: ${e.toLine()}`);
      return 2;
    }
    throw e;
  }
  // A command that printed its own interruption line returns 130.
  return interrupted() && code !== 130 ? interruptedLine() : code;
}

/** The command a typo most likely meant: within two edits (insert, delete, substitute), else none. */
function closestCommand(typed: string): string | undefined {
  const distance = (a: string, b: string): number => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row = next;
    }
    return row[b.length]!;
  };
  const ranked = Object.keys(commands)
    .map((c) => ({ c, d: distance(typed.toLowerCase(), c) }))
    .sort((x, y) => x.d - y.d);
  return ranked[0] && ranked[0].d <= 2 ? ranked[0].c : undefined;
}

function interruptedLine(): number {
  writeErrorLine(`${current}: interrupted.`);
  return 130;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Interrupted: everything is written; do not wait for work the interruption left behind.
    if (code === 130) process.exit(130);
  },
  (e: unknown) => {
    writeErrorLine(`qmath: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  },
);
