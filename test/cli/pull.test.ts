import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { assertUserError, runCli } from "../helpers.js";
import { startFakeHub } from "../models/hub-server.js";
import { findModel, ggufFileName } from "../../src/models/catalog.js";

describe("qmath pull against a mirror that publishes no checksum", () => {
  it("refuses the file unless given --sha256 or --no-verify", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "qmath-pull-"));
    const model = findModel("qwen2.5-math-1.5b-instruct")!;
    const file = ggufFileName(model.gguf!, "Q8_0");
    const content = randomBytes(50_000);
    const sha = createHash("sha256").update(content).digest("hex");
    const hub = await startFakeHub({ [`${model.gguf!.repo}/${file}`]: { content, noChecksum: true } });
    try {
      const env = (dir: string) => ({ HF_ENDPOINT: hub.url, QMATH_MODELS_DIR: join(tmp, dir) });
      const id = "qwen2.5-math-1.5b-instruct:Q8_0";
      assertUserError(await runCli(["pull", id], { env: env("m1") }), /publishes no SHA-256 checksum.*--sha256 HEX.*--no-verify/);
      const mismatch = await runCli(["pull", id, "--sha256", "2".repeat(64)], { env: env("m2") });
      assert.equal(mismatch.code, 2, mismatch.stderr);
      assert.match(mismatch.stderr.trim().split("\n").at(-1)!, /is corrupt: its SHA-256 is [0-9a-f]{64}, expected 2{64}/);
      const given = await runCli(["pull", id, "--sha256", sha], { env: env("m3") });
      assert.equal(given.code, 0, given.stderr);
      assert.match(given.stdout, /^Downloaded qwen2\.5-math-1\.5b-instruct:Q8_0/);
      assert.doesNotMatch(given.stderr, /Warning/);
      const unverified = await runCli(["pull", id, "--no-verify"], { env: env("m4") });
      assert.equal(unverified.code, 0, unverified.stderr);
      assert.match(unverified.stderr, /Warning: .* publishes no SHA-256 checksum: the file is installed without verification\./);
      assert.ok(readFileSync(join(tmp, "m4", file)).equals(content));
    } finally {
      await hub.close();
    }
  });
});
