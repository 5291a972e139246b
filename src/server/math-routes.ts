/**
 * The math endpoints: POST /v1/solve (the solve pipeline, CoT or TIR, N samples with voting;
 * optionally streamed), POST /v1/grade, POST /v1/extract and POST /v1/check (single or batch;
 * grading, extraction and step checking run in worker threads, see math-work.ts), POST /v1/hint.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { MAX_RESPONSE_CHARS } from "../answers/extract.js";
import { MAX_CHECK_CHARS, type CheckInput, type CheckResult } from "../check/check.js";
import { explainFirstError, type Explanation } from "../check/explain.js";
import { finalByModelVote } from "../check/vote.js";
import { giveHint, type HintLevel } from "../check/hint.js";
import { answerStyleOf } from "../datasets/registry.js";
import type { GradePair } from "./math-tasks.js";
import type { Engine } from "../engine/types.js";
import type { Sandbox } from "../sandbox/index.js";
import type { SelectMethod, SolveMode } from "../solve/options.js";
import { solve, type SolveResult } from "../solve/solve.js";
import type { AdmissionGate } from "./admission.js";
import { toHttpError } from "./errors.js";
import type { ServerMetrics } from "./prometheus.js";
import { EventStream } from "./event-stream.js";
import type { MathWorkers } from "./math-work.js";

export interface MathContext {
  engine: Engine;
  modelId: string;
  gate: AdmissionGate;
  metrics: ServerMetrics;
  /** The sandbox for TIR, started on first use (rejects when the machine has none). */
  sandbox: () => Promise<Sandbox>;
  /** Most items in one /v1/grade or /v1/extract batch. */
  maxBatch: number;
  /** The worker threads that grade and extract. */
  work: MathWorkers;
}

const solveSchema = {
  type: "object",
  required: ["problem"],
  properties: {
    problem: { type: "string", minLength: 1 },
    mode: { enum: ["cot", "tir"] },
    n: { type: "integer", minimum: 1, maximum: 64 },
    select: { enum: ["maj", "first"] },
    early_stop: { type: "boolean" },
    temperature: { type: "number", minimum: 0, maximum: 2 },
    top_p: { type: "number", exclusiveMinimum: 0, maximum: 1 },
    seed: { type: "integer" },
    max_tokens: { type: "integer", minimum: 1 },
    max_calls: { type: "integer", minimum: 1, maximum: 16 },
    stream: { type: "boolean" },
  },
} as const;

interface SolveBody {
  problem: string;
  mode?: SolveMode;
  n?: number;
  select?: SelectMethod;
  early_stop?: boolean;
  temperature?: number;
  top_p?: number;
  seed?: number;
  max_tokens?: number;
  max_calls?: number;
  stream?: boolean;
}

/** The response body: snake_case like the rest of the API. */
function solveResponse(r: SolveResult) {
  return {
    model: r.model,
    mode: r.mode,
    answer: r.answer,
    text: r.text,
    selected: r.selected,
    select: r.select,
    samples: r.samples.map((s) => ({
      index: s.index,
      text: s.text,
      answer: s.answer,
      finish_reason: s.finishReason,
      ...(s.cells && { cells: s.cells.map((c) => ({ code: c.code, output: c.output, status: c.status, duration_ms: c.durationMs })) }),
    })),
    ...(r.vote && { vote: r.vote }),
    ...(r.earlyStop && { early_stop: { samples_run: r.earlyStop.samplesRun, samples_saved: r.earlyStop.samplesSaved } }),
    usage: { prompt_tokens: r.usage.promptTokens, completion_tokens: r.usage.completionTokens, total_tokens: r.usage.promptTokens + r.usage.completionTokens },
    timings: { prompt_ms: r.timings.promptMs, generate_ms: r.timings.generateMs, total_ms: r.timings.totalMs, tokens_per_second: r.timings.tokensPerSecond },
  };
}

