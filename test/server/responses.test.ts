/**
 * POST /v1/responses as the clients that call it send it: the openai SDK's
 * `responses.create`, the AI SDK's default OpenAI provider (@ai-sdk/openai, which speaks the
 * Responses API) and LangChain's ChatOpenAI with useResponsesApi, against a real server on
 * the tiny model with the Qwen2.5 vocabulary. Prompt renderings are checked through the
 * reported input tokens against the text the Qwen2.5 chat template gives.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createOpenAI } from "@ai-sdk/openai";
import { ChatOpenAI } from "@langchain/openai";
import { generateText, jsonSchema, Output, streamText } from "ai";
import OpenAI from "openai";
import { createEmbeddedEngine } from "../../src/engine/embedded/llama-engine.js";
import type { Engine } from "../../src/engine/types.js";
import { createServer, type QmathServer } from "../../src/server/app.js";
import { requireTinyQwen25Model } from "../helpers.js";

const KEY = "test-key";
const MODEL = "tiny-qwen25.gguf";
const COT = "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n";

describe("/v1/responses with real clients", () => {
  let server: QmathServer;
  let engine: Engine;
  let url: string;
  let client: OpenAI;
  before(async () => {
    engine = await createEmbeddedEngine({ modelPath: requireTinyQwen25Model(), threads: 2, maxParallel: 2, gpu: false });
    server = createServer({ engine, apiKeys: [KEY], requestDefaults: { maxTokens: 6, temperature: 0 } });
    url = await server.listen(0);
    client = new OpenAI({ apiKey: KEY, baseURL: `${url}/v1`, maxRetries: 0 });
  });
  after(() => server.close());

  const tokensOf = (text: string) => engine.countTokens(text);

  it("openai SDK: text input gets the template's system prompt; instructions replace it; the output is one message", async () => {
    const r = await client.responses.create({ model: MODEL, input: "What is 1+1?" });
    assert.equal(r.object, "response");
    assert.equal(r.status, "incomplete", "6 tokens (the server's default) is not the end of the turn");
    assert.equal(r.incomplete_details?.reason, "max_output_tokens");
    assert.equal(r.usage?.input_tokens, await tokensOf(`${COT}<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\n`));
    assert.equal(r.usage?.output_tokens, 6);
    assert.equal(r.output.length, 1);
    const item = r.output[0] as OpenAI.Responses.ResponseOutputMessage;
    assert.equal(item.type, "message");
    assert.equal(item.role, "assistant");
    assert.equal(r.output_text, (item.content[0] as OpenAI.Responses.ResponseOutputText).text);
    // The same conversation over the chat API gives the same text.
    const chat = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "What is 1+1?" }] });
    assert.equal(r.output_text, chat.choices[0]!.message.content);

    const withInstructions = await client.responses.create({ model: MODEL, instructions: "Be brief.", input: [{ role: "user", content: [{ type: "input_text", text: "Hi" }] }], max_output_tokens: 3 });
    assert.equal(withInstructions.usage?.input_tokens, await tokensOf("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"));
    assert.equal(withInstructions.usage?.output_tokens, 3);
    assert.equal(withInstructions.max_output_tokens, 3);
  });

  it("openai SDK: multi-turn input with function calls renders as the chat API renders it", async () => {
    const r = await client.responses.create({
      model: MODEL,
      input: [
        { role: "user", content: "Add 2 and 3." },
        { type: "function_call", call_id: "c1", name: "add", arguments: '{"a":2,"b":3}' },
        { type: "function_call_output", call_id: "c1", output: "5" },
        { role: "assistant", content: [{ type: "output_text", text: "It is 5.", annotations: [] }] } as unknown as OpenAI.Responses.ResponseInputItem,
        { role: "user", content: "Thanks." },
      ],
      max_output_tokens: 2,
    });
    const chat = await client.chat.completions.create({
      model: MODEL,
      max_tokens: 2,
      messages: [
        { role: "user", content: "Add 2 and 3." },
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "add", arguments: '{"a":2,"b":3}' } }] },
        { role: "tool", tool_call_id: "c1", content: "5" },
        { role: "assistant", content: "It is 5." },
        { role: "user", content: "Thanks." },
      ],
    });
    assert.equal(r.usage?.input_tokens, chat.usage?.prompt_tokens);
    assert.equal(r.output_text, chat.choices[0]!.message.content);
  });

  it("openai SDK: streaming gives the API's events in order, and the same text", async () => {
    const whole = await client.responses.create({ model: MODEL, input: "Count to three." });
    const types: string[] = [];
    let text = "";
    let sequence = -1;
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of await client.responses.create({ model: MODEL, input: "Count to three.", stream: true })) {
      types.push(event.type);
      assert.equal(event.sequence_number, sequence + 1);
      sequence = event.sequence_number;
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.incomplete" || event.type === "response.completed") completed = event.response;
    }
    assert.deepEqual(
      types.filter((t) => t !== "response.output_text.delta"),
      ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.incomplete"],
    );
    assert.ok(types.includes("response.output_text.delta"));
    assert.equal(text, whole.output_text);
    assert.equal(completed?.usage?.output_tokens, whole.usage?.output_tokens);
  });

  it("openai SDK: JSON schema output parses and matches; logprobs on request", async () => {
    // The Responses API has no logit_bias to end the random model's strings early; maxLength does.
    const schema = { type: "object", properties: { answer: { type: "string", maxLength: 8 } }, required: ["answer"], additionalProperties: false };
    const r = await client.responses.create({ model: MODEL, input: "Answer in JSON.", max_output_tokens: 60, text: { format: { type: "json_schema", name: "answer", schema, strict: true } } });
    assert.equal(r.status, "completed");
    const parsed = JSON.parse(r.output_text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), ["answer"]);
    assert.equal(typeof parsed.answer, "string");

    const lp = await client.responses.create({ model: MODEL, input: "Hi", max_output_tokens: 4, include: ["message.output_text.logprobs"], top_logprobs: 2 });
    const part = (lp.output[0] as OpenAI.Responses.ResponseOutputMessage).content[0] as OpenAI.Responses.ResponseOutputText;
    assert.equal(part.logprobs!.length, 4);
    assert.equal(part.logprobs!.map((e) => e.token).join(""), part.text);
    assert.ok(part.logprobs!.every((e) => e.top_logprobs.length === 2));
    // Streamed: the deltas carry the same entries.
    const streamed: unknown[] = [];
    for await (const event of await client.responses.create({ model: MODEL, input: "Hi", max_output_tokens: 4, include: ["message.output_text.logprobs"], top_logprobs: 2, stream: true }))
      if (event.type === "response.output_text.delta") streamed.push(...(event.logprobs ?? []));
    assert.deepEqual(streamed, part.logprobs);
  });

  it("what the server cannot do is a 400 that says why", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ previous_response_id: "resp_1" }, /does not store responses/],
      [{ input: [{ type: "item_reference", id: "msg_1" }] }, /does not store responses/],
      [{ tools: [{ type: "function", name: "f", parameters: {} }] }, /not trained for function calling/],
      [{ reasoning: { effort: "high" } }, /not a reasoning model/],
      [{ input: [{ role: "user", content: [{ type: "input_image", image_url: "data:image/png;base64,AAAA" }] }] }, /reads text only/],
      [{ text: { format: { type: "yaml" } } }, /'text.format' of type 'yaml' is not supported/],
      [{ text: { format: { type: "json_schema", name: "x" } } }, /'text.format.schema' is required/],
    ];
    for (const [extra, pattern] of cases)
      await assert.rejects(
        client.responses.create({ model: MODEL, input: "Hi", ...extra } as OpenAI.Responses.ResponseCreateParamsNonStreaming),
        (e: unknown) => e instanceof OpenAI.BadRequestError && pattern.test(e.message),
        JSON.stringify(extra),
      );
    await assert.rejects(client.responses.create({ model: "nope", input: "Hi" }), (e: unknown) => e instanceof OpenAI.NotFoundError);
  });

  it("AI SDK: the default OpenAI provider (Responses API) generates, streams and returns structured output", async () => {
    const openai = createOpenAI({ baseURL: `${url}/v1`, apiKey: KEY });
    const r = await generateText({ model: openai(MODEL), system: "Be brief.", prompt: "What is 2+2?", maxOutputTokens: 4, temperature: 0, maxRetries: 0 });
    assert.equal(r.usage.inputTokens, await tokensOf("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n"));
    assert.equal(r.usage.outputTokens, 4);
    assert.equal(r.finishReason, "length");
    const s = streamText({ model: openai(MODEL), system: "Be brief.", prompt: "What is 2+2?", maxOutputTokens: 4, temperature: 0, maxRetries: 0 });
    let streamed = "";
    for await (const d of s.textStream) streamed += d;
    assert.equal(streamed, r.text);
    const structured = await generateText({
      model: openai(MODEL),
      prompt: "Solve 1+1.",
      maxOutputTokens: 80,
      temperature: 0,
      maxRetries: 0,
      output: Output.object({ schema: jsonSchema<{ answer: string; steps: string[] }>({ type: "object", properties: { answer: { type: "string", maxLength: 8 }, steps: { type: "array", items: { type: "string", maxLength: 8 }, maxItems: 2 } }, required: ["answer", "steps"], additionalProperties: false }) }),
    });
    assert.equal(typeof structured.output.answer, "string");
    assert.ok(Array.isArray(structured.output.steps));
  });

  it("LangChain ChatOpenAI with useResponsesApi: invoke and stream", async () => {
    const chat = new ChatOpenAI({ model: MODEL, apiKey: KEY, configuration: { baseURL: `${url}/v1` }, maxTokens: 4, temperature: 0, maxRetries: 0, useResponsesApi: true });
    const m = await chat.invoke([
      ["system", "Be brief."],
      ["human", "What is 2+2?"],
    ]);
    assert.equal(m.usage_metadata?.input_tokens, await tokensOf("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n"));
    assert.equal(m.usage_metadata?.output_tokens, 4);
    let streamed = "";
    for await (const chunk of await chat.stream([
      ["system", "Be brief."],
      ["human", "What is 2+2?"],
    ]))
      streamed += typeof chunk.content === "string" ? chunk.content : chunk.content.map((c) => ("text" in c ? c.text : "")).join("");
    assert.equal(streamed, m.text);
  });
});
