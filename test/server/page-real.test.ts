/**
 * The chat page against the real qmath server: createServer on the scripted engine playing
 * back a recorded TIR answer, with the code run for real in the sandbox. The page asks in TIR
 * mode; the answer streams through /v1/solve, the cell's output comes from the sandbox, the
 * LaTeX is typeset, and a follow-up goes through /v1/chat/completions.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { createScriptedEngine, scriptFromTranscript } from "../../src/engine/scripted.js";
import { createServer, type QmathServer } from "../../src/server/app.js";
import { repoRoot } from "../helpers.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const recorded = readFileSync(join(repoRoot, "test", "fixtures", "tir", "sum-of-roots.txt"), "utf8");
const FOLLOW_UP = "In step 3 we add the roots: $2 + 3 = 5$, which matches $-\\frac{b}{a} = \\frac{5}{1}$.";

describe("chat page on the real server (browser)", { timeout: 120_000 }, () => {
  let server: QmathServer;
  let browser: Browser;
  let page: Page;
  let url: string;

  before(async () => {
    // The first prompt (a solve) gets the recorded TIR answer; a conversation turn gets the follow-up.
    const engine = createScriptedEngine({
      model: "qwen2.5-math-1.5b-instruct",
      scripts: (prompt) => (prompt.includes("explain step 3") ? FOLLOW_UP : scriptFromTranscript(recorded)),
      pieceDelayMs: 2,
    });
    server = createServer({ engine, sandboxOptions: { spares: 1 } });
    url = await server.listen(0);
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
    page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(url + "/");
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("solves in TIR mode: streamed text, the sandbox's output in a code cell, typeset math, the answer", async () => {
    await page.getByTestId("mode").selectOption("tir");
    await page.getByTestId("input").fill("What is the sum of the roots of $x^2 - 5x + 6 = 0$?");
    await page.getByTestId("send").click();
    const answer = page.getByTestId("answer");
    await answer.waitFor();
    assert.match(await answer.innerText(), /5/);
    const message = page.locator('[data-testid="message"][data-role="assistant"]').first();
    const text = await message.innerText();
    assert.match(text, /sum_of_roots = sum\(roots\)/); // the python cell, as code
    assert.ok(await message.locator("pre").count() >= 2, "the code and its output are shown as code blocks");
    assert.match(await message.locator("pre").nth(1).innerText(), /^\s*5\s*$/); // computed by the sandbox
    assert.ok((await message.locator(".katex").count()) >= 2, "the math is typeset");
    assert.doesNotMatch(text, /\\boxed|\$x\^2/);
    assert.equal(server.metrics.sandboxExecutions, 1);
    mkdirSync(join(repoRoot, "test-artifacts"), { recursive: true });
    await page.screenshot({ path: join(repoRoot, "test-artifacts", "chat-page-real-server.png"), fullPage: true });
  });

  it("answers a follow-up through the chat completions API, typeset", async () => {
    await page.getByTestId("input").fill("explain step 3");
    await page.getByTestId("send").click();
    const second = page.locator('[data-testid="message"][data-role="assistant"]').nth(1);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="message"][data-role="assistant"]')[1]?.innerText.includes("matches"));
    assert.ok((await second.locator(".katex").count()) >= 2);
    assert.doesNotMatch(await second.innerText(), /\\frac/);
  });
});
