/**
 * A stand-in for the Hugging Face Hub on loopback: /<repo>/resolve/main/<file> answers HEAD
 * with a redirect carrying X-Linked-Etag (SHA-256) and X-Linked-Size, and the file itself
 * with HTTP Range support. It can cut the first transfer short to simulate a broken download.
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface HubFile {
  content: Buffer;
  /** Published checksum (default: the real one). */
  sha256?: string;
}

export interface FakeHub {
  url: string;
  /** Range headers received, in order ("" for none). */
  ranges: string[];
  /** Bytes after which the next transfer is cut (one-shot). */
  cutNextAfter?: number;
  close(): Promise<void>;
}

export async function startFakeHub(files: Record<string, HubFile>): Promise<FakeHub> {
  const hub: FakeHub = { url: "", ranges: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const resolveMatch = /^\/(.+)\/resolve\/main\/(.+)$/.exec(path);
    if (resolveMatch && req.method === "HEAD") {
      const file = files[`${resolveMatch[1]}/${resolveMatch[2]}`];
      if (!file) return res.writeHead(404).end();
      const sha = file.sha256 ?? createHash("sha256").update(file.content).digest("hex");
      return res
        .writeHead(302, { Location: `/cdn/${resolveMatch[1]}/${resolveMatch[2]}`, "X-Linked-Etag": `"${sha}"`, "X-Linked-Size": String(file.content.length) })
        .end();
    }
    const key = resolveMatch ? `${resolveMatch[1]}/${resolveMatch[2]}` : path.replace(/^\/cdn\//, "");
    const file = files[key];
    if (!file) return res.writeHead(404).end();
    const range = req.headers.range ?? "";
    hub.ranges.push(range);
    const start = range ? Number(/bytes=(\d+)-/.exec(range)?.[1] ?? 0) : 0;
    const body = file.content.subarray(start);
    res.writeHead(range ? 206 : 200, { "Content-Length": String(body.length), "Accept-Ranges": "bytes" });
    const cut = hub.cutNextAfter;
    if (cut !== undefined) {
      hub.cutNextAfter = undefined;
      res.write(body.subarray(0, cut), () => res.destroy());
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hub.close = () => new Promise((r) => server.close(() => r()));
  return hub;
}
