/** src/config.ts: every folder and setting qmath takes from its surroundings, from one place. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  cacheDir,
  datasetsCacheDir,
  defaultPython,
  defaultThreads,
  ENVIRONMENT,
  hubEndpoint,
  hubHeaders,
  modelsDir,
  packageRoot,
  remoteApiKey,
  rewardModelApiKey,
  userDataDir,
  version,
} from "../src/config.js";

describe("config", () => {
  it("puts the cache under QMATH_CACHE_DIR, else XDG_CACHE_HOME/qmath, else ~/.cache/qmath; models may live elsewhere", () => {
    assert.equal(cacheDir({}), join(homedir(), ".cache", "qmath"));
    assert.equal(cacheDir({ XDG_CACHE_HOME: "/x" }), "/x/qmath");
    assert.equal(cacheDir({ XDG_CACHE_HOME: "/x", QMATH_CACHE_DIR: "/c" }), "/c");
    assert.equal(cacheDir({ QMATH_CACHE_DIR: "" }), join(homedir(), ".cache", "qmath"), "an empty variable is unset");
    assert.equal(datasetsCacheDir({ QMATH_CACHE_DIR: "/c" }), "/c/datasets");
    assert.equal(modelsDir({ QMATH_CACHE_DIR: "/c" }), "/c/models");
    assert.equal(modelsDir({ QMATH_CACHE_DIR: "/c", QMATH_MODELS_DIR: "/m" }), "/m");
    assert.equal(userDataDir({}), undefined);
    assert.equal(userDataDir({ QMATH_DATA_DIR: "/d" }), "/d");
  });

  it("reads the Hub endpoint and token, the threads, the Python and the API keys", () => {
    assert.equal(hubEndpoint({}), "https://huggingface.co");
    assert.equal(hubEndpoint({ HF_ENDPOINT: "http://mirror.test//" }), "http://mirror.test");
    assert.deepEqual(hubHeaders({}), {});
    assert.deepEqual(hubHeaders({ HF_TOKEN: "hf_x" }), { Authorization: "Bearer hf_x" });
    assert.equal(defaultThreads({ QMATH_THREADS: "3" }), 3);
    assert.ok(defaultThreads({ QMATH_THREADS: "-2" }) >= 1, "a bad value falls back to the cores");
    assert.ok(defaultThreads({ QMATH_THREADS: "1.5" }) >= 1);
    assert.equal(defaultPython({}), "/usr/bin/python3");
    assert.equal(defaultPython({ QMATH_PYTHON: "/opt/py" }), "/opt/py");
    assert.equal(remoteApiKey({ QMATH_REMOTE_API_KEY: "k" }), "k");
    assert.equal(remoteApiKey({ QMATH_REMOTE_API_KEY: "" }), undefined);
    assert.equal(rewardModelApiKey({ QMATH_RM_API_KEY: "r" }), "r");
  });

  it("lists every variable it reads, and no module outside config.ts reads process.env for them", () => {
    const source = readFileSync(join(packageRoot(), "src", "config.ts"), "utf8");
    const read = new Set([...source.matchAll(/env\.([A-Z_]+)/g)].map((m) => m[1]!));
    assert.deepEqual([...read].sort(), Object.keys(ENVIRONMENT).sort());
    const names = Object.keys(ENVIRONMENT).join("|");
    const elsewhere = new RegExp(`\\benv(?:\\.|\\[")(${names})\\b`);
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith(".ts") && !file.endsWith(join("src", "config.ts")) && elsewhere.test(readFileSync(file, "utf8"))) offenders.push(file);
      }
    };
    walk(join(packageRoot(), "src"));
    assert.deepEqual(offenders, [], "these read qmath's variables themselves");
  });

  it("knows the package root and version", () => {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8"));
    assert.equal(pkg.name, "qmath");
    assert.equal(version, pkg.version);
  });
});
