/**
 * Every command of the qmath CLI, loaded when it runs (so that one command's --help does not
 * load another's dependencies). main.ts dispatches on this list; the tests walk it.
 */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";

/** A command's module: its options (buildCommand) and what it does (run, returning the exit code). */
export interface CommandModule {
  buildCommand(): CommandUnknownOpts;
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  solve: { summary: "solve a math problem (CoT or TIR), streaming the solution", load: () => import("./solve.js") },
  chat: { summary: "multi-turn conversation with a model in the terminal", load: () => import("./chat.js") },
  models: { summary: "list the model family and what is installed", load: () => import("./models.js") },
  pull: { summary: "download a model (progress, resume, checksum)", load: () => import("./pull.js") },
  extract: { summary: "final answers of model responses (JSON lines in, JSON lines out)", load: () => import("./extract.js") },
  grade: { summary: "whether predicted answers equal the references (JSON lines, or --pred/--gold)", load: () => import("./grade.js") },
  check: { summary: "check a worked solution step by step (equalities, equation steps, the final answer)", load: () => import("./check.js") },
  hint: { summary: "hint 1, 2 or 3 for a problem (a nudge, the method, the next step), never the answer", load: () => import("./hint.js") },
  serve: { summary: "OpenAI-compatible math server with a chat page", load: () => import("./serve.js") },
  eval: { summary: "run benchmark sets (resumable) or score recorded outputs; tables and reports", load: () => import("./eval.js") },
  exec: { summary: "run one Python cell in the sandbox and print what the model would see", load: () => import("./exec.js") },
  score: { summary: "reward model scores of responses (Qwen2.5-Math-RM-72B / PRM-7B on a vLLM server)", load: () => import("./score.js") },
  sample: { summary: "rejection sampling: correct solutions, ranked, as chat fine-tuning data", load: () => import("./sample.js") },
};
