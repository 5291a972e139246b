/**
 * A small pool of node:worker_threads for CPU work the event loop must not do (grading,
 * extraction). Each worker runs one task at a time; tasks wait in order of arrival. Workers
 * start when there is work for them, up to the pool's size.
 *
 * A worker that dies (an uncaught error, process.exit, running out of memory) or does not
 * answer its task before the task's deadline is terminated and dropped: its task is rejected
 * with a WorkerFailure, and a fresh worker starts for the next task. An error the task's
 * handler throws is only that task's failure; the worker stays.
 *
 * The worker side: a module that calls serveTasks(handler) (run it with `new Worker(url)`).
 */
import { parentPort, Worker } from "node:worker_threads";

/** A task that was not done because its worker died or ran past the task's deadline. */
export class WorkerFailure extends Error {
  constructor(
    message: string,
    readonly reason: "crashed" | "timeout" | "closed",
  ) {
    super(message);
    this.name = "WorkerFailure";
  }
}

const poolClosed = () => new WorkerFailure("The worker pool is closed.", "closed");

type Reply = { ok: true; result: unknown } | { ok: false; message: string };

/** In a worker: answers every task message with handler(task), one at a time. */
export function serveTasks<Task>(handler: (task: Task) => unknown): void {
  if (!parentPort) throw new Error("serveTasks() runs in a worker thread");
  const port = parentPort;
  port.on("message", (task: Task) => {
    let reply: Reply;
    try {
      reply = { ok: true, result: handler(task) };
    } catch (e) {
      reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
  });
}

interface Job {
  task: unknown;
  deadlineMs: number;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  timer?: NodeJS.Timeout;
}

export interface PoolStats {
  /** Workers alive. */
  workers: number;
  busy: number;
  queued: number;
  /** Workers dropped because they died or ran past a deadline. */
  replaced: number;
}

export class WorkerPool<Task, Result> {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private replaced = 0;
  private closed = false;

  /** `script`: the worker module; `size`: most workers at once (at least 1). */
  constructor(
    private readonly script: URL,
    readonly size: number,
  ) {
    if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`a worker pool needs at least one worker, not ${size}`);
  }

  /** Runs the task in a worker. Rejects with WorkerFailure if its worker dies or does not answer within deadlineMs. */
  run(task: Task, deadlineMs: number): Promise<Result> {
    if (this.closed) return Promise.reject(poolClosed());
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ task, deadlineMs, resolve: resolve as (r: unknown) => void, reject });
      this.dispatch();
    });
  }

  get stats(): PoolStats {
    let busy = 0;
    for (const s of this.slots) if (s.job) busy++;
    return { workers: this.slots.size, busy, queued: this.queue.length, replaced: this.replaced };
  }

  /** Rejects waiting tasks and stops every worker (running tasks are rejected too). */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(poolClosed());
    await Promise.all([...this.slots].map((s) => this.drop(s, poolClosed())));
  }

  private idleSlot(): Slot | undefined {
    for (const s of this.slots) if (!s.job) return s;
    return undefined;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.idleSlot();
      if (!slot) {
        if (this.slots.size >= this.size) return;
        slot = this.spawn();
      }
      this.start(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(this.script) };
    let lastError: Error | undefined;
    slot.worker.on("message", (reply: Reply) => this.finish(slot, reply));
    slot.worker.on("error", (e) => (lastError = e));
    slot.worker.on("exit", (code) => {
      if (!this.slots.has(slot)) return; // dropped on purpose
      this.replaced++;
      const why = lastError ? lastError.message : `exit code ${code}`;
      void this.drop(slot, new WorkerFailure(`The worker thread stopped (${why}).`, "crashed"));
      this.dispatch(); // a fresh worker for whatever waits
    });
    this.slots.add(slot);
    return slot;
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref(); // a running task keeps the process alive; an idle worker does not
    slot.timer = setTimeout(() => {
      this.replaced++;
      void this.drop(slot, new WorkerFailure(`The worker thread did not finish its task within ${job.deadlineMs} ms and was replaced.`, "timeout"));
      this.dispatch();
    }, job.deadlineMs);
    slot.worker.postMessage(job.task);
  }

  private finish(slot: Slot, reply: Reply): void {
    const job = slot.job;
    if (!job) return;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.worker.unref();
    if (reply.ok) job.resolve(reply.result);
    else job.reject(new Error(reply.message));
    this.dispatch();
  }

  /** Forgets the worker, rejects its task with `failure`, and terminates it. */
  private drop(slot: Slot, failure: WorkerFailure): Promise<unknown> {
    this.slots.delete(slot);
    clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = undefined;
    job?.reject(failure);
    return slot.worker.terminate();
  }
}
