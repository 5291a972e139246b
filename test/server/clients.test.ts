/**
 * `qmath serve` as real clients talk to it: the official `openai` SDK, the Vercel AI SDK
 * (@ai-sdk/openai-compatible) and LangChain's ChatOpenAI, against a real server on the tiny
 * model with the Qwen2.5 vocabulary. Prompt renderings are checked through usage.prompt_tokens
 * against the token count of the text the Qwen2.5 chat template gives.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { ChatOpenAI } from "@langchain/openai";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { createEmbeddedEngine } from "../../src/engine/embedded/llama-engine.js";
import type { Engine } from "../../src/engine/types.js";
import { renderChatML } from "../../src/prompts/chatml.js";
import { createServer, type QmathServer } from "../../src/server/app.js";
import { requireTinyQwen25Model } from "../helpers.js";

const KEY = "test-key";
const MODEL = "tiny-qwen25.gguf";
const ALIAS = "Qwen/Qwen2.5-Math-1.5B-Instruct";

describe("real clients against qmath serve", () => {
  let server: QmathServer;
  let engine: Engine;
  let url: string;
  let client: OpenAI;
  before(async () => {
    engine = await createEmbeddedEngine({ modelPath: requireTinyQwen25Model(), threads: 2, maxParallel: 4, gpu: false });
    server = createServer({ engine, apiKeys: [KEY], modelAliases: [ALIAS], corsOrigins: ["http://page.example"], requestDefaults: { maxTokens: 6, temperature: 0 } });
    url = await server.listen(0);
    client = new OpenAI({ apiKey: KEY, baseURL: `${url}/v1`, maxRetries: 0 });
  });
  after(() => server.close());

  /** Prompt tokens of a rendered text, special tokens parsed. */
  const tokensOf = (text: string) => engine.countTokens(text);

  it("openai SDK: content parts (with cache_control) are joined; developer is system", async () => {
    const r = await client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: "developer", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "What is " }, { type: "text", text: "1+1?", cache_control: { type: "ephemeral" } } as OpenAI.ChatCompletionContentPartText] },
      ],
    });
    const expected = "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\n";
    assert.equal(r.usage?.prompt_tokens, await tokensOf(expected));
  });

  it("openai SDK: an image part is refused with a 400 that says the model reads text only", async () => {
    await assert.rejects(
      client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } }] }] }),
      (e: unknown) => e instanceof OpenAI.BadRequestError && /reads text only/.test(e.message),
    );
  });

  it("openai SDK: tool-call history renders as the Qwen2.5 template renders it", async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: "user", content: "Add 2 and 3." },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "add", arguments: '{"a":2,"b":3}' } }] },
      { role: "tool", tool_call_id: "c1", content: "5" },
      { role: "tool", tool_call_id: "c2", content: "ok" },
    ];
    const turns =
      '<|im_start|>user\nAdd 2 and 3.<|im_end|>\n<|im_start|>assistant\n<tool_call>\n{"name": "add", "arguments": {"a": 2, "b": 3}}\n</tool_call><|im_end|>\n' +
      "<|im_start|>user\n<tool_response>\n5\n</tool_response>\n<tool_response>\nok\n</tool_response><|im_end|>\n<|im_start|>assistant\n";
    assert.equal(renderChatML([{ role: "user", content: "Add 2 and 3." }, { role: "assistant", content: "", toolCalls: [{ name: "add", arguments: '{"a":2,"b":3}' }] }, { role: "tool", content: "5" }, { role: "tool", content: "ok" }]), turns);
    // No system message: the model's template adds its CoT system prompt.
    const expected = "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n" + turns;
    const r = await client.chat.completions.create({ model: MODEL, messages });
    assert.equal(r.usage?.prompt_tokens, await tokensOf(expected));
  });

  it("openai SDK: tools are refused (not silently ignored) unless tool_choice is none", async () => {
    const tools: OpenAI.ChatCompletionTool[] = [{ type: "function", function: { name: "add", parameters: { type: "object", properties: {} } } }];
    await assert.rejects(
      client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }], tools }),
      (e: unknown) => e instanceof OpenAI.BadRequestError && /not trained for function calling/.test(e.message),
    );
    const r = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }], tools, tool_choice: "none" });
    assert.equal(r.choices.length, 1);
  });

  it("openai SDK: null is 'not set' for every nullable field; the server's defaults apply", async () => {
    const base = { model: MODEL, messages: [{ role: "user" as const, content: "Count." }] };
    const nulls = await client.chat.completions.create({
      ...base,
      temperature: null, top_p: null, seed: null, max_tokens: null, max_completion_tokens: null, n: null, stop: null,
      presence_penalty: null, frequency_penalty: null, logit_bias: null, logprobs: null, top_logprobs: null,
      response_format: null, user: null, tool_choice: null, tools: null,
    } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming);
    const plain = await client.chat.completions.create(base);
    // Server defaults: greedy, 6 tokens.
    assert.equal(nulls.usage?.completion_tokens, 6);
    assert.equal(nulls.choices[0]!.message.content, plain.choices[0]!.message.content);
  });

  it("openai SDK: logit_bias, penalties, top_k, min_p and repetition_penalty are honoured; out of range is a 400", async () => {
    const base = { model: MODEL, messages: [{ role: "user" as const, content: "Say something." }], max_tokens: 8, temperature: 0 };
    // Token 22 is "7" in the Qwen2.5 vocabulary; a bias of 100 makes every greedy token a "7".
    const biased = await client.chat.completions.create({ ...base, logit_bias: { "22": 100 } });
    assert.equal(biased.choices[0]!.message.content, "77777777");
    const plain = (await client.chat.completions.create(base)).choices[0]!.message.content;
    const extra = (body: Record<string, unknown>) => client.chat.completions.create({ ...base, ...body } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    for (const body of [{ frequency_penalty: 2 }, { presence_penalty: 2 }, { repetition_penalty: 2 }, { logit_bias: { "22": 100 } }]) {
      const text = (await extra(body)).choices[0]!.message.content;
      assert.notEqual(text, plain, `${JSON.stringify(body)} changes the greedy text`);
    }
    assert.equal((await extra({ top_k: 1, min_p: 0.5, temperature: 1, seed: 3 })).choices[0]!.message.content, plain, "top_k 1 is greedy");
    for (const body of [{ presence_penalty: 2.5 }, { frequency_penalty: -3 }, { logit_bias: { "22": 101 } }, { logit_bias: { x: 1 } }, { min_p: 1.5 }, { repetition_penalty: 0 }, { logit_bias: { "999999": 1 } }])
      await assert.rejects(extra(body), (e: unknown) => e instanceof OpenAI.BadRequestError, JSON.stringify(body));
  });

  // Sampled under a seed, the random-weight model writes tokens of many scripts (multi-byte characters).
  const SAMPLED = { temperature: 1, seed: 3, max_tokens: 10 } as const;
  const utf8 = (bytes: number[]) => Buffer.from(bytes).toString("utf8");

  it("openai SDK: chat logprobs with top_logprobs, whole and streamed, in OpenAI's shape", async () => {
    const base = { model: MODEL, messages: [{ role: "user" as const, content: "Say something." }], ...SAMPLED, logprobs: true, top_logprobs: 3 };
    const r = await client.chat.completions.create(base);
    const content = r.choices[0]!.logprobs!.content!;
    const text = r.choices[0]!.message.content!;
    assert.equal(content.length, r.usage!.completion_tokens);
    assert.equal(content.map((e) => e.token).join(""), text);
    assert.equal(utf8(content.flatMap((e) => e.bytes!)), text);
    for (const e of content) {
      assert.ok(e.logprob <= 0);
      assert.equal(e.top_logprobs.length, 3);
      assert.ok(e.top_logprobs[0]!.logprob >= e.top_logprobs[1]!.logprob && e.top_logprobs[1]!.logprob >= e.top_logprobs[2]!.logprob);
    }
    // Streamed: the same entries, each in the chunk whose text reaches its token's first byte.
    const streamed: OpenAI.ChatCompletionTokenLogprob[] = [];
    let streamedText = "";
    let chunksWithLogprobs = 0;
    for await (const chunk of await client.chat.completions.create({ ...base, stream: true }))
      for (const c of chunk.choices) {
        streamedText += c.delta.content ?? "";
        const entries = c.logprobs?.content ?? [];
        if (entries.length > 0 && c.delta.content) chunksWithLogprobs++;
        for (const e of entries) {
          assert.ok(Buffer.from(streamed.flatMap((x) => x.bytes!)).length < Buffer.byteLength(streamedText), "an entry comes with its token's text");
          streamed.push(e);
        }
      }
    assert.deepEqual(streamed, content);
    assert.ok(chunksWithLogprobs >= content.length / 2, `entries stream with the text (${chunksWithLogprobs} chunks for ${content.length} tokens)`);
    // Not asked for: null.
    assert.equal((await client.chat.completions.create({ ...base, logprobs: undefined, top_logprobs: undefined })).choices[0]!.logprobs, null);
  });

  it("openai SDK: completion logprobs in the legacy shape; bad logprobs requests are 400s", async () => {
    const r = await client.completions.create({ model: MODEL, prompt: "2+2=", ...SAMPLED, logprobs: 2 });
    const lp = r.choices[0]!.logprobs!;
    assert.equal(lp.tokens!.join(""), r.choices[0]!.text);
    assert.equal(lp.token_logprobs!.length, r.usage!.completion_tokens);
    lp.tokens!.forEach((token, i) => {
      const top = lp.top_logprobs![i]!;
      assert.equal(top[token], lp.token_logprobs![i], "the chosen token is among its top_logprobs");
      assert.ok(Object.keys(top).length <= 3);
      assert.equal(lp.text_offset![i], lp.tokens!.slice(0, i).join("").length);
    });
    // Streamed: the lists arrive in pieces; text_offset counts from the start of the choice's text.
    const pieces = { tokens: [] as string[], offsets: [] as number[] };
    for await (const chunk of await client.completions.create({ model: MODEL, prompt: "2+2=", ...SAMPLED, logprobs: 2, stream: true })) {
      const l = chunk.choices[0]?.logprobs;
      if (l) {
        pieces.tokens.push(...l.tokens!);
        pieces.offsets.push(...l.text_offset!);
      }
    }
    assert.deepEqual(pieces.tokens, lp.tokens);
    assert.deepEqual(pieces.offsets, lp.text_offset);
    const chat = (body: Record<string, unknown>) =>
      client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }], ...body } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    for (const [request, pattern] of [
      [chat({ top_logprobs: 2 }), /needs 'logprobs': true/],
      [chat({ logprobs: true, top_logprobs: 21 }), /top_logprobs/],
      [chat({ logprobs: 2 }), /top_logprobs/],
      [client.completions.create({ model: MODEL, prompt: "x", logprobs: true as unknown as number }), /is a number/],
    ] as const)
      await assert.rejects(request, (e: unknown) => e instanceof OpenAI.BadRequestError && pattern.test(e.message));
  });

  it("AI SDK (@ai-sdk/openai, chat) and LangChain read the logprobs", async () => {
    const provider = createOpenAI({ baseURL: `${url}/v1`, apiKey: KEY });
    const r = await generateText({ model: provider.chat(MODEL), prompt: "2+2=", maxOutputTokens: 5, temperature: 0, maxRetries: 0, providerOptions: { openai: { logprobs: 2 } } });
    const logprobs = r.providerMetadata?.openai?.logprobs as { token: string; top_logprobs: unknown[] }[];
    assert.equal(logprobs.length, r.usage.outputTokens);
    assert.equal(logprobs.map((e) => e.token).join(""), r.text);
    assert.ok(logprobs.every((e) => e.top_logprobs.length === 2));
    const chat = new ChatOpenAI({ model: MODEL, apiKey: KEY, configuration: { baseURL: `${url}/v1` }, maxTokens: 5, temperature: 0, maxRetries: 0, logprobs: true, topLogprobs: 1 });
    const m = await chat.invoke("2+2=");
    const content = (m.response_metadata.logprobs as { content: { token: string }[] }).content;
    assert.equal(content.map((e) => e.token).join(""), m.content);
    assert.equal(content.length, m.usage_metadata?.output_tokens);
  });

  it("openai SDK: a list of prompts gives n choices per prompt, numbered as OpenAI does", async () => {
    const r = await client.completions.create({ model: MODEL, prompt: ["1+1=", "2+2=", "3+3="], n: 2, max_tokens: 3, temperature: 0 });
    assert.deepEqual(r.choices.map((c) => c.index), [0, 1, 2, 3, 4, 5]);
    const single = await client.completions.create({ model: MODEL, prompt: "2+2=", max_tokens: 3, temperature: 0 });
    assert.equal(r.choices[2]!.text, single.choices[0]!.text);
    assert.equal(r.usage?.prompt_tokens, 3 * single.usage!.prompt_tokens);
    const stream = await client.completions.create({ model: MODEL, prompt: ["1+1=", "2+2="], max_tokens: 3, temperature: 0, stream: true });
    const texts = ["", ""];
    for await (const c of stream) for (const choice of c.choices) texts[choice.index] += choice.text;
    assert.equal(texts[1], single.choices[0]!.text);
  });

  it("openai SDK: models/{id} and the aliases", async () => {
    assert.deepEqual((await client.models.list()).data.map((m) => m.id), [MODEL, ALIAS]);
    assert.equal((await client.models.retrieve(ALIAS)).id, ALIAS);
    await assert.rejects(client.models.retrieve("nope"), (e: unknown) => e instanceof OpenAI.NotFoundError);
    const r = await client.chat.completions.create({ model: ALIAS, messages: [{ role: "user", content: "hi" }] });
    assert.equal(r.model, ALIAS);
  });

  it("AI SDK (openai-compatible): text parts, a system prompt, streaming", async () => {
    const provider = createOpenAICompatible({ name: "qmath", baseURL: `${url}/v1`, apiKey: KEY, includeUsage: true });
    const r = await generateText({
      model: provider(MODEL),
      system: "Be brief.",
      messages: [{ role: "user", content: [{ type: "text", text: "What is " }, { type: "text", text: "1+1?" }] }],
      maxOutputTokens: 4,
      temperature: 0,
      maxRetries: 0,
    });
    const expected = "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\n";
    assert.equal(r.usage.inputTokens, await tokensOf(expected));
    const s = streamText({ model: provider(ALIAS), prompt: "2+2=", maxOutputTokens: 4, temperature: 0, maxRetries: 0, presencePenalty: 1, seed: 1 });
    let text = "";
    for await (const d of s.textStream) text += d;
    assert.equal(text, await s.text);
    assert.equal((await s.usage).outputTokens, 4);
  });

  it("LangChain ChatOpenAI: system, human, tool-call history and tool messages", async () => {
    const chat = new ChatOpenAI({ model: MODEL, apiKey: KEY, configuration: { baseURL: `${url}/v1` }, maxTokens: 4, temperature: 0, maxRetries: 0 });
    const r = await chat.invoke([
      new SystemMessage("Be brief."),
      new HumanMessage("Add 2 and 3."),
      new AIMessage({ content: "", tool_calls: [{ id: "c1", name: "add", args: { a: 2, b: 3 }, type: "tool_call" }] }),
      new ToolMessage({ content: "5", tool_call_id: "c1" }),
    ]);
    const expected =
      '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nAdd 2 and 3.<|im_end|>\n<|im_start|>assistant\n<tool_call>\n{"name": "add", "arguments": {"a": 2, "b": 3}}\n</tool_call><|im_end|>\n' +
      "<|im_start|>user\n<tool_response>\n5\n</tool_response><|im_end|>\n<|im_start|>assistant\n";
    assert.equal(r.usage_metadata?.input_tokens, await tokensOf(expected));
    assert.equal(r.usage_metadata?.output_tokens, 4);
  });

  it("CORS: a preflight from an allowed origin is answered before the key check; others get no CORS headers", async () => {
    const preflight = (origin: string) =>
      fetch(`${url}/v1/chat/completions`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" } });
    const ok = await preflight("http://page.example");
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get("access-control-allow-origin"), "http://page.example");
    assert.match(ok.headers.get("access-control-allow-headers") ?? "", /authorization/);
    const other = await preflight("http://evil.example");
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    const noKey = await fetch(`${url}/v1/models`, { headers: { origin: "http://page.example" } });
    assert.equal(noKey.status, 401);
    assert.equal(noKey.headers.get("access-control-allow-origin"), "http://page.example");
  });

  it("the Authorization scheme is case-insensitive", async () => {
    for (const scheme of ["bearer", "BEARER", "Bearer"]) {
      const r = await fetch(`${url}/v1/models`, { headers: { authorization: `${scheme} ${KEY}` } });
      assert.equal(r.status, 200, scheme);
    }
    assert.equal((await fetch(`${url}/v1/models`, { headers: { authorization: `Basic ${KEY}` } })).status, 401);
  });
});
