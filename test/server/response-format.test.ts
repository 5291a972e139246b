/**
 * response_format on `qmath serve`, through the clients that send it (the openai SDK, the AI
 * SDK's generateObject), on the random-weight tiny model with the Qwen2.5 vocabulary: the
 * content is JSON (of the schema) because the grammar allows nothing else. A random model
 * left alone writes strings forever; where a test needs the JSON finished within its budget,
 * it biases the closing characters (`"`, `]`, `}`) up, which the grammar still constrains.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateObject, jsonSchema } from "ai";
import { getLlama } from "node-llama-cpp";
import OpenAI from "openai";
import { createEmbeddedEngine } from "../../src/engine/embedded/llama-engine.js";
import { createRemoteEngine } from "../../src/engine/remote/openai-engine.js";
import { createScriptedEngine } from "../../src/engine/scripted.js";
import type { Engine } from "../../src/engine/types.js";
import { createServer, type QmathServer } from "../../src/server/app.js";
import { requireTinyQwen25Model } from "../helpers.js";

const KEY = "test-key";
const MODEL = "tiny-qwen25.gguf";

/** The README's math-answer schema. */
const MATH_ANSWER = {
  type: "object",
  properties: { answer: { type: "string" }, steps: { type: "array", items: { type: "string" } } },
  required: ["answer", "steps"],
  additionalProperties: false,
} as const;

/** Checks a value against MATH_ANSWER: exactly the keys answer (a string) and steps (strings). */
function assertMathAnswer(value: unknown): void {
  assert.equal(typeof value, "object");
  assert.notEqual(value, null);
  const v = value as Record<string, unknown>;
  assert.deepEqual(Object.keys(v).sort(), ["answer", "steps"]);
  assert.equal(typeof v.answer, "string");
  assert.ok(Array.isArray(v.steps) && v.steps.every((s) => typeof s === "string"), `steps: ${JSON.stringify(v.steps)}`);
}

