/**
 * What the CLI writes to the terminal. Streamed model text goes through `writeText`, which
 * remembers whether stdout ends mid-line, so an error or interruption line written after
 * it starts on a line of its own (on a terminal both streams share the screen).
 */
let midLine = false;

/** Writes streamed text to stdout. */
export function writeText(text: string): void {
  if (text === "") return;
  process.stdout.write(text);
  midLine = !text.endsWith("\n");
}

/** Ends a line of streamed text on stdout, if one is open. */
function endTextLine(): void {
  if (midLine) process.stdout.write("\n");
  midLine = false;
}

/** One line on stderr, after ending any open line of streamed text. */
export function writeErrorLine(line: string): void {
  endTextLine();
  process.stderr.write(line.endsWith("\n") ? line : line + "\n");
}
