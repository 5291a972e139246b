/** qmath chat: a multi-turn conversation in the terminal. */
import { createInterface } from "node:readline";
import { createEngine } from "../engine/create.js";
import { isQmathError } from "../errors.js";
import { chatSystemPrompt, PROMPT_FORMATS } from "../prompts/formats.js";
import { ChatSession } from "../solve/chat.js";
import { planSampling, resolveRunPlan } from "../solve/plan.js";
import { choice, createCommand, HELP_SHOWN, parseCommand } from "./command.js";
import { interruptSignal, onInterrupt } from "./interrupt.js";
import { addModelOptions, modelSetup } from "./model-flags.js";
import { writeErrorLine, writeText } from "./output.js";
import { downloadProgressBar } from "./progress.js";

const QUIT_HINT = "(to quit, type /exit or press Ctrl-D)";

/** The command with its options (the tests read every command's flags from it). */
export function buildCommand() {
  return addModelOptions(
    createCommand(
      "chat",
      `A conversation with the model; follow-up questions keep the context.
Inside the chat: /reset starts a new conversation, /exit (or Ctrl-D) quits, Ctrl-C stops a reply.`,
    ),
  )
    .option("--system <TEXT>", "system prompt (default: the model's CoT prompt)")
    .option("--prompt-format <F>", `${PROMPT_FORMATS.join(" | ")} (picks the default system prompt)`, choice("prompt-format", PROMPT_FORMATS));
}

export async function run(argv: string[]): Promise<number> {
  const command = buildCommand();
  if (parseCommand(command, argv) === HELP_SHOWN) return 0;
  const values = command.opts();
  const setup = modelSetup(values);

  // Ctrl-C while the model loads stops the command (one line, exit 130).
  const { engine, model } = await createEngine({
    ...setup.engine,
    maxParallel: 1,
    signal: interruptSignal(),
    onDownloadStart: (url) => process.stderr.write(`Downloading ${url}\n`),
    onDownloadProgress: downloadProgressBar("  model"),
  });
  const plan = resolveRunPlan({ promptFormat: values.promptFormat, sampling: setup.sampling }, { model: model.name });
  const session = new ChatSession(engine, { system: values.system ?? chatSystemPrompt(plan.promptFormat), sampling: planSampling(plan) });
  const tty = Boolean(process.stdin.isTTY);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: tty });
  process.stderr.write(`qmath chat with ${model.name}. /reset starts over, /exit or Ctrl-D quits, Ctrl-C stops a reply.\n`);
  const prompt = () => tty && rl.prompt();
  // From now on Ctrl-C stops the reply being written; at the prompt it says how to quit.
  // (On a terminal readline reads the key and emits "SIGINT"; otherwise the signal comes to the process.)
  let turn: AbortController | undefined;
  const onCtrlC = () => {
    if (turn) return turn.abort();
    writeErrorLine(QUIT_HINT);
    prompt();
  };
  rl.on("SIGINT", onCtrlC);
  const restore = onInterrupt(onCtrlC);
  rl.setPrompt("> ");
  prompt();
  try {
    // The line iterator buffers piped input, so no line is lost while a reply streams.
    for await (const line of rl) {
      const text = line.trim();
      if (text === "/exit" || text === "/quit") break;
      if (text === "/reset") {
        session.reset();
        writeText("(new conversation)\n");
      } else if (text) {
        turn = new AbortController();
        try {
          const reply = await session.ask(text, writeText, turn.signal);
          writeText(reply.finishReason === "abort" ? "\n(stopped)\n" : "\n");
        } catch (e) {
          if (!isQmathError(e)) throw e;
          writeErrorLine(`qmath chat: ${e.toLine()}`); // the conversation goes on
        } finally {
          turn = undefined;
        }
      }
      prompt();
    }
  } finally {
    restore();
    rl.close();
    await engine.close();
  }
  return 0;
}
