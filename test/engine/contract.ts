/**
 * The engine contract (src/engine/types.ts): one suite of behaviours that every engine behind
 * the generation interface must show, run by contract-{embedded,remote,scripted}.test.ts on
 * an engine each. The embedded and remote engines run the tiny random-weight model, whose text
 * is noise, so every assertion compares runs with each other (a stop string is taken from the
 * text a first run produced, then a second run must stop there) instead of with fixed text.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generateAll } from "../../src/engine/generate.js";
import type { Engine, OpenRequest, Sample, Segment } from "../../src/engine/types.js";
import { QmathError } from "../../src/errors.js";
import { renderChatML } from "../../src/prompts/chatml.js";

export interface EngineUnderTest {
  engine: Engine;
  /**
   * Whether the text is a model's: it depends on the context, so a continuation depends on
   * the appended text. False for the scripted engine, which plays a fixed script.
   */
  conditionsOnContext: boolean;
  /**
   * Whether a continuation re-tokenizes the sample's text (the remote engine sends text): where
   * the tokens the model generated differ from the text's tokenization (often, with random
   * weights), the server evaluates them again. Engines that keep their tokens evaluate only the
   * appended text and the few tokens around the stop.
   */
  reTokenizes?: boolean;
  /** Frees what the factory started (the engine is closed by the suite). */
  dispose?: () => Promise<void>;
}

export const CONTRACT_PROMPT = renderChatML([
  { role: "system", content: "Please reason step by step, and put your final answer within \\boxed{}." },
  { role: "user", content: "What is the sum of the first ten positive integers?" },
]);

