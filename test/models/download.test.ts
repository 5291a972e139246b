import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { downloadFile, remoteFileInfo, type DownloadProgress } from "../../src/models/download.js";
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
      "org/repo/liar.gguf": { content, size: content.length + 1000 },
      "org/repo/nosum.gguf": { content, noChecksum: true },
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
    await assert.rejects(downloadFile({ url, dest, retries: 0 }), (e: unknown) => e instanceof QmathError && /failed 1 time \(last: after \d+ bytes/.test(e.message) && /resumes/.test(e.hint ?? ""));
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

  describe("a server that stops sending", () => {
    it("aborts the stalled attempt and resumes it with a Range request", { timeout: 10_000 }, async () => {
      const dest = join(dir, "stall-once.gguf");
      hub.ranges.length = 0;
      hub.stallAfter = 1024 * 1024;
      hub.stalls = 1;
      const r = await downloadFile({ url: `${hub.url}/org/repo/resolve/main/model.gguf`, dest, stallMs: 300, retryDelayMs: 0 });
      assert.equal(hub.ranges.length, 2);
      assert.equal(hub.ranges[0], "");
      const resumedAt = Number(/^bytes=(\d+)-$/.exec(hub.ranges[1] ?? "")?.[1]);
      assert.ok(resumedAt > 0 && resumedAt <= 1024 * 1024, `resumed at ${hub.ranges[1]}`);
      assert.equal(r.sha256, sha);
      assert.ok(readFileSync(dest).equals(content));
    });

    it("gives up with one clear error naming the URL when every attempt stalls", { timeout: 10_000 }, async () => {
      const url = `${hub.url}/org/repo/resolve/main/model.gguf`;
      hub.ranges.length = 0;
      hub.stallAfter = 1000;
      hub.stalls = 100;
      const started = Date.now();
      try {
        await assert.rejects(
          downloadFile({ url, dest: join(dir, "stall-always.gguf"), stallMs: 200, retries: 2, retryDelayMs: 0 }),
          (e: unknown) =>
            e instanceof QmathError &&
            e.code === "download_failed" &&
            e.message.includes(url) &&
            /failed 3 times \(last: after \d+ bytes: no data for 0\.2 s\)/.test(e.message) &&
            /resumes/.test(e.hint ?? ""),
        );
      } finally {
        hub.stalls = 0;
      }
      assert.equal(hub.ranges.length, 3);
      assert.ok(Date.now() - started < 5000);
    });
  });

  it("refuses a stall limit or retry pause a timer cannot hold, before any request (it would fire after 1 ms)", async () => {
    const url = `${hub.url}/org/repo/resolve/main/model.gguf`;
    const refusedOption = (name: string) => (e: unknown) =>
      e instanceof QmathError && e.code === "bad_input" && e.message.startsWith(`download option ${name} must be`) && e.message.includes("2147483647");
    await assert.rejects(downloadFile({ url, dest: join(dir, "timer-a.gguf"), stallMs: 2 ** 31 }), refusedOption("stallMs"));
    await assert.rejects(downloadFile({ url, dest: join(dir, "timer-b.gguf"), stallMs: NaN }), refusedOption("stallMs"));
    await assert.rejects(downloadFile({ url, dest: join(dir, "timer-c.gguf"), retryDelayMs: 2 ** 31 }), refusedOption("retryDelayMs"));
    await assert.rejects(remoteFileInfo(url, {}, undefined, 2 ** 31), refusedOption("stallMs"));
  });

  describe("sizes that do not add up", () => {
    it("starts over when the partial file is larger than the published size", async () => {
      const dest = join(dir, "too-big.gguf");
      const url = `${hub.url}/org/repo/resolve/main/model.gguf`;
      writeFileSync(`${dest}.partial`, Buffer.concat([content, Buffer.alloc(100)]));
      writeFileSync(`${dest}.partial.json`, JSON.stringify({ url, sha256: sha, size: content.length }));
      hub.ranges.length = 0;
      const r = await downloadFile({ url, dest });
      assert.deepEqual(hub.ranges, [""]);
      assert.equal(r.resumedFrom, 0);
      assert.ok(readFileSync(dest).equals(content));
    });

    it("starts over when the server refuses to resume (HTTP 416)", async () => {
      const dest = join(dir, "refused.gguf");
      hub.ranges.length = 0;
      hub.cutNextAfter = 1024 * 1024;
      hub.refuseNextRange = true;
      const r = await downloadFile({ url: `${hub.url}/org/repo/resolve/main/model.gguf`, dest, retryDelayMs: 0 });
      assert.equal(hub.ranges.length, 3);
      assert.equal(hub.ranges[0], "");
      assert.match(hub.ranges[1] ?? "", /^bytes=\d+-$/);
      assert.equal(hub.ranges[2], "");
      assert.equal(r.sha256, sha);
      assert.ok(readFileSync(dest).equals(content));
    });

    it("gives one clear error, after starting over once, for a server that publishes a wrong size", async () => {
      const url = `${hub.url}/org/repo/resolve/main/liar.gguf`;
      const dest = join(dir, "liar.gguf");
      for (let run = 0; run < 2; run++) {
        hub.ranges.length = 0;
        await assert.rejects(
          downloadFile({ url, dest, retryDelayMs: 0 }),
          (e: unknown) =>
            e instanceof QmathError &&
            e.message === `${url} cannot be downloaded consistently: it refused to resume at byte ${content.length} (HTTP 416), even after starting over.`,
        );
        assert.deepEqual(hub.ranges, ["", `bytes=${content.length}-`, "", `bytes=${content.length}-`]);
        assert.ok(!existsSync(dest) && !existsSync(`${dest}.partial`));
      }
    });
  });

  describe("a server that publishes no checksum", () => {
    const url = () => `${hub.url}/org/repo/resolve/main/nosum.gguf`;

    it("is refused before the transfer, naming the flags that allow it", async () => {
      const dest = join(dir, "nosum-refused.gguf");
      hub.ranges.length = 0;
      await assert.rejects(
        downloadFile({ url: url(), dest }),
        (e: unknown) =>
          e instanceof QmathError &&
          e.message === `${url()} publishes no SHA-256 checksum, so the downloaded file could not be verified.` &&
          /--sha256 HEX/.test(e.hint ?? "") &&
          /--no-verify/.test(e.hint ?? ""),
      );
      assert.deepEqual(hub.ranges, []);
      assert.ok(!existsSync(dest));
    });

    it("is installed unverified, with a warning, when the user allows it", async () => {
      const dest = join(dir, "nosum-allowed.gguf");
      const warnings: string[] = [];
      const r = await downloadFile({ url: url(), dest, allowUnverified: true, onWarning: (w) => warnings.push(w) });
      assert.equal(r.verified, false);
      assert.deepEqual(warnings, [`${url()} publishes no SHA-256 checksum: the file is installed without verification.`]);
      assert.ok(readFileSync(dest).equals(content));
    });

    it("is verified against a checksum the user gives", async () => {
      const dest = join(dir, "nosum-given.gguf");
      const r = await downloadFile({ url: url(), dest, sha256: sha.toUpperCase() });
      assert.equal(r.verified, true);
      assert.ok(readFileSync(dest).equals(content));
      const wrong = join(dir, "nosum-wrong.gguf");
      await assert.rejects(
        downloadFile({ url: url(), dest: wrong, sha256: "1".repeat(64) }),
        (e: unknown) => e instanceof QmathError && /is corrupt: its SHA-256 is [0-9a-f]{64}, expected 1{64}/.test(e.message),
      );
      assert.ok(!existsSync(wrong) && !existsSync(`${wrong}.partial`));
      await assert.rejects(downloadFile({ url: url(), dest: wrong, sha256: "abc" }), (e: unknown) => e instanceof QmathError && e.code === "bad_input");
    });
  });
});
