/**
 * Checks a generated model without risking the calling process: first the JavaScript
 * structural validation, then a real load + short greedy generation with node-llama-cpp in
 * a child process (llama.cpp aborts the process on some malformed files).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { readGgufHeader } from "./reader.js";
import { validateQwen2Header } from "./validate.js";

/** The child prints its report on one stdout line starting with this. */
export const RESULT_PREFIX = "QMATH_LOAD_CHECK ";

export const CHECK_PROMPT =
  "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n" +
  "<|im_start|>user\nWhat is $1 + 2$?<|im_end|>\n<|im_start|>assistant\n";

export interface LoadCheckReport {
  promptTokens: number;
  /** The prompt's <|im_start|> / <|im_end|> each came out as one token with the right id. */
  specialTokensParsed: boolean;
  generated: number[];
  text: string;
  /** Every selected token had a finite probability (no NaN/Inf logits). */
  finite: boolean;
  loadSeconds: number;
  promptSeconds: number;
  /** Decode speed after the first generated token. */
  tokensPerSecond: number;
}

export type ModelCheckResult =
  | { ok: true; report: LoadCheckReport }
  | { ok: false; stage: "read" | "validate" | "load" | "generate"; problems: string[]; report?: LoadCheckReport };

export interface ModelCheckOptions {
  threads?: number;
  maxTokens?: number;
  timeoutMs?: number;
}

/** The child script next to this module: .ts when running under tsx, .js once compiled. */
function childScript(): { path: string; execArgv: string[] } {
  const url = new URL(import.meta.url);
  const ext = url.pathname.endsWith(".ts") ? ".ts" : ".js";
  const path = fileURLToPath(new URL(`./load-check-child${ext}`, url));
  return { path, execArgv: ext === ".ts" ? ["--import", "tsx"] : [] };
}

function runChild(modelPath: string, options: ModelCheckOptions): Promise<ModelCheckResult> {
  const { path, execArgv } = childScript();
  const args = [...execArgv, path, modelPath, String(options.threads ?? 1), String(options.maxTokens ?? 10)];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 300_000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) {
        resolve({ ok: true, report: JSON.parse(line.slice(RESULT_PREFIX.length)) as LoadCheckReport });
        return;
      }
      const tail = stderr.trim().split("\n").slice(-5).join(" | ");
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      resolve({ ok: false, stage: "load", problems: [`node-llama-cpp child ${how}${tail ? `: ${tail}` : ""}`] });
    });
  });
}

export async function checkModel(modelPath: string, options: ModelCheckOptions = {}): Promise<ModelCheckResult> {
  let header;
  try {
    header = readGgufHeader(modelPath);
  } catch (error) {
    return { ok: false, stage: "read", problems: [error instanceof Error ? error.message : String(error)] };
  }
  const problems = validateQwen2Header(header);
  if (problems.length > 0) return { ok: false, stage: "validate", problems };
  const result = await runChild(modelPath, options);
  if (!result.ok) return result;
  const { report } = result;
  const generateProblems = [
    ...(report.specialTokensParsed ? [] : ["<|im_start|>/<|im_end|> did not tokenize as single special tokens"]),
    ...(report.finite ? [] : ["generation produced non-finite probabilities (NaN/Inf logits)"]),
    ...(report.generated.length > 0 ? [] : ["no token was generated"]),
  ];
  return generateProblems.length > 0 ? { ok: false, stage: "generate", problems: generateProblems, report } : result;
}