const pairSchema = {
  type: "object",
  required: ["pred", "gold"],
  properties: {
    pred: { anyOf: [{ type: "string" }, { type: "number" }, { type: "null" }] },
    gold: { anyOf: [{ type: "string" }, { type: "number" }] },
  },
} as const;

const responseSchema = {
  type: "object",
  required: ["response"],
  properties: { response: { type: "string", maxLength: MAX_RESPONSE_CHARS }, dataset: { type: "string" } },
} as const;

const checkSchema = {
  type: "object",
  required: ["problem", "solution"],
  properties: {
    problem: { type: "string", maxLength: MAX_CHECK_CHARS },
    solution: { type: "string", maxLength: MAX_CHECK_CHARS },
    reference: { anyOf: [{ type: "string" }, { type: "number" }, { type: "null" }] },
  },
} as const;

const hintSchema = {
  type: "object",
  required: ["problem"],
  properties: {
    problem: { type: "string", minLength: 1, maxLength: MAX_CHECK_CHARS },
    work: { type: "string", maxLength: MAX_CHECK_CHARS },
    level: { enum: [1, 2, 3] },
    n: { type: "integer", minimum: 1, maximum: 16 },
    mode: { enum: ["cot", "tir"] },
  },
} as const;

/** What /v1/check may ask of the server's model: explain each first error; vote on answers nothing else can judge. */
const modelOptions = { explain: { type: "boolean" }, vote: { type: "integer", minimum: 1, maximum: 64 } } as const;

/** One item, or { items }; `shared` are properties the body may carry beside either (/v1/check's explain and vote). */
function batchSchema(item: { properties: object }, maxBatch: number, shared: object = {}) {
  return {
    anyOf: [
      { ...item, properties: { ...item.properties, ...shared } },
      { type: "object", required: ["items"], properties: { items: { type: "array", items: item, maxItems: maxBatch }, ...shared } },
    ],
  };
}

/** A step check in the API's shape (snake_case). */
function checkBody(r: CheckResult) {
  return { steps: r.steps, first_error: r.firstError, final_answer: r.finalAnswer };
}

