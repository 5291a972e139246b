/**
 * CORS as a browser enforces it: Chromium on a page of one origin calls qmath serve on
 * another with a bearer key and a JSON body (which needs a preflight). An origin given with
 * --cors-origin (here, the createServer option it sets) gets its answers, streamed ones too;
 * any other origin is blocked by the browser; without the option, every other origin is.
 */
import assert from "node:assert/strict";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { createScriptedEngine } from "../../src/engine/scripted.js";
import { createServer, type QmathServer } from "../../src/server/app.js";

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const KEY = "browser-key";

/** A server of plain pages: an origin of its own. */
async function pageServer(): Promise<{ origin: string; server: Server }> {
  const server = createHttpServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>client</title>"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

interface Outcome {
  ok: boolean;
  status?: number;
  text?: string;
  error?: string;
}

describe("CORS from a page in Chromium", { timeout: 120_000 }, () => {
  let browser: Browser;
  let allowedPage: { origin: string; server: Server };
  let otherPage: { origin: string; server: Server };
  let allowing: QmathServer;
  let closed: QmathServer;
  let allowingUrl: string;
  let closedUrl: string;
  let preflights = 0;

  before(async () => {
    allowedPage = await pageServer();
    otherPage = await pageServer();
    const engine = () => createScriptedEngine({ model: "m", scripts: ["The answer is $\\boxed{4}$."], pieceDelayMs: 1 });
    allowing = createServer({ engine: engine(), apiKeys: [KEY], corsOrigins: [allowedPage.origin] });
    allowing.app.addHook("onResponse", async (request, reply) => {
      if (request.method === "OPTIONS" && reply.statusCode === 204) preflights++;
    });
    allowingUrl = await allowing.listen(0);
    closed = createServer({ engine: engine(), apiKeys: [KEY] });
    closedUrl = await closed.listen(0);
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
  });

  after(async () => {
    await browser?.close();
    await allowing?.close();
    await closed?.close();
    allowedPage?.server.close();
    otherPage?.server.close();
  });

  /** Runs a chat request with fetch in a page of `origin` against `api`, reading the whole (maybe streamed) body. */
  async function fetchFrom(origin: string, api: string, body: Record<string, unknown>, key = KEY): Promise<Outcome> {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(origin + "/");
      return await page.evaluate(
        async ({ api, body, key }) => {
          try {
            const r = await fetch(api + "/v1/chat/completions", {
              method: "POST",
              headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
              body: JSON.stringify(body),
            });
            return { ok: true, status: r.status, text: await r.text() };
          } catch (e) {
            return { ok: false, error: String(e) };
          }
        },
        { api, body, key },
      );
    } finally {
      await context.close();
    }
  }

  const chat = { model: "m", messages: [{ role: "user", content: "2+2?" }] };

  it("an allowed origin: the preflight is answered, then the request, whole and streamed", async () => {
    const before = preflights;
    const whole = await fetchFrom(allowedPage.origin, allowingUrl, chat);
    assert.equal(whole.ok, true, whole.error);
    assert.equal(whole.status, 200);
    assert.equal((JSON.parse(whole.text!) as { choices: { message: { content: string } }[] }).choices[0]!.message.content, "The answer is $\\boxed{4}$.");
    assert.ok(preflights > before, "the browser sent a preflight (bearer key and JSON body)");
    const streamed = await fetchFrom(allowedPage.origin, allowingUrl, { ...chat, stream: true });
    assert.equal(streamed.ok, true, streamed.error);
    assert.match(streamed.text!, /data: \[DONE\]/);
    // A wrong key is a 401 the page can read (the CORS header is on errors too).
    const denied = await fetchFrom(allowedPage.origin, allowingUrl, chat, "wrong");
    assert.equal(denied.ok, true, denied.error);
    assert.equal(denied.status, 401);
  });

  it("another origin is blocked by the browser; a server without --cors-origin blocks every other origin", async () => {
    const other = await fetchFrom(otherPage.origin, allowingUrl, chat);
    assert.equal(other.ok, false);
    assert.match(other.error!, /Failed to fetch/);
    const none = await fetchFrom(allowedPage.origin, closedUrl, chat);
    assert.equal(none.ok, false);
    assert.match(none.error!, /Failed to fetch/);
  });
});
