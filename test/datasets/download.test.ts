import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { QmathError } from "../../src/errors.js";
import { DATASETS, downloadDataset, hubDatasetUrl, loadDataset } from "../../src/datasets/index.js";
import { startFakeHub, type FakeHub } from "../models/hub-server.js";
import { closedPort } from "../helpers.js";
import { fixtureDataDir } from "./fixtures.js";

// the Hub serves the project's own fixture files (loopback only)
const aime = readFileSync(join(fixtureDataDir, "aime24", "test.jsonl"));
const math500 = readFileSync(join(fixtureDataDir, "math500", "test.jsonl"));

describe("benchmark set download", () => {
  let hub: FakeHub;
  before(async () => {
    hub = await startFakeHub({
      "datasets/HuggingFaceTB/math_tasks/data/aime24/test.jsonl": { content: aime },
      "datasets/HuggingFaceH4/MATH-500/test.jsonl": { content: math500 },
      "datasets/org/other/rows.jsonl": { content: Buffer.from('{"Q": "What is 1+1?", "A": "2"}\n{"Q": "What is 2+3?", "A": "5"}\n') },
    });
  });
  after(() => hub.close());

  it("records a JSON Lines source on the Hub for every set", () => {
    for (const d of DATASETS) {
      assert.ok(d.hub, `${d.name} has a source`);
      assert.match(d.hub.path, /\.jsonl$/, d.name);
    }
    const source = (name: string) => DATASETS.find((d) => d.name === name)!.hub!;
    assert.equal(hubDatasetUrl(source("gsm8k"), "https://huggingface.co"), "https://huggingface.co/datasets/HuggingFaceTB/math_tasks/resolve/main/data/gsm8k/test.jsonl");
    assert.equal(hubDatasetUrl(source("math500"), "https://huggingface.co"), "https://huggingface.co/datasets/HuggingFaceH4/MATH-500/resolve/main/test.jsonl");
    assert.equal(hubDatasetUrl(source("addsub"), "https://hf-mirror.example"), "https://hf-mirror.example/datasets/HuggingFaceTB/math_tasks/resolve/main/data/mawps/addsub.jsonl");
  });

  it("downloads a set into the cache, then reads the cache without the network", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "qmath-dl-ds-"));
    const env = { HF_ENDPOINT: hub.url };
    const before = hub.ranges.length;
    const first = await loadDataset("aime24", { cacheDir, download: true, env });
    assert.equal(first.length, 2);
    assert.equal(first[0]!.id, "7");
    assert.equal(first[0]!.reference, "15");
    assert.equal(hub.ranges.length, before + 1, "one transfer");
    const cached = join(cacheDir, "aime24", "test.jsonl");
    assert.ok(readFileSync(cached).equals(aime));
    assert.ok(!existsSync(`${cached}.download`) && !existsSync(`${cached}.download.partial`));

    const offline = { HF_ENDPOINT: `http://127.0.0.1:${await closedPort()}` };
    const second = await loadDataset("aime24", { cacheDir, download: true, env: offline });
    assert.deepEqual(second, first);
    assert.equal(hub.ranges.length, before + 1, "no second transfer");
  });

  it("downloads MATH-500 from its own repository", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "qmath-dl-ds-"));
    const p = await loadDataset("math500", { cacheDir, download: true, env: { HF_ENDPOINT: hub.url } });
    assert.equal(p.length, 3);
    assert.equal(p[0]!.id, "test/algebra/q1.json");
  });

  it("does not download without being asked", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "qmath-dl-ds-"));
    await assert.rejects(loadDataset("aime24", { cacheDir, env: { HF_ENDPOINT: hub.url } }), /not on this machine/);
    assert.ok(!existsSync(join(cacheDir, "aime24")));
  });

  it("maps a source with another schema through its converter", async () => {
    const dest = join(mkdtempSync(join(tmpdir(), "qmath-dl-ds-")), "test.jsonl");
    await downloadDataset(
      "other",
      { repo: "org/other", path: "rows.jsonl", convert: (row) => ({ question: row.Q, answer: row.A }) },
      { dest, env: { HF_ENDPOINT: hub.url } },
    );
    assert.equal(readFileSync(dest, "utf8"), '{"question":"What is 1+1?","answer":"2"}\n{"question":"What is 2+3?","answer":"5"}\n');
  });

  it("says what it could not fetch and how to give a local file when the Hub is unreachable", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "qmath-dl-ds-"));
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    await assert.rejects(loadDataset("gsm8k", { cacheDir, download: true, env: { HF_ENDPOINT: endpoint } }), (e: unknown) => {
      assert.ok(e instanceof QmathError);
      assert.equal(e.code, "download_failed");
      assert.match(e.message, /^Could not download the 'gsm8k' benchmark set: /);
      assert.ok(e.message.includes(`${endpoint}/datasets/HuggingFaceTB/math_tasks/resolve/main/data/gsm8k/test.jsonl`), e.message);
      assert.match(e.hint ?? "", /--data-dir <dir>/);
      assert.ok((e.hint ?? "").includes("<dir>/gsm8k/test.jsonl"), e.hint);
      assert.doesNotMatch(e.hint ?? "", /gguf|--model/);
      return true;
    });
    assert.ok(!existsSync(join(cacheDir, "gsm8k", "test.jsonl")));
  });

  it("says which file the Hub does not have", async () => {
    const dest = join(mkdtempSync(join(tmpdir(), "qmath-dl-ds-")), "test.jsonl");
    await assert.rejects(downloadDataset("gone", { repo: "org/other", path: "missing.jsonl" }, { dest, env: { HF_ENDPOINT: hub.url } }), (e: unknown) => {
      assert.ok(e instanceof QmathError);
      assert.match(e.message, /'gone' benchmark set: .*missing\.jsonl does not exist \(HTTP 404\)/);
      return true;
    });
  });
});
