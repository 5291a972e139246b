/**
 * A run folder: config.json (the exact configuration of the run) and results.jsonl (one
 * line per finished problem, appended as soon as it finishes). Re-running into the same
 * folder continues where the run stopped: finished problems are skipped, never repeated or
 * lost, and a folder made with another configuration is refused. One run at a time holds the
 * folder (run.lock, see run-lock.ts) from open until close.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { QmathError } from "../errors.js";
import type { RunPlan } from "../solve/plan.js";
import type { ProblemRecord } from "./record.js";
import { jsonlLines } from "../jsonl.js";
import { outputError } from "./output-error.js";
import { RunLock } from "./run-lock.js";

const CONFIG_FILE = "config.json";
const RESULTS_FILE = "results.jsonl";

/**
 * The settings that decide a run's results: the model, the data and the run plan exactly as
 * executed. Two runs with equal configs can share a folder.
 */
export interface RunConfig {
  model: string;
  data: string[];
  /** Problems per dataset, or null for all. */
  limit: number | null;
  plan: RunPlan;
}

/** The data a run read: for each --data source, the file it was read from and a SHA-256 of its content. */
export type DataFiles = Record<string, { path: string; sha256: string }>;

/** Every leaf of a config by its dotted path ("plan.sampling.temperature"); arrays are leaves. */
export function configLeaves(value: unknown, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) configLeaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, value);
  return out;
}

export function problemKey(dataset: string, id: string): string {
  return `${dataset}\u0000${id}`;
}

function describe(v: unknown): string {
  return v === undefined ? "(unset)" : JSON.stringify(v);
}

export class RunFolder {
  readonly resultsPath: string;

  private constructor(
    readonly dir: string,
    private readonly lock: RunLock,
  ) {
    this.resultsPath = join(dir, RESULTS_FILE);
  }

  /**
   * Opens (or creates) a run folder for this configuration and locks it; refuses one made with
   * another configuration, or one another run holds. close() releases it.
   */
  static open(dir: string, config: RunConfig, createdBy: Record<string, unknown> = {}, dataFiles: DataFiles = {}): RunFolder {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw outputError(e, dir);
    }
    const lock = RunLock.acquire(dir);
    try {
      RunFolder.checkConfig(dir, config, createdBy, dataFiles);
      return new RunFolder(dir, lock);
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /** Releases the folder's lock. */
  close(): void {
    this.lock.release();
  }

  private static checkConfig(dir: string, config: RunConfig, createdBy: Record<string, unknown>, dataFiles: DataFiles): void {
    const configPath = join(dir, CONFIG_FILE);
    if (existsSync(configPath)) {
      let previous: { config?: RunConfig; dataFiles?: DataFiles };
      try {
        previous = JSON.parse(readFileSync(configPath, "utf8")) as { config?: RunConfig; dataFiles?: DataFiles };
      } catch {
        throw new QmathError("bad_input", `${configPath} is not readable JSON.`, "Use a new --out folder.");
      }
      const before = configLeaves(previous.config ?? {});
      const now = configLeaves(JSON.parse(JSON.stringify(config)));
      const keys = [...new Set([...before.keys(), ...now.keys()])].sort();
      const differences = keys.filter((k) => JSON.stringify(before.get(k)) !== JSON.stringify(now.get(k)));
      if (differences.length > 0) {
        const list = differences.map((k) => `${k}: ${describe(before.get(k))} there, ${describe(now.get(k))} now`).join("; ");
        throw new QmathError(
          "bad_input",
          `The run folder ${dir} was made with another configuration (${list}).`,
          "Use a new --out folder, or the same settings as that run to continue it.",
        );
      }
      // A data file edited in place: the finished problems were graded against the old references.
      for (const [source, now] of Object.entries(dataFiles)) {
        const then = previous.dataFiles?.[source];
        if (then !== undefined && then.sha256 !== now.sha256)
          throw new QmathError(
            "bad_input",
            `The data file ${now.path} has changed since the run in ${dir} began (its SHA-256 differs from the one in ${configPath}).`,
            "Put the file back as it was to continue that run, or use a new --out folder to run on the new data.",
          );
      }
    } else {
      // Whole or not at all: a full disk must not leave a half-written config.json behind.
      const tmp = `${configPath}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, JSON.stringify({ ...createdBy, config, dataFiles }, null, 2) + "\n");
        renameSync(tmp, configPath);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw outputError(e, dir);
      }
    }
  }

  /**
   * The records already in results.jsonl. A last line cut short by a crash is dropped from
   * the file (its problem runs again); a damaged line elsewhere is an error.
   */
  readRecords(): ProblemRecord[] {
    if (!existsSync(this.resultsPath)) return [];
    let text = readFileSync(this.resultsPath, "utf8");
    const complete = text.lastIndexOf("\n") + 1;
    if (complete < text.length) {
      text = text.slice(0, complete);
      truncateSync(this.resultsPath, Buffer.byteLength(text)); // an unfinished last line
    }
    const records: ProblemRecord[] = [];
    for (const parsed of jsonlLines(text)) {
      if (!parsed.ok)
        throw new QmathError("bad_input", `${this.resultsPath} line ${parsed.line} is damaged.`, "Delete that line to run its problem again, or use a new --out folder.");
      records.push(parsed.value as unknown as ProblemRecord);
    }
    return records;
  }

  private appending: Promise<void> = Promise.resolve();

  /**
   * Appends one finished problem, one append at a time. A write that fails (a full disk) is
   * cut back off the file, so results.jsonl keeps whole lines only, and the error says so.
   */
  append(record: ProblemRecord): Promise<void> {
    const write = async () => {
      const before = existsSync(this.resultsPath) ? statSync(this.resultsPath).size : 0;
      try {
        await appendFile(this.resultsPath, JSON.stringify(record) + "\n");
      } catch (e) {
        try {
          truncateSync(this.resultsPath, before);
        } catch {
          // nothing written, or the file cannot be touched: a cut-short last line is dropped on resume
        }
        throw outputError(e, this.dir, `Every problem finished before is kept in ${this.resultsPath}.`);
      }
    };
    const done = this.appending.then(write);
    this.appending = done.catch(() => undefined);
    return done;
  }
}
