/**
 * The chat page in a real browser (Debian's Chromium through playwright-core), against a stand-in
 * server that speaks the page's HTTP contract: a streamed TIR solve with three samples and a vote,
 * a streamed follow-up through the chat completions API, and refusals (429, 401, 400, an error
 * mid-stream). Checks that every kind of LaTeX is typeset, code cells show as code, and the
 * conversation works; saves screenshots to test-artifacts/.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { CELL, FOLLOW_UP, MODEL_ID, SAMPLE0, repoRoot, startStandIn, type StandIn } from "./page-standin.js";

// Browser-side globals for the callbacks run in the page (the project compiles without the DOM lib).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const navigator: any;
declare const window: any;
declare const localStorage: any;
declare const getComputedStyle: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const artifacts = join(repoRoot, "test-artifacts");
const QUESTION = "What is $\\frac{1}{2}+\\frac{1}{3}$?";

/** LaTeX source that must never be left as text once a message is rendered. */
const RAW_LATEX = [/\\frac/, /\\boxed/, /\$\$/, /\\\(/, /\\\[/, /\$\\/];

describe("chat page (browser)", { timeout: 180_000 }, () => {
  let server: StandIn;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  const messages = () => page.getByTestId("message");
  const assistant = (i: number) => page.locator('[data-testid="message"][data-role="assistant"]').nth(i);
  const errorLine = () => page.getByTestId("error");
  const apiRequests = (path: string) => server.requests.filter((r) => r.path === path && r.method === "POST");
  /** The TeX sources of the typeset formulas under a node (KaTeX keeps them in MathML annotations). */
  const texSources = (where: Locator) => where.locator("annotation").allTextContents();

  async function ask(text: string, how: "click" | "enter" = "click"): Promise<void> {
    await page.getByTestId("input").fill(text);
    if (how === "enter") await page.getByTestId("input").press("Enter");
    else await page.getByTestId("send").click();
  }
  async function waitIdle(): Promise<void> {
    await page.waitForFunction(() => !document.querySelector('[data-testid="send"]').disabled);
  }

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startStandIn();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    context = await browser.newContext({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (err) => pageErrors.push(String(err)));
    page.on("console", (msg) => {
      // Refused API calls are expected below; Chromium logs each as a failed resource load.
      if (msg.type() === "error" && !/Failed to load resource/.test(msg.text())) pageErrors.push(msg.text());
    });
    await page.goto(server.url + "/");
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("loads with its controls labelled and the model named", async () => {
    await page.getByTestId("model").filter({ hasText: MODEL_ID }).waitFor();
    // Each control is found by its accessible label.
    for (const [id, label] of [
      ["input", "Your question"],
      ["mode", "Solving mode"],
      ["samples", "Number of samples"],
      ["api-key", "API key"],
    ] as const) {
      assert.equal(await page.getByLabel(label).getAttribute("data-testid"), id);
    }
    assert.equal(await page.getByTestId("send").textContent(), "Send");
    assert.deepEqual(await page.getByTestId("mode").locator("option").evaluateAll((os) => os.map((o) => o.value)), ["cot", "tir"]);
    assert.equal(await page.evaluate(() => typeof window.katex), "object");
    assert.equal(await errorLine().isVisible(), false);
  });

  it("streams a TIR solve with three samples, typesetting the math as it arrives", async () => {
    await page.getByTestId("mode").selectOption("tir");
    await page.getByTestId("samples").fill("3");
    server.holdSolve = true;
    await ask(QUESTION);
    await server.held();

    // Mid-stream: sample 0's first part is on the page, typeset; no result yet.
    const answer = assistant(0);
    await answer.getByText("Let's verify this with Python").waitFor();
    assert.ok((await answer.locator(".katex").count()) >= 2, "inline and display math typeset while streaming");
    assert.equal(await answer.locator(".katex-display").count(), 1);
    assert.match(await answer.getByTestId("status").innerText(), /3 samples running/);
    assert.equal(await page.getByTestId("answer").count(), 0);
    assert.equal(await page.getByTestId("send").isDisabled(), true);
    assert.equal(await page.getByTestId("stop").isVisible(), true);
    server.release();

    await page.getByTestId("answer").waitFor();
    await waitIdle();
    const solve = apiRequests("/v1/solve");
    assert.equal(solve.length, 1);
    assert.deepEqual(solve[0]!.body, { problem: QUESTION, mode: "tir", n: 3, stream: true });
    assert.equal(await page.getByTestId("stop").isVisible(), false);
  });

  it("typesets every kind of math and leaves no raw LaTeX", async () => {
    const answer = assistant(0);
    const sources = await texSources(answer.locator(".msg-body"));
    for (const tex of ["\\frac{1}{2}+\\frac{1}{3}", "\\frac{1}{2}+\\frac{1}{3}=\\frac{3}{6}+\\frac{2}{6}", "\\frac{5}{6}", "\\frac{3}{6}+\\frac{2}{6}=\\frac{5}{6}.", "\\boxed{\\frac{5}{6}}"]) {
      assert.ok(sources.includes(tex), `typeset: ${tex} (have ${JSON.stringify(sources)})`);
    }
    assert.equal(await answer.locator(".msg-body .katex-display").count(), 2, "$$...$$ and \\[...\\] are display math");
    assert.equal(await answer.locator(".msg-body strong").innerText(), "Therefore");
    const text = await page.getByTestId("message").evaluateAll((els) => els.map((e) => e.innerText).join("\n"));
    for (const raw of RAW_LATEX) assert.doesNotMatch(text, raw);
    const bodyText = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(bodyText, /\\frac/);
    // The question typed by the user is typeset too.
    assert.deepEqual(await texSources(page.locator('[data-testid="message"][data-role="user"]')), ["\\frac{1}{2}+\\frac{1}{3}"]);
  });

  it("shows the TIR cell as code and its output, labelled, as distinct code", async () => {
    const answer = assistant(0);
    const code = answer.getByTestId("cell-code");
    const output = answer.getByTestId("cell-output");
    assert.equal(await code.count(), 1);
    assert.equal(await output.count(), 1);
    assert.equal(await code.locator("pre code").innerText(), CELL.code);
    assert.equal(await output.locator("pre code").innerText(), "5/6");
    assert.equal((await output.locator("figcaption").innerText()).toLowerCase(), "output");
    const style = (l: Locator) => l.locator("pre").evaluate((e) => ({ font: getComputedStyle(e.querySelector("code")!).fontFamily, bg: getComputedStyle(e).backgroundColor }));
    const [c, o] = [await style(code), await style(output)];
    assert.match(c.font, /mono/i);
    assert.match(o.font, /mono/i);
    assert.notEqual(c.bg, o.bg, "the output looks different from the code");
    // The code is shown verbatim, not typeset.
    assert.equal(await code.locator(".katex").count(), 0);
  });

  it("highlights the typeset final answer and shows the vote", async () => {
    const box = page.getByTestId("answer");
    assert.equal(await box.count(), 1);
    assert.ok((await box.locator(".katex").count()) >= 1, "the final answer is typeset");
    assert.deepEqual(await texSources(box), ["\\frac{5}{6}"]);
    assert.match(await box.innerText(), /final answer/i);

    const votes = page.getByTestId("votes");
    await votes.waitFor();
    assert.match(await votes.innerText(), /2 of 3 samples agree/i);
    const rows = votes.getByTestId("vote");
    assert.equal(await rows.count(), 2);
    assert.deepEqual(await texSources(rows.nth(0)), ["\\frac{5}{6}"]);
    assert.deepEqual(await texSources(rows.nth(1)), ["\\frac{1}{6}"]);
    assert.match(await rows.nth(0).innerText(), /2 \/ 3[\s\S]*#1, #3/);
    assert.match(await rows.nth(1).innerText(), /1 \/ 3[\s\S]*#2/);
    assert.match(await rows.nth(0).getAttribute("class") ?? "", /winner/);
    assert.match(await assistant(0).getByTestId("status").innerText(), /sample 1 of 3/);
  });

  it("copies the raw Markdown/LaTeX and the final answer", async () => {
    await page.getByTestId("answer").getByTestId("copy-answer").click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "\\frac{5}{6}");
    await assistant(0).getByTestId("copy-message").click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), SAMPLE0);
    await assistant(0).getByTestId("copy-message").filter({ hasText: "Copied" }).waitFor();
  });

  it("streams a follow-up through the chat completions API with the whole conversation", async () => {
    await ask("Explain step 2", "enter");
    const followUp = assistant(1);
    await followUp.getByText("Then the numerators add").waitFor();
    await waitIdle();

    const chats = apiRequests("/v1/chat/completions");
    assert.equal(chats.length, 1);
    const body = chats[0]!.body as { model: string; stream: boolean; messages: { role: string; content: string }[] };
    assert.equal(body.model, MODEL_ID);
    assert.equal(body.stream, true);
    assert.deepEqual(body.messages.map((m) => m.role), ["system", "user", "assistant", "user"]);
    assert.match(body.messages[0]!.content, /integrate natural language reasoning with programs/);
    assert.equal(body.messages[1]!.content, QUESTION);
    assert.equal(body.messages[2]!.content, SAMPLE0);
    assert.equal(body.messages[3]!.content, "Explain step 2");
    assert.equal(apiRequests("/v1/solve").length, 1, "a follow-up does not solve again");

    // A bare \boxed{} outside math delimiters, \(...\) in a list: all typeset.
    const sources = await texSources(followUp);
    for (const tex of ["\\boxed{\\frac{5}{6}}", "\\frac{1}{2}=\\frac{3}{6}", "\\frac{1}{3}=\\frac{2}{6}", "6"]) assert.ok(sources.includes(tex), `typeset: ${tex}`);
    assert.equal(await followUp.locator("ol > li").count(), 2);
    const text = await followUp.innerText();
    for (const raw of RAW_LATEX) assert.doesNotMatch(text, raw);
    assert.equal(await followUp.getByTestId("answer").count(), 0, "chat replies have no solver answer box");
    await followUp.getByTestId("copy-message").click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), FOLLOW_UP);

    assert.equal(await messages().count(), 4);
    await page.evaluate(() => document.getElementById("main").scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, "chat-page-top.png") });
    await page.evaluate(() => document.getElementById("main").scrollTo(0, 1e6));
    await page.screenshot({ path: join(artifacts, "chat-page.png") });
  });

  it("says the server is busy on 429 and keeps the question to retry", async () => {
    server.failNext = { status: 429, message: "Too many requests in flight (4 of 4)", type: "rate_limit_error" };
    await ask("Explain step 3");
    await errorLine().waitFor();
    const text = await errorLine().innerText();
    assert.match(text, /busy/i);
    assert.match(text, /retry/i);
    assert.match(text, /Too many requests in flight/);
    assert.equal(await page.getByTestId("input").inputValue(), "Explain step 3");
    assert.equal(await messages().count(), 4, "the refused question is not left in the conversation");
    await waitIdle();
  });

  it("asks for an API key on 401, then sends it as a bearer token", async () => {
    server.requiredKey = "sk-test-123";
    await page.getByTestId("send").click();
    await errorLine().filter({ hasText: /API key/ }).waitFor();
    assert.match(await errorLine().innerText(), /needs an API key/);
    await waitIdle();
    await page.screenshot({ path: join(artifacts, "chat-page-error.png") });

    await page.getByTestId("api-key").fill("sk-test-123");
    await page.getByTestId("send").click();
    await assistant(2).getByText("Then the numerators add").waitFor();
    await waitIdle();
    assert.equal(await errorLine().isVisible(), false, "the error line clears on the next send");
    const last = server.requests.at(-1)!;
    assert.equal(last.path, "/v1/chat/completions");
    assert.equal(last.authorization, "Bearer sk-test-123");
    assert.equal(await page.evaluate(() => localStorage.getItem("qmath.apiKey")), "sk-test-123");
    // The 429-refused question is not part of the conversation sent.
    const body = last.body as { messages: { role: string; content: string }[] };
    assert.deepEqual(body.messages.map((m) => m.content).slice(1), [QUESTION, SAMPLE0, "Explain step 2", FOLLOW_UP, "Explain step 3"]);
  });

  it("keeps the API key and settings across a reload and sends the key on every call", async () => {
    const before = server.requests.length;
    await page.reload();
    await page.getByTestId("model").filter({ hasText: MODEL_ID }).waitFor();
    assert.equal(await page.getByTestId("api-key").inputValue(), "sk-test-123");
    assert.equal(await page.getByTestId("mode").inputValue(), "tir");
    assert.equal(await page.getByTestId("samples").inputValue(), "3");
    const models = server.requests.slice(before).filter((r) => r.path === "/v1/models");
    assert.ok(models.length >= 1);
    assert.ok(models.every((r) => r.authorization === "Bearer sk-test-123"));
  });

  it("shows the server's error message on other refusals and on an error mid-stream", async () => {
    server.requiredKey = null;
    await page.getByTestId("mode").selectOption("cot");
    await page.getByTestId("samples").fill("1");
    server.failNext = { status: 400, message: "problem is longer than 8000 characters", type: "invalid_request_error" };
    await ask("A very long problem");
    await errorLine().filter({ hasText: "longer than 8000" }).waitFor();
    assert.match(await errorLine().innerText(), /400/);
    await waitIdle();

    await ask("Crash please [crash]");
    await errorLine().filter({ hasText: "ran out of memory" }).waitFor();
    await waitIdle();
    assert.equal(await page.getByTestId("answer").count(), 0);
    assert.match(await assistant(0).getByTestId("status").innerText(), /incomplete/);

    // A fresh question after that is solved normally, with one sample and no vote.
    await ask("What is $\\frac{1}{2}+\\frac{1}{3}$ again?");
    await page.getByTestId("answer").waitFor();
    await waitIdle();
    assert.equal(await errorLine().isVisible(), false);
    assert.equal(await page.getByTestId("votes").count(), 0);
    assert.deepEqual(apiRequests("/v1/solve").at(-1)!.body, { problem: "What is $\\frac{1}{2}+\\frac{1}{3}$ again?", mode: "cot", n: 1, stream: true });
  });

  it("stops a solve on request, keeping what streamed", async () => {
    await page.getByTestId("new-chat").click();
    assert.equal(await messages().count(), 0);
    server.holdSolve = true;
    await ask("Stop me");
    await server.held();
    await assistant(0).getByText("Let's verify this with Python").waitFor();
    await page.getByTestId("stop").click();
    await waitIdle();
    server.release();
    assert.match(await assistant(0).getByTestId("status").innerText(), /stopped/);
    assert.equal(await errorLine().isVisible(), false, "stopping is not an error");
    assert.equal(await page.getByTestId("answer").count(), 0);
    assert.equal(await page.getByTestId("stop").isVisible(), false);
  });

  it("renders math edge cases: currency, escapes, code spans, streaming partial display math", async () => {
    const html = await page.evaluate(async () => {
      const app = (await import("/app.js" as string)) as { renderMarkdown: (s: string, streaming?: boolean) => string };
      const div = document.createElement("div");
      const probe = (src: string, streaming = false) => {
        div.innerHTML = app.renderMarkdown(src, streaming);
        return { text: div.innerText, tex: [...div.querySelectorAll("annotation")].map((a: { textContent: string | null }) => a.textContent), code: [...div.querySelectorAll("code")].map((c: { textContent: string | null }) => c.textContent) };
      };
      return {
        currency: probe("It costs $5 and $6 in total."),
        escaped: probe("A price of \\$3, and $x^2$."),
        codeSpan: probe("Use `$\\frac{a}{b}$` to write $\\frac{a}{b}$."),
        fence: probe("```python\nx = '$5' + '\\\\frac'\n```"),
        bare: probe("The answer is \\frac{211}{243} and \\sqrt{2}."),
        partial: probe("Here $$\\frac{1}{2", true),
        html: probe("x <script>alert(1)</script> < y"),
        env: probe("\\begin{align}a&=b\\\\c&=d\\end{align}"),
      };
    });
    assert.equal(html.currency.text.trim(), "It costs $5 and $6 in total.");
    assert.deepEqual(html.currency.tex, []);
    assert.deepEqual(html.escaped.tex, ["x^2"]);
    assert.match(html.escaped.text, /A price of \$3/);
    assert.deepEqual(html.codeSpan.tex, ["\\frac{a}{b}"]);
    assert.deepEqual(html.codeSpan.code, ["$\\frac{a}{b}$"]);
    assert.deepEqual(html.fence.tex, []);
    assert.deepEqual(html.fence.code, ["x = '$5' + '\\\\frac'"]);
    assert.deepEqual(html.bare.tex, ["\\frac{211}{243}", "\\sqrt{2}"]);
    assert.deepEqual(html.partial.tex, ["\\frac{1}{2}"], "an unfinished display formula is typeset as far as it goes");
    assert.match(html.html.text, /<script>alert\(1\)<\/script>/, "HTML in model output is shown, not run");
    assert.deepEqual(html.env.tex, ["\\begin{align}a&=b\\\\c&=d\\end{align}"]);
  });

  it("fits a phone screen and loads every file it needs", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling on a phone (overflow ${overflow}px)`);
    for (const id of ["mode", "samples", "api-key", "new-chat", "input", "send"]) {
      const box = await page.getByTestId(id).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `${id} fits the phone's width (${JSON.stringify(box)})`);
    }
    await page.evaluate(() => document.getElementById("main").scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, "chat-page-mobile.png") });
    assert.deepEqual(server.notFound, []);
    assert.deepEqual(pageErrors, []);
  });
});
