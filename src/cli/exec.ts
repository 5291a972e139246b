/**
 * qmath exec: run one Python cell in a fresh sandboxed interpreter and print exactly what
 * the model would see in its ```output block.
 */
import { QmathError } from "../errors.js";
import { runCell } from "../sandbox/index.js";
import { createCommand, HELP_SHOWN, parseCommand, readStdin, readTextFile } from "./command.js";
import { MAX_CELL_SECONDS, secondsFlag } from "./number-flag.js";

/** The command with its options (the tests read every command's flags from it). */
export function buildCommand() {
  return createCommand(
    "exec",
    `Runs one Python cell (read from stdin, or --file) in a fresh sandboxed interpreter with
sympy and numpy, and prints exactly what the model would see in its output block: what the
cell printed (and the value of a final bare expression), "Done" if nothing, the last line
of the traceback on an exception, "Timeout Error" on a timeout; cut to its first and last
200 characters.`,
  )
    .usage("[options] < cell.py")
    .option("--file <PATH>", "read the cell from PATH instead of stdin (- for stdin)")
    .option("--timeout <SECONDS>", "wall-clock limit (default 5)", secondsFlag("timeout", MAX_CELL_SECONDS))
    .option("--python <PATH>", "interpreter with sympy and numpy (default /usr/bin/python3)")
    .option("--json", "print the whole result as JSON (output, status, stdout, error, ...)")
    .option("--unsafe-no-sandbox", "run without bubblewrap: the code can read and change your files and use the network. Only for code you trust.")
    .addHelpText("after", "\nexit status: 0 if the cell ran to the end, 1 if it raised, timed out or crashed, 2 on bad usage.");
}

export async function run(argv: string[]): Promise<number> {
  const command = buildCommand();
  if (parseCommand(command, argv) === HELP_SHOWN) return 0;
  const v = command.opts();
  const code = v.file !== undefined ? await readTextFile(v.file, "cell file") : await readStdin();
  if (!code.trim()) throw new QmathError("bad_input", "No code given.", "Pipe a Python cell to stdin or pass --file PATH.");
  const result = await runCell(code, {
    timeoutMs: v.timeout === undefined ? undefined : v.timeout * 1000,
    python: v.python,
    isolation: v.unsafeNoSandbox ? "none" : "bwrap",
  });
  process.stdout.write((v.json ? JSON.stringify(result, null, 2) : result.output) + "\n");
  return result.status === "ok" ? 0 : 1;
}
