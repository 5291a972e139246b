/**
 * Ctrl-C (SIGINT) for every command, installed before anything else is loaded.
 *
 * - A command that can stop cleanly takes `interruptSignal()`: the first Ctrl-C aborts that
 *   signal and the command winds down (a solve stops its samples, an eval keeps its finished
 *   problems, a download keeps its partial file); main then prints one line and exits 130.
 * - Any other command, or a second Ctrl-C, exits at once with one line and code 130.
 * - A command can take Ctrl-C over with `onInterrupt` (chat: stop the reply, or say how to quit).
 *
 * Libraries that log on their own (node-llama-cpp writes the error of a binary test whose
 * child process the terminal's Ctrl-C also killed) are silenced once the user interrupted:
 * the one line main prints is all the user sees.
 */
const controller = new AbortController();
let cooperative = false;
let override: (() => void) | undefined;
let leave: (() => void) | undefined;

/** The signal of the user's first Ctrl-C; taking it says the command stops cleanly on it. */
export function interruptSignal(): AbortSignal {
  cooperative = true;
  return controller.signal;
}

/** Whether the user pressed Ctrl-C (and the command was asked to stop). */
export function interrupted(): boolean {
  return controller.signal.aborted;
}

/** Runs `handler` on Ctrl-C instead of stopping the command, until the returned function is called. */
export function onInterrupt(handler: () => void): () => void {
  override = handler;
  return () => {
    if (override === handler) override = undefined;
  };
}

function silenceLibraryLogs(): void {
  const quiet = () => {};
  console.error = quiet;
  console.warn = quiet;
  console.log = quiet;
  console.info = quiet;
}

/** Installs the SIGINT handler; `exitNow` prints the one line and exits 130. */
export function installInterruptHandler(exitNow: () => void): void {
  leave = exitNow;
  process.on("SIGINT", () => {
    if (override) return override();
    if (!cooperative || controller.signal.aborted) return leave!();
    silenceLibraryLogs();
    controller.abort();
  });
}
