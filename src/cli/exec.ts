/**
 * qmath exec: run one Python cell in a fresh sandboxed interpreter and print exactly what
 * the model would see in its ```output block.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { QmathError } from "../errors.js";
import { runCell } from "../sandbox/index.js";

const HELP = `usage: qmath exec [options] < cell.py

Runs one Python cell (read from stdin, or --file) in a fresh sandboxed interpreter with
sympy and numpy, and prints exactly what the model would see in its output block: what the
cell printed (and the value of a final bare expression), "Done" if nothing, the last line
of the traceback on an exception, "Timeout Error" on a timeout; cut to its first and last
200 characters.

options:
  --file PATH            read the cell from PATH instead of stdin
  --timeout SECONDS      wall-clock limit (default 5)
  --python PATH          interpreter with sympy and numpy (default /usr/bin/python3)
  --json                 print the whole result as JSON (output, status, stdout, error, ...)
  --unsafe-no-sandbox    run without bubblewrap: the code can read and change your files
                         and use the network. Only for code you trust.
  -h, --help             show this help

exit status: 0 if the cell ran to the end, 1 if it raised, timed out or crashed, 2 on bad usage.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        file: { type: "string" },
        timeout: { type: "string" },
        python: { type: "string" },
        json: { type: "boolean" },
        "unsafe-no-sandbox": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    throw new QmathError("bad_input", (e as Error).message.split("\n")[0]!.replace(/\.?$/, "."), "Run 'qmath exec --help'.");
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  let timeoutMs: number | undefined;
  if (v.timeout !== undefined) {
    const s = Number(v.timeout);
    if (!/^\s*[0-9.]+\s*$/.test(v.timeout) || !Number.isFinite(s) || s <= 0) {
      throw new QmathError("bad_input", `--timeout must be a positive number of seconds, got '${v.timeout}'.`);
    }
    timeoutMs = s * 1000;
  }
  let code: string;
  if (v.file !== undefined) {
    try {
      code = await readFile(v.file, "utf8");
    } catch (e) {
      throw new QmathError("bad_input", `cannot read --file ${v.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
    }
  } else {
    code = await readStdin();
  }
  if (!code.trim()) throw new QmathError("bad_input", "no code given.", "Pipe a Python cell to stdin or pass --file PATH.");

  const result = await runCell(code, {
    timeoutMs,
    python: v.python,
    isolation: v["unsafe-no-sandbox"] ? "none" : "bwrap",
  });
  process.stdout.write((v.json ? JSON.stringify(result, null, 2) : result.output) + "\n");
  return result.status === "ok" ? 0 : 1;
}
