/**
 * The skeleton every command is built on: a commander `Command` (typed option values through
 * @commander-js/extra-typings), value parsers that throw a QmathError naming the flag (numbers:
 * number-flag.ts), and the inputs commands read (a problem, a file or stdin with "-").
 *
 * Commander answers a mistake over several lines ("error: unknown option ... (Did you mean
 * --temperature?)"); `parseCommand` turns it into one QmathError line, and `--help` into
 * the help on stdout with exit code 0.
 */
import { Command, CommanderError, type OptionValues } from "@commander-js/extra-typings";
import { createReadStream } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { QmathError } from "../errors.js";

/** A command with qmath's conventions: no output of its own on errors, `-h, --help`, no stray arguments. */
export function createCommand(name: string, description: string): Command {
  return new Command(`qmath ${name}`)
    .description(description)
    .helpOption("-h, --help", "this help")
    .exitOverride()
    .configureOutput({ writeErr: () => {}, outputError: () => {} })
    // "usage:", "options:": lower-case titles, like 'qmath --help'.
    .configureHelp({ helpWidth: 100, styleTitle: (title) => title.charAt(0).toLowerCase() + title.slice(1) })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
}

/** Whether the user asked for help (already printed): the command returns 0. */
export const HELP_SHOWN = Symbol("help shown");

/** Commander's "error: unknown option '--x'\n(Did you mean --y?)" as one sentence. */
function oneLine(e: CommanderError): string {
  const [first = "", ...rest] = e.message.replace(/^error: /, "").split("\n");
  let line = first.charAt(0).toUpperCase() + first.slice(1);
  const suggestion = rest.join(" ").match(/Did you mean (.+)\?/);
  line = line.replace(/\.*$/, "");
  return suggestion ? `${line} (did you mean ${suggestion[1]}?).` : `${line}.`;
}

/** Parses argv into the command's typed options; a user mistake is one QmathError line. */
export function parseCommand<A extends unknown[], O extends OptionValues, G extends OptionValues>(command: Command<A, O, G>, argv: string[]): typeof HELP_SHOWN | undefined {
  try {
    command.parse(argv, { from: "user" });
    return undefined;
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.code === "commander.helpDisplayed" || e.code === "commander.help") return HELP_SHOWN;
    throw new QmathError("bad_input", oneLine(e), `Run '${command.name()} --help' to see its options.`);
  }
}

// ---- value parsers: each returns a typed value or throws a one-line QmathError naming the flag

/** One of a fixed set of words, typed as that set. */
export function choice<const T extends string>(flag: string, values: readonly T[]): (raw: string) => T {
  return (raw) => {
    const found = values.find((v) => v === raw);
    if (found === undefined) throw new QmathError("bad_input", `Unknown --${flag} '${raw}'.`, `Use one of ${values.join(", ")}.`);
    return found;
  };
}

/** A repeatable flag: every occurrence, in order. */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** A comma-separated list; repeating the flag adds to it. */
export const commaList = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  ...value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
];

// ---- inputs

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The text of --file: a path, or "-" for stdin. */
export async function readTextFile(file: string, what: string): Promise<string> {
  if (file === "-") return readStdin();
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw new QmathError("bad_input", `Cannot read the ${what} ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}).`, "Check the path given to --file.");
  }
}

/** The problem text: the positional arguments, --file (a path, or "-" for stdin), or stdin ("-" or no argument with piped input). */
export async function readProblem(positionals: readonly string[], file: string | undefined): Promise<string> {
  let text: string;
  if (file !== undefined) {
    if (positionals.length > 0) throw new QmathError("bad_input", "Give the problem either as an argument or with --file, not both.");
    text = await readTextFile(file, "problem file");
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

/** The stream of --file: stdin when absent or "-", else the file (checked before reading). */
export async function openInput(file: string | undefined): Promise<NodeJS.ReadableStream> {
  if (file === undefined || file === "-") return process.stdin;
  try {
    await access(file);
  } catch {
    throw new QmathError("bad_input", `Cannot read ${file}.`, "Check the path given to --file.");
  }
  return createReadStream(file);
}
