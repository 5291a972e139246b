/**
 * A stand-in for the Hugging Face Hub on loopback: /<repo>/resolve/main/<file> answers HEAD
 * with a redirect carrying X-Linked-Etag (SHA-256) and X-Linked-Size, and the file itself
 * with HTTP Range support (416 for a range past the end). It can cut the next transfer short,
 * fall silent in the middle of transfers, publish a wrong size or no checksum, and refuse a
 * range once, to play the servers a real download meets.
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface HubFile {
  content: Buffer;
  /** Published checksum (default: the real one). */
  sha256?: string;
  /** Publish no checksum at all (a mirror without LFS headers). */
  noChecksum?: boolean;
  /** Published size (default: the real one). */
  size?: number;
}

export interface FakeHub {
  url: string;
  /** Range headers received, in order ("" for none). */
  ranges: string[];
  /** Bytes after which the next transfer is cut (one-shot). */
  cutNextAfter?: number;
  /** Bytes after which the next `stalls` transfers stop sending but keep the connection open. */
  stallAfter?: number;
  stalls?: number;
  /** Answer the next Range request with HTTP 416 (one-shot). */
  refuseNextRange?: boolean;
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
      const linked: Record<string, string> = file.noChecksum ? {} : { "X-Linked-Etag": `"${sha}"`, "X-Linked-Size": String(file.size ?? file.content.length) };
      return res.writeHead(302, { Location: `/cdn/${resolveMatch[1]}/${resolveMatch[2]}`, ...linked }).end();
    }
    const key = resolveMatch ? `${resolveMatch[1]}/${resolveMatch[2]}` : path.replace(/^\/cdn\//, "");
    const file = files[key];
    if (!file) return res.writeHead(404).end();
    const range = req.headers.range ?? "";
    hub.ranges.push(range);
    const start = range ? Number(/bytes=(\d+)-/.exec(range)?.[1] ?? 0) : 0;
    if ((range && hub.refuseNextRange) || start >= file.content.length) {
      hub.refuseNextRange = false;
      return res.writeHead(416, { "Content-Range": `bytes */${file.content.length}` }).end();
    }
    const body = file.content.subarray(start);
    res.writeHead(range ? 206 : 200, { "Content-Length": String(body.length), "Accept-Ranges": "bytes" });
    const cut = hub.cutNextAfter;
    if (cut !== undefined) {
      hub.cutNextAfter = undefined;
      res.write(body.subarray(0, cut), () => res.destroy());
      return;
    }
    if (hub.stallAfter !== undefined && (hub.stalls ?? 0) > 0) {
      hub.stalls = (hub.stalls ?? 0) - 1;
      res.write(body.subarray(0, hub.stallAfter)); // and then nothing more
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hub.close = () =>
    new Promise((r) => {
      server.close(() => r());
      server.closeAllConnections(); // stalled transfers never end by themselves
    });
  return hub;
}