export function registerMathRoutes(app: FastifyInstance, ctx: MathContext): void {
  app.post("/v1/solve", { schema: { body: solveSchema } }, async (request: FastifyRequest, reply: FastifyReply) => {
    const body = request.body as SolveBody;
    const admission = ctx.gate.admit(request, reply);
    if (!admission) return reply;
    let stream: EventStream | undefined;
    try {
      const mode = body.mode ?? "cot";
      const sandbox = mode === "tir" ? await ctx.sandbox() : undefined;
      if (body.stream) {
        stream = new EventStream(reply);
      }
      const events = stream;
      const result = await solve(ctx.engine, body.problem, {
        mode,
        n: body.n ?? 1,
        selection: { method: body.select, earlyStop: body.early_stop },
        sampling: { temperature: body.temperature, topP: body.top_p, seed: body.seed, maxTokens: body.max_tokens },
        tir: { sandbox, maxCalls: body.max_calls },
        signal: admission.signal,
        callbacks: {
          onText: events && ((sample, delta) => events.send({ type: "text", sample, delta })),
          onCell: (sample, cell) => {
            ctx.metrics.sandboxExecutions++;
            events?.send({ type: "cell", sample, cell: { code: cell.code, output: cell.output, status: cell.status } });
          },
        },
      });
      ctx.metrics.countTokens(result.usage.completionTokens);
      if (!events) return reply.send(solveResponse(result));
      events.send({ type: "result", result: solveResponse(result) });
      events.end();
      return reply;
    } catch (e) {
      const { status, body: errBody } = toHttpError(e);
      if (!stream) return reply.code(status).send(errBody);
      stream.send({ type: "error", ...errBody });
      stream.end();
      return reply;
    } finally {
      admission.release();
    }
  });

  app.post("/v1/grade", { schema: { body: batchSchema(pairSchema, ctx.maxBatch) } }, async (request) => {
    const body = request.body as GradePair | { items: GradePair[] };
    const pairs = ("items" in body ? body.items : [body]).map(({ pred, gold }) => ({ pred, gold })); // only what is graded goes to a worker
    const results = await ctx.work.grade(pairs);
    return "items" in body ? { results } : results[0];
  });

  app.post("/v1/check", { schema: { body: batchSchema(checkSchema, ctx.maxBatch, modelOptions) } }, async (request: FastifyRequest, reply: FastifyReply) => {
    type Item = { problem: string; solution: string; reference?: string | number | null };
    const body = request.body as (Item | { items: Item[] }) & { explain?: boolean; vote?: number };
    const items: CheckInput[] = ("items" in body ? body.items : [body]).map((it) => ({
      problem: it.problem,
      solution: it.solution,
      ...(it.reference !== undefined && it.reference !== null && { reference: String(it.reference) }),
    }));
    const results = await ctx.work.check(items);
    // explain: the model words each first error; vote: the model's majority answer judges a final
    // answer nothing else could (the engine is used only when there is such work)
    const explanations: (Explanation | null)[] = results.map(() => null);
    const toExplain = body.explain ? results.flatMap((r, k) => (r.firstError !== null ? [k] : [])) : [];
    const toVote = body.vote ? results.flatMap((r, k) => (r.finalAnswer.method === "none" && r.finalAnswer.answer !== null ? [k] : [])) : [];
    if (toExplain.length > 0 || toVote.length > 0) {
      const admission = ctx.gate.admit(request, reply);
      if (!admission) return reply;
      try {
        for (const k of toVote) results[k] = await finalByModelVote(ctx.engine, items[k]!, results[k]!, { n: body.vote, signal: admission.signal });
        for (const k of toExplain) explanations[k] = await explainFirstError(ctx.engine, items[k]!, results[k]!, { signal: admission.signal });
      } catch (e) {
        const { status, body: errBody } = toHttpError(e);
        return reply.code(status).send(errBody);
      } finally {
        admission.release();
      }
    }
    const shape = (r: (typeof results)[number], k: number) => {
      const e = explanations[k];
      return {
        ...checkBody(r),
        ...(e && { explanation: { by: e.by, model: e.model, step: e.step, text: e.text, finish_reason: e.finishReason } }),
      };
    };
    return reply.send("items" in body ? { results: results.map(shape) } : shape(results[0]!, 0));
  });

  app.post("/v1/hint", { schema: { body: hintSchema } }, async (request: FastifyRequest, reply: FastifyReply) => {
    const body = request.body as { problem: string; work?: string; level?: HintLevel; n?: number; mode?: SolveMode };
    const admission = ctx.gate.admit(request, reply);
    if (!admission) return reply;
    try {
      const mode = body.mode ?? "cot";
      const sandbox = mode === "tir" ? await ctx.sandbox() : undefined;
      const hint = await giveHint(
        ctx.engine,
        { problem: body.problem, work: body.work, level: body.level ?? 1 },
        { solve: { n: body.n ?? 4, mode, tir: { sandbox } }, signal: admission.signal },
      );
      const work = hint.work && checkBody(hint.work);
      return reply.send({ hint: { level: hint.level, text: hint.text, by: hint.by, model: hint.model, attempts: hint.attempts, cut: hint.cut }, ...(work && { work }) });
    } catch (e) {
      const { status, body: errBody } = toHttpError(e);
      return reply.code(status).send(errBody);
    } finally {
      admission.release();
    }
  });

  app.post("/v1/extract", { schema: { body: batchSchema(responseSchema, ctx.maxBatch) } }, async (request) => {
    type Item = { response: string; dataset?: string };
    const body = request.body as Item | { items: Item[] };
    const items = "items" in body ? body.items : [body];
    const answers = await ctx.work.extract(items.map((r) => ({ response: r.response, answerStyle: answerStyleOf(r.dataset) })));
    return "items" in body ? { results: answers.map((answer) => ({ answer })) } : { answer: answers[0] };
  });
}
