import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { downloadFile, type DownloadProgress } from "../../src/models/download.js";
import { QmathError } from "../../src/errors.js";
import { startFakeHub, type FakeHub } from "./hub-server.js";
import { closedPort } from "../helpers.js";

const content = randomBytes(3 * 1024 * 1024 + 17);
const sha = createHash("sha256").update(content).digest("hex");

describe("downloadFile", () => {
  let hub: FakeHub;
  let dir: string;
  before(async () => {
    hub = await startFakeHub({
      "org/repo/model.gguf": { content },
      "org/repo/bad.gguf": { content, sha256: "0".repeat(64) },
    });
    dir = mkdtempSync(join(tmpdir(), "qmath-dl-"));
  });
  after(() => hub.close());

  it("downloads, reports progress and verifies the published checksum", async () => {
    const dest = join(dir, "a.gguf");
    const progress: DownloadProgress[] = [];
    const r = await downloadFile({ url: `${hub.url}/org/repo/resolve/main/model.gguf`, dest, onProgress: (p) => progress.push(p) });
    assert.equal(r.sha256, sha);
    assert.equal(r.verified, true);
    assert.equal(r.resumedFrom, 0);
    assert.ok(readFileSync(dest).equals(content));
    assert.ok(!existsSync(`${dest}.partial`) && !existsSync(`${dest}.partial.json`));
    const last = progress.at(-1)!;
    assert.equal(last.received, content.length);
    assert.equal(last.total, content.length);
  });

  it("resumes an interrupted download from where the partial file ends", async () => {
    const dest = join(dir, "b.gguf");
    const url = `${hub.url}/org/repo/resolve/main/model.gguf`;
    hub.cutNextAfter = 1024 * 1024;
    await assert.rejects(downloadFile({ url, dest }), (e: unknown) => e instanceof QmathError && /broke off/.test(e.message) && /resumes/.test(e.hint ?? ""));
    const partialSize = statSync(`${dest}.partial`).size;
    assert.ok(partialSize > 0 && partialSize < content.length, `partial file has ${partialSize} bytes`);
    hub.ranges.length = 0;
    const r = await downloadFile({ url, dest });
    assert.deepEqual(hub.ranges, [`bytes=${partialSize}-`]);
    assert.equal(r.resumedFrom, partialSize);
    assert.equal(r.sha256, sha);
    assert.ok(readFileSync(dest).equals(content));
  });

  it("rejects and deletes a file whose checksum does not match", async () => {
    const dest = join(dir, "c.gguf");
    await assert.rejects(
      downloadFile({ url: `${hub.url}/org/repo/resolve/main/bad.gguf`, dest }),
      (e: unknown) => e instanceof QmathError && /corrupt/.test(e.message),
    );
    assert.ok(!existsSync(dest) && !existsSync(`${dest}.partial`));
  });

  it("says clearly when the file does not exist", async () => {
    await assert.rejects(
      downloadFile({ url: `${hub.url}/org/repo/resolve/main/missing.gguf`, dest: join(dir, "d.gguf") }),
      (e: unknown) => e instanceof QmathError && e.code === "download_failed" && /404/.test(e.message),
    );
  });

  it("says what could not be fetched and how to use a local file when the network is unreachable", async () => {
    const port = await closedPort();
    await assert.rejects(
      downloadFile({ url: `http://127.0.0.1:${port}/org/repo/resolve/main/model.gguf`, dest: join(dir, "e.gguf") }),
      (e: unknown) =>
        e instanceof QmathError &&
        e.message.startsWith(`Could not fetch http://127.0.0.1:${port}/org/repo/resolve/main/model.gguf (cannot reach 127.0.0.1:${port}: ECONNREFUSED)`) &&
        /--model \/path\/to\/file\.gguf/.test(e.hint ?? ""),
    );
  });
});
