/**
 * CORS for browser clients on other origins (serve's --cors-origin): off unless origins are
 * given. A hook added before the API-key check, so that a preflight (which carries no key) is
 * answered, and so that every answer to an allowed origin, a 401 included, carries the header
 * the browser needs to show it to the page.
 */
import type { FastifyInstance } from "fastify";

/** How long a browser may keep a preflight's answer (seconds). */
const PREFLIGHT_MAX_AGE = 600;

export function registerCors(app: FastifyInstance, origins: readonly string[]): void {
  const any = origins.includes("*");
  const allowed = new Set(origins);
  app.addHook("onRequest", async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined || !(any || allowed.has(origin))) return;
    reply.header("access-control-allow-origin", any ? "*" : origin);
    if (!any) reply.header("vary", "Origin");
    const method = request.headers["access-control-request-method"];
    if (request.method !== "OPTIONS" || method === undefined) return;
    // The preflight: answered here, before any route or key check.
    const headers = request.headers["access-control-request-headers"];
    return reply
      .code(204)
      .header("access-control-allow-methods", "GET, POST, OPTIONS")
      .header("access-control-allow-headers", headers ?? "authorization, content-type")
      .header("access-control-max-age", String(PREFLIGHT_MAX_AGE))
      .send();
  });
}
