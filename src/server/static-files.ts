/**
 * The chat page's files (src/server/static) and the two browser libraries it uses, served
 * from the installed packages: KaTeX (typesetting) and marked (Markdown).
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, extname, join, normalize, sep } from "node:path";
import { packageRoot } from "../config.js";
import type { FastifyInstance } from "fastify";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".json": "application/json",
};

/** Serves a file below `root`, refusing paths that leave it. */
async function sendFile(root: string, relative: string): Promise<{ body: Buffer; type: string } | null> {
  const path = normalize(join(root, relative));
  if (path !== root && !path.startsWith(root + sep)) return null;
  try {
    return { body: await readFile(path), type: CONTENT_TYPES[extname(path)] ?? "application/octet-stream" };
  } catch {
    return null;
  }
}

export function registerStaticFiles(app: FastifyInstance): void {
  const require = createRequire(import.meta.url);
  const pageDir = join(packageRoot(), "src", "server", "static");
  const katexDir = join(dirname(require.resolve("katex/package.json")), "dist");
  const markedFile = join(dirname(require.resolve("marked/package.json")), "lib", "marked.esm.js");

  const serve = (root: string) => async (request: { params: unknown }, reply: import("fastify").FastifyReply) => {
    const rel = (request.params as { "*"?: string })["*"] || "index.html";
    const file = await sendFile(root, rel);
    if (!file) return reply.callNotFound();
    return reply.header("content-type", file.type).header("cache-control", "no-cache").send(file.body);
  };
  // The page's own files at the root ("/" is index.html); API routes are more specific and win.
  app.get("/*", { config: { public: true } }, serve(pageDir));
  app.get("/vendor/katex/*", { config: { public: true } }, serve(katexDir));
  app.get("/vendor/marked.esm.js", { config: { public: true } }, async (_request, reply) =>
    reply.header("content-type", CONTENT_TYPES[".js"]!).send(await readFile(markedFile)),
  );
}