/** The same request answered within this long, or the engine has lost track of its resources. */
const HANG_MS = 20_000;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${HANG_MS} ms`)), HANG_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface Run {
  text: string;
  streamed: string;
  segment: Segment;
  sample: Sample;
}

/** Opens the request, runs every sample's first segment while recording the streamed text, closes them. */
async function runAll(engine: Engine, request: OpenRequest): Promise<Run[]> {
  const samples = await engine.open(request);
  try {
    return await Promise.all(
      samples.map(async (sample) => {
        let streamed = "";
        const segment = await sample.generate({ onText: (d) => (streamed += d) });
        return { text: sample.text, streamed, segment, sample };
      }),
    );
  } finally {
    await Promise.all(samples.map((s) => s.close()));
  }
}

async function runOne(engine: Engine, request: OpenRequest): Promise<Run> {
  return (await runAll(engine, { ...request, n: 1 }))[0]!;
}

/** A bad request is refused at open() with a bad_input error naming the field and the value. */
async function assertRefused(engine: Engine, request: OpenRequest, field: string, shown: string): Promise<void> {
  await assert.rejects(engine.open(request), (e: unknown) => {
    assert.ok(e instanceof QmathError, `not a QmathError: ${String(e)}`);
    assert.equal(e.code, "bad_input");
    assert.ok(e.message.startsWith(`${field} = ${shown} is not allowed: ${field} must be `), e.message);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
}

/** Registers the contract suite for the engine `create` makes. */
export function engineContract(name: string, create: () => Promise<EngineUnderTest>): void {
  describe(`engine contract: ${name}`, () => {
    let under: EngineUnderTest;
    let engine: Engine;
    const prompt = CONTRACT_PROMPT;
    /** Greedy and sampled settings used throughout. */
    const GREEDY: OpenRequest = { prompt, temperature: 0 };
    const SAMPLED: OpenRequest = { prompt, temperature: 1, seed: 11 };

    before(async () => {
      under = await create();
      engine = under.engine;
    });
    after(async () => {
      await engine.close();
      await under.dispose?.();
    });

    it("counts tokens, and a request's prompt tokens are the prompt's count", async () => {
      const count = await engine.countTokens(prompt);
      assert.ok(count > 0);
      assert.ok((await engine.countTokens(prompt + prompt)) > count);
      const run = await runOne(engine, { ...GREEDY, maxTokens: 2 });
      assert.equal(run.sample.usage.promptTokens, count);
    });

    it("stops at the token budget with finish reason 'length', counting the tokens", async () => {
      const run = await runOne(engine, { ...GREEDY, maxTokens: 5 });
      assert.equal(run.segment.finishReason, "length");
      assert.equal(run.segment.stop, undefined);
      assert.equal(run.segment.tokens, 5);
      assert.equal(run.sample.usage.completionTokens, 5);
      assert.equal(run.streamed, run.segment.text);
      assert.equal(run.text, run.segment.text);
      // The budget spans segments: a further generate() has nothing left.
      const [sample] = await engine.open({ ...GREEDY, maxTokens: 3 });
      assert.equal((await sample!.generate()).finishReason, "length");
      const next = await sample!.generate();
      await sample!.close();
      assert.deepEqual(next, { text: "", finishReason: "length", tokens: 0 });
    });

    it("stops before the first stop string, names it, and never streams or keeps it", async () => {
      const free = await runOne(engine, { ...GREEDY, maxTokens: 40 });
      assert.ok(free.text.length > 30, `free text too short: ${JSON.stringify(free.text)}`);
      const early = free.text.slice(12, 15);
      const late = free.text.slice(free.text.length - 6, free.text.length - 3);
      const cut = free.text.indexOf(early);
      // Listed after a later one and an absent one: the first to appear in the text fires.
      const stopped = await runOne(engine, { ...GREEDY, maxTokens: 40, stop: ["§never§", late, early] });
      assert.equal(stopped.segment.finishReason, "stop");
      assert.equal(stopped.segment.stop, free.text.indexOf(late) < cut ? late : early);
      const at = free.text.indexOf(stopped.segment.stop!);
      assert.equal(stopped.segment.text, free.text.slice(0, at));
      assert.equal(stopped.streamed, stopped.segment.text);
      assert.equal(stopped.text, stopped.segment.text);
      assert.ok(!stopped.text.includes(stopped.segment.stop!));
      assert.equal(stopped.sample.usage.completionTokens, stopped.segment.tokens);
      assert.ok(stopped.segment.tokens > 0 && stopped.segment.tokens <= free.segment.tokens);
    });

    it("pauses at a stop, appends text, and continues from it", async () => {
      const free = await runOne(engine, { ...SAMPLED, maxTokens: 30 });
      const stop = free.text.slice(10, 13);
      const appended = "\n```output\n55\n```\n";
      const pauseAppendContinue = async (text: string) => {
        const [sample] = await engine.open({ ...SAMPLED, maxTokens: 60, stop: [stop] });
        try {
          const first = await sample!.generate();
          const usage = { ...sample!.usage };
          sample!.append(text);
          let streamed = "";
          const second = await sample!.generate({ onText: (d) => (streamed += d) });
          return { sample: sample!, first, second, streamed, before: usage, after: { ...sample!.usage } };
        } finally {
          await sample!.close();
        }
      };
      const r = await pauseAppendContinue(appended);
      assert.equal(r.first.finishReason, "stop");
      assert.equal(r.first.stop, stop);
      assert.equal(r.first.text, free.text.slice(0, free.text.indexOf(stop)));
      assert.equal(r.sample.text, r.first.text + appended + r.second.text);
      assert.equal(r.streamed, r.second.text);
      assert.ok(r.second.tokens > 0, "nothing was generated after the appended text");
      // Usage: appended tokens counted as such, not as generated; continuing evaluates about the appended text.
      const appendedTokens = await engine.countTokens(appended);
      assert.equal(r.after.appendedTokens, appendedTokens);
      assert.equal(r.after.completionTokens, r.first.tokens + r.second.tokens);
      const evaluated = r.after.evaluatedTokens - r.before.evaluatedTokens;
      const most = appendedTokens + 4 + (under.reTokenizes ? r.first.tokens : 0);
      assert.ok(evaluated >= appendedTokens && evaluated <= most, `continuing evaluated ${evaluated} tokens for ${appendedTokens} appended ones`);
      // The same appended text continues the same way; with a model, other text continues differently.
      assert.equal((await pauseAppendContinue(appended)).second.text, r.second.text);
      if (under.conditionsOnContext) {
        const others = await Promise.all(["\n```output\n7\n```\n", "\nSo the answer is 3.\n", "\n```output\nNameError\n```\n"].map(pauseAppendContinue));
        assert.ok(others.some((o) => o.second.text !== r.second.text), "the continuation ignored the appended text");
      }
    });

    it("keeps usage consistent", async () => {
      const promptTokens = await engine.countTokens(prompt);
      const runs = await runAll(engine, { ...SAMPLED, n: 2, maxTokens: 8 });
      for (const { sample, segment } of runs) {
        const u = sample.usage;
        assert.equal(u.promptTokens, promptTokens);
        assert.ok(u.promptTokensEvaluated >= 0 && u.promptTokensEvaluated <= u.promptTokens, JSON.stringify(u));
        // One segment, nothing appended: the sample evaluated its share of the prompt and nothing else.
        assert.equal(u.evaluatedTokens, u.promptTokensEvaluated);
        assert.equal(u.appendedTokens, 0);
        assert.equal(u.completionTokens, segment.tokens);
        assert.ok(u.promptMs >= 0 && u.generateMs >= 0);
      }
      // A prompt that shares no prefix with an earlier one is evaluated in full by its first sample.
      const fresh = `Problem ${Math.random()}: ${prompt}`;
      const [first] = await runAll(engine, { prompt: fresh, maxTokens: 1 });
      assert.equal(first!.sample.usage.promptTokensEvaluated, await engine.countTokens(fresh));
    });

    it("repeats under a seed, and sample i of a request draws as sample 0 with seed + i", async () => {
      const request: OpenRequest = { ...SAMPLED, n: 3, seed: 5, maxTokens: 16 };
      const a = await runAll(engine, request);
      const b = await runAll(engine, request);
      assert.deepEqual(b.map((r) => r.text), a.map((r) => r.text));
      assert.ok(new Set(a.map((r) => r.text)).size >= 2, "three sampled samples were all the same");
      const third = await runOne(engine, { ...request, seed: 7 });
      assert.equal(third.text, a[2]!.text);
      if (under.conditionsOnContext) {
        // Top-k reaches the sampler: k = 1 samples what greedy decoding picks, at any temperature.
        const greedy = await runOne(engine, { ...GREEDY, maxTokens: 16 });
        const topOne = await runOne(engine, { ...SAMPLED, seed: 3, topK: 1, maxTokens: 16 });
        assert.equal(topOne.text, greedy.text);
        assert.notEqual(third.text, greedy.text);
      }
    });

    it("refuses n above maxParallel at open(), and generateAll runs them in waves with seed + i", async () => {
      const max = engine.info.maxParallel;
      assert.ok(max >= 2 && max <= 8, "the contract runs engines with a small maxParallel");
      await assertRefused(engine, { prompt, n: max + 1 }, "n", String(max + 1));
      await assert.rejects(engine.open({ prompt, n: max + 1 }), (e: unknown) => e instanceof QmathError && e.message.includes(`from 1 to ${max}`));
      const request: OpenRequest = { ...SAMPLED, n: max + 1, seed: 20, maxTokens: 6 };
      const waves = await generateAll(engine, request);
      assert.deepEqual(waves.map((s) => s.index), [...Array(max + 1).keys()]);
      const last = await runOne(engine, { ...request, seed: 20 + max });
      assert.equal(waves[max]!.text, last.text);
    });

    it("refuses each bad request value with a message naming the field, the value and the range", async () => {
      const bad: [Partial<OpenRequest>, string, string][] = [
        [{ n: 0 }, "n", "0"],
        [{ n: -1 }, "n", "-1"],
        [{ n: 1.5 }, "n", "1.5"],
        [{ n: Number.NaN }, "n", "NaN"],
        [{ maxTokens: 0 }, "maxTokens", "0"],
        [{ maxTokens: -5 }, "maxTokens", "-5"],
        [{ maxTokens: 2.5 }, "maxTokens", "2.5"],
        [{ temperature: -0.1 }, "temperature", "-0.1"],
        [{ temperature: 2.5 }, "temperature", "2.5"],
        [{ temperature: Number.NaN }, "temperature", "NaN"],
        [{ topP: 0 }, "topP", "0"],
        [{ topP: 1.2 }, "topP", "1.2"],
        [{ topK: -1 }, "topK", "-1"],
        [{ topK: 2.5 }, "topK", "2.5"],
        [{ seed: -1 }, "seed", "-1"],
        [{ seed: 0.5 }, "seed", "0.5"],
        [{ seed: 2 ** 32 }, "seed", String(2 ** 32)],
        [{ n: 2, seed: 2 ** 32 - 1 }, "seed", String(2 ** 32 - 1)],
        [{ stop: [""] }, "stop", '[""]'],
        [{ prompt: "" }, "prompt", '""'],
      ];
      for (const [fields, field, shown] of bad) await assertRefused(engine, { prompt, ...fields }, field, shown);
      // The edges of each range are allowed.
      const edges = await engine.open({ prompt, n: 1, maxTokens: 1, temperature: 2, topP: 1, topK: 0, seed: 2 ** 32 - 1, stop: [] });
      await Promise.all(edges.map((s) => s.close()));
    });

    it("ends a sample at an end-of-generation token and names it", async () => {
      const max = engine.info.maxParallel;
      const runs = await runAll(engine, { prompt, n: max, maxTokens: 200, temperature: 1, seed: 1 });
      const ended = runs.filter((r) => r.segment.finishReason === "eos");
      assert.ok(ended.length > 0, "no sample reached an end-of-generation token");
      for (const r of ended) {
        assert.match(r.segment.stop ?? "", /^<\|[a-z_]+\|>$/);
        assert.ok(!r.text.includes(r.segment.stop!));
        assert.equal(r.streamed, r.segment.text);
        assert.ok(r.segment.tokens < 200);
      }
    });

    it("aborts before generation: 'abort', no text, and the engine stays usable", async () => {
      const controller = new AbortController();
      controller.abort();
      const runs = await within(runAll(engine, { ...SAMPLED, n: 2, maxTokens: 20, signal: controller.signal }), "an aborted request");
      for (const r of runs) assert.deepEqual(r.segment, { text: "", finishReason: "abort", tokens: 0 });
      // The segment's own signal too.
      const [sample] = await engine.open({ ...SAMPLED, maxTokens: 20 });
      assert.equal((await sample!.generate({ signal: controller.signal })).finishReason, "abort");
      await sample!.close();
      // Aborted while waiting for free slots (the embedded engine's samples all taken): the same.
      const held = await engine.open({ ...SAMPLED, n: engine.info.maxParallel, maxTokens: 2 });
      const waiting = new AbortController();
      const opening = engine.open({ ...SAMPLED, maxTokens: 2, signal: waiting.signal });
      setTimeout(() => waiting.abort(), 30);
      const late = await within(opening, "a request aborted while waiting");
      waiting.abort(); // engines that do not wait for slots opened at once
      assert.deepEqual(await late[0]!.generate(), { text: "", finishReason: "abort", tokens: 0 });
      await Promise.all([...held, ...late].map((s) => s.close()));
      // Every slot is free again.
      const all = await within(runAll(engine, { ...SAMPLED, n: engine.info.maxParallel, maxTokens: 2 }), "a full request after aborts");
      for (const r of all) assert.equal(r.segment.finishReason, "length");
    });

    it("aborts during generation: 'abort', the text so far, the slot freed", async () => {
      const controller = new AbortController();
      const [sample] = await engine.open({ ...SAMPLED, maxTokens: 200, signal: controller.signal });
      let streamed = "";
      let pieces = 0;
      const segment = await sample!.generate({
        onText: (d) => {
          streamed += d;
          if (++pieces === 3) controller.abort();
        },
      });
      assert.equal(segment.finishReason, "abort");
      assert.equal(segment.stop, undefined);
      assert.ok(segment.tokens >= 3 && segment.tokens < 50, `aborted after ${segment.tokens} tokens`);
      assert.equal(segment.text, streamed);
      assert.equal(sample!.text, streamed);
      assert.equal(sample!.usage.completionTokens, segment.tokens);
      await sample!.close();
      const all = await within(runAll(engine, { ...SAMPLED, n: engine.info.maxParallel, maxTokens: 2 }), "a full request after an abort");
      assert.equal(all.length, engine.info.maxParallel);
    });

    it("reuses the engine after samples close; closed samples and engines refuse work", async () => {
      const first = await runOne(engine, { ...GREEDY, maxTokens: 8 });
      for (let i = 0; i < 3; i++) {
        const again = await within(runOne(engine, { ...GREEDY, maxTokens: 8 }), "a request after closed samples");
        assert.equal(again.text, first.text);
      }
      const [sample] = await engine.open({ ...GREEDY, maxTokens: 8 });
      await sample!.close();
      await sample!.close(); // idempotent
      await assert.rejects(sample!.generate(), (e: unknown) => e instanceof QmathError);
      assert.throws(() => sample!.append("x"), (e: unknown) => e instanceof QmathError);
    });

    it("refuses to open samples once closed", async () => {
      await engine.close();
      await engine.close(); // idempotent
      await assert.rejects(engine.open({ prompt }), (e: unknown) => e instanceof QmathError && e.code === "engine_failed");
    });
  });
}
