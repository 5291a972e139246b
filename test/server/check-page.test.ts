/**
 * The chat page's "Check my work" panel in a real browser (Debian's Chromium through
 * playwright-core) against a real qmath server on a scripted engine: the steps come back coloured
 * ok / error / not checked with their reasons typeset, the first error is marked, and "Explain
 * the first error" shows the model's text labelled as the model's. Saves a screenshot to
 * test-artifacts/.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { createScriptedEngine } from "../../src/engine/scripted.js";
import { createServer, type QmathServer } from "../../src/server/app.js";
import { repoRoot } from "../helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const EXPLANATION = "You added $3$ instead of subtracting it: $2x = 7 - 3 = 4$.";

describe("Check my work (browser)", { timeout: 120_000 }, () => {
  let server: QmathServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    server = createServer({ engine: createScriptedEngine({ scripts: [EXPLANATION] }), threads: 2 });
    const url = await server.listen(0);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (err) => pageErrors.push(String(err)));
    await page.goto(url + "/");
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("checks a solution: steps coloured with their reasons, the first error marked, then explained by the model", async () => {
    await page.getByTestId("check-open").click();
    await page.getByTestId("check").waitFor({ state: "visible" });
    await page.getByTestId("check-problem").fill("Solve $2x + 3 = 7$.");
    await page.getByTestId("check-solution").fill("$2x + 3 = 7$, so $2x = 10$ and $x = 5$. The answer is $\\boxed{5}$.");
    await page.getByTestId("check-run").click();
    const steps = page.getByTestId("check-step");
    await steps.nth(2).waitFor();
    assert.deepEqual(await steps.evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { verdict: string } }).dataset.verdict)), ["ok", "error", "ok"]);
    assert.match((await page.getByTestId("check-summary").textContent()) ?? "", /Step 2 is the first error/);
    assert.equal(await steps.nth(1).evaluate((e) => (e as unknown as { classList: { contains(c: string): boolean } }).classList.contains("first-error")), true);
    // the reason's math is typeset (KaTeX keeps the source in an annotation)
    const tex = await steps.nth(1).getByTestId("check-reason").locator("annotation").allTextContents();
    assert.ok(tex.includes("2x = 4"), JSON.stringify(tex));
    assert.match((await page.getByTestId("check-final").textContent()) ?? "", /incorrect/);

    await page.getByTestId("check-explain").click();
    const explanation = page.getByTestId("check-explanation");
    await explanation.waitFor();
    assert.match((await explanation.textContent()) ?? "", /Explanation of step 2, written by the model scripted \(not checked\)/);
    assert.ok((await explanation.locator("annotation").allTextContents()).includes("2x = 7 - 3 = 4"));
    assert.equal(await page.getByTestId("check-explain").isHidden(), true);
    mkdirSync(join(repoRoot, "test-artifacts"), { recursive: true });
    await page.screenshot({ path: join(repoRoot, "test-artifacts", "check-my-work.png"), fullPage: true });
  });

  it("Hint: one rung at a time for the problem typed, labelled as the model's", async () => {
    await page.getByTestId("check-close").click();
    await page.getByTestId("input").fill("Solve $2x + 3 = 7$.");
    await page.getByTestId("hint").click();
    const hint = page.getByTestId("hint-message");
    await hint.first().getByTestId("status").filter({ hasText: "Hint 1 of 3, written by the model scripted" }).waitFor();
    await page.getByTestId("hint").click();
    await hint.nth(1).getByTestId("status").filter({ hasText: "Hint 2 of 3" }).waitFor();
    assert.equal(await hint.count(), 2);
  });

  it("a correct solution: no step is wrong, nothing to explain", async () => {
    await page.getByTestId("check-open").click();
    await page.getByTestId("check-solution").fill("2x + 3 = 7\n2x = 4\nx = 2");
    await page.getByTestId("check-run").click();
    await page.getByTestId("check-summary").filter({ hasText: "No step is wrong" }).waitFor();
    assert.deepEqual(await page.getByTestId("check-step").evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { verdict: string } }).dataset.verdict)), ["ok", "ok", "ok"]);
    assert.equal(await page.getByTestId("check-explain").isHidden(), true);
    assert.deepEqual(pageErrors, []);
  });
});