describe("response_format on qmath serve", () => {
  let server: QmathServer;
  let engine: Engine;
  let url: string;
  let client: OpenAI;
  /** logit_bias that makes the model close strings, arrays and objects as soon as the grammar lets it. */
  let closeEarly: Record<string, number>;
  before(async () => {
    const modelPath = requireTinyQwen25Model();
    const vocab = await (await getLlama({ build: "never", gpu: false })).loadModel({ modelPath, vocabOnly: true });
    closeEarly = {};
    // The quote highest: inside a string it must beat the brackets (which a string may also hold),
    // so strings end at once; where no quote may come, the brackets close what is open.
    for (const [c, bias] of [['"', 100], ["]", 50], ["}", 50]] as const) {
      const tokens = vocab.tokenize(c);
      assert.equal(tokens.length, 1, `'${c}' is one token`);
      closeEarly[String(tokens[0])] = bias;
    }
    await vocab.dispose();
    engine = await createEmbeddedEngine({ modelPath, threads: 2, maxParallel: 4, gpu: false });
    server = createServer({ engine, apiKeys: [KEY], requestDefaults: { temperature: 0 } });
    url = await server.listen(0);
    client = new OpenAI({ apiKey: KEY, baseURL: `${url}/v1`, maxRetries: 0 });
  });
  after(() => server.close());

  it("openai SDK: JSON mode gives content that parses, for every choice, sampled or greedy", async () => {
    for (const temperature of [0, 1]) {
      const r = await client.chat.completions.create({
        model: MODEL,
        messages: [{ role: "user", content: "What is 1+1? Answer in JSON." }],
        response_format: { type: "json_object" },
        n: 3,
        seed: 7,
        temperature,
        max_tokens: 64,
        logit_bias: closeEarly,
      });
      assert.equal(r.choices.length, 3);
      for (const choice of r.choices) {
        assert.equal(choice.finish_reason, "stop", `content: ${choice.message.content}`);
        const value: unknown = JSON.parse(choice.message.content!);
        assert.ok(typeof value === "object" && value !== null && !Array.isArray(value), `an object: ${choice.message.content}`);
      }
    }
  });

  it("openai SDK: a json_schema (the math-answer schema) gives content that parses and matches, streamed too", async () => {
    const request = {
      model: MODEL,
      messages: [{ role: "user" as const, content: "What is 2+2?" }],
      response_format: { type: "json_schema" as const, json_schema: { name: "math_answer", schema: MATH_ANSWER, strict: true } },
      max_tokens: 64,
      logit_bias: closeEarly,
    };
    const r = await client.chat.completions.create(request);
    assert.equal(r.choices[0]!.finish_reason, "stop", `content: ${r.choices[0]!.message.content}`);
    assertMathAnswer(JSON.parse(r.choices[0]!.message.content!));

    let streamed = "";
    for await (const chunk of await client.chat.completions.create({ ...request, stream: true })) streamed += chunk.choices[0]?.delta.content ?? "";
    assert.equal(streamed, r.choices[0]!.message.content);
  });

  it("openai SDK: without help the random model's JSON strings run to max_tokens: finish_reason length, the content a cut JSON text", async () => {
    const r = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "What is 2+2?" }],
      response_format: { type: "json_schema", json_schema: { name: "math_answer", schema: MATH_ANSWER } },
      max_tokens: 12,
    });
    const content = r.choices[0]!.message.content!;
    assert.equal(r.choices[0]!.finish_reason, "length");
    assert.equal(r.usage?.completion_tokens, 12);
    // The grammar's start of the schema's object: what OpenAI gives too when max_tokens cuts JSON.
    assert.match(content, /^\{\s*"answer"\s*:\s*"/);
    assert.throws(() => JSON.parse(content));
  });

  it("/v1/completions takes response_format too", async () => {
    const r = await client.completions.create({
      model: MODEL,
      prompt: "The answer as JSON:",
      max_tokens: 64,
      logit_bias: closeEarly,
      // @ts-expect-error response_format is vLLM's extension of completions, not in the SDK's types
      response_format: { type: "json_schema", json_schema: { name: "math_answer", schema: MATH_ANSWER } },
    });
    assert.equal(r.choices[0]!.finish_reason, "stop");
    assertMathAnswer(JSON.parse(r.choices[0]!.text));
  });

  it("AI SDK: generateObject with the math-answer schema returns the object", async () => {
    const provider = createOpenAICompatible({ name: "qmath", baseURL: `${url}/v1`, apiKey: KEY, supportsStructuredOutputs: true });
    const { object, finishReason } = await generateObject({
      model: provider(MODEL),
      schema: jsonSchema<{ answer: string; steps: string[] }>({ ...MATH_ANSWER, required: [...MATH_ANSWER.required] }),
      prompt: "What is 3+3?",
      maxOutputTokens: 64,
      temperature: 0,
      maxRetries: 0,
      providerOptions: { qmath: { logit_bias: closeEarly } },
    });
    assert.equal(finishReason, "stop");
    assertMathAnswer(object);
  });

  it("a remote engine passes responseFormat to its server as response_format", async () => {
    const remote = await createRemoteEngine({ baseUrls: [`${url}/v1`], apiKey: KEY });
    try {
      const prompt = "<|im_start|>user\nWhat is 5+5?<|im_end|>\n<|im_start|>assistant\n";
      const [sample] = await remote.open({ prompt, maxTokens: 64, temperature: 0, logitBias: closeEarly, responseFormat: { type: "json_schema", name: "math_answer", schema: MATH_ANSWER } });
      const segment = await sample!.generate();
      await sample!.close();
      assert.equal(segment.finishReason, "eos", segment.text);
      assertMathAnswer(JSON.parse(segment.text));
    } finally {
      await remote.close();
    }
  });

  it("a bad response_format is a 400 that names it", async () => {
    await assert.rejects(
      client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }], response_format: { type: "json_schema" } as never }),
      (e: unknown) => e instanceof OpenAI.BadRequestError && /response_format\.json_schema\.schema/.test(e.message),
    );
    await assert.rejects(
      client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }], response_format: { type: "xml" } as never }),
      (e: unknown) => e instanceof OpenAI.BadRequestError && /'response_format' of type 'xml'/.test(e.message),
    );
  });
});

describe("response_format on the scripted engine", () => {
  it("is refused at open(): recorded text cannot be constrained", async () => {
    const engine = createScriptedEngine({ scripts: ['{"answer": "2"}'] });
    await assert.rejects(engine.open({ prompt: "x", responseFormat: { type: "json_object" } }), (e: Error & { code?: string }) => e.code === "bad_input" && /scripted engine/.test(e.message));
  });
});
