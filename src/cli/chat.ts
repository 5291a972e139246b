/** qmath chat: a multi-turn conversation in the terminal. */
import { createInterface } from "node:readline";
import { createEngine } from "../engine/create.js";
import { isQmathError, QmathError } from "../errors.js";
import { chatSystemPrompt, isPromptFormat, PROMPT_FORMATS } from "../prompts/formats.js";
import { ChatSession } from "../solve/chat.js";
import { planSampling, resolveRunPlan } from "../solve/plan.js";
import { MODEL_FLAGS, MODEL_FLAGS_HELP, modelSetup, parse } from "./flags.js";
import { downloadProgressBar } from "./progress.js";

const HELP = `usage: qmath chat [options]

A conversation with the model; follow-up questions keep the context.
Commands inside the chat: /reset (new conversation), /exit (or Ctrl-D).

options:
      --system TEXT      system prompt (default: the model's CoT prompt)
      --prompt-format F  ${PROMPT_FORMATS.join(" | ")} (picks the default system prompt)
${MODEL_FLAGS_HELP}
  -h, --help             this help`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...MODEL_FLAGS, system: { type: "string" }, "prompt-format": { type: "string" } }, false);
  void positionals;
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  const setup = modelSetup(values);
  const formatFlag = values["prompt-format"] as string | undefined;
  if (formatFlag !== undefined && !isPromptFormat(formatFlag))
    throw new QmathError("bad_input", `Unknown --prompt-format '${formatFlag}'.`, `Use one of ${PROMPT_FORMATS.join(", ")}.`);

  const { engine, model } = await createEngine({
    ...setup.engine,
    maxParallel: 1,
    onDownloadStart: (url) => process.stderr.write(`Downloading ${url}\n`),
    onDownloadProgress: downloadProgressBar("  model"),
  });
  const plan = resolveRunPlan({ promptFormat: formatFlag && isPromptFormat(formatFlag) ? formatFlag : undefined, sampling: setup.sampling }, { model: model.name });
  const session = new ChatSession(engine, {
    system: (values.system as string | undefined) ?? chatSystemPrompt(plan.promptFormat),
    sampling: planSampling(plan),
  });
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: Boolean(process.stdin.isTTY) });
  process.stderr.write(`qmath chat with ${model.name}. /reset starts over, /exit quits.\n`);
  let turn: AbortController | undefined;
  rl.on("SIGINT", () => (turn ? turn.abort() : rl.close()));
  const prompt = () => process.stdin.isTTY && rl.prompt();
  rl.setPrompt("> ");
  prompt();
  try {
    // The line iterator buffers piped input, so no line is lost while a reply streams.
    for await (const line of rl) {
      const text = line.trim();
      if (text === "/exit" || text === "/quit") break;
      if (text === "/reset") {
        session.reset();
        process.stdout.write("(new conversation)\n");
      } else if (text) {
        turn = new AbortController();
        try {
          await session.ask(text, (d) => process.stdout.write(d), turn.signal);
          process.stdout.write("\n");
        } catch (e) {
          if (!isQmathError(e)) throw e;
          process.stderr.write(`qmath chat: ${e.toLine()}\n`); // the conversation goes on
        } finally {
          turn = undefined;
        }
      }
      prompt();
    }
  } finally {
    rl.close();
    await engine.close();
  }
  return 0;
}
