/** The src/ folder boundaries of eslint.config.js fire where the README's design section says they do. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ESLint } from "eslint";
import { repoRoot } from "../helpers.js";

const eslint = new ESLint({ cwd: repoRoot });

/** The no-restricted-imports messages for one import line placed in a file at `filePath`. */
async function violations(filePath: string, importLine: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${importLine}\nexport const used = x;\n`, { filePath });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("src/ boundaries", () => {
  it("answers/ is pure: it may not import the engine, the server or the CLI", async () => {
    assert.match((await violations("src/answers/new.ts", 'import { x } from "../engine/types.js";'))[0] ?? "", /src\/answers\/ may not import src\/engine\//);
    assert.equal((await violations("src/answers/new.ts", 'import { x } from "../cli/main.js";')).length, 1);
    assert.deepEqual(await violations("src/answers/new.ts", 'import { x } from "../errors.js";'), []);
    assert.deepEqual(await violations("src/answers/new.ts", 'import { x } from "./parser.js";'), []);
  });

  it("the pipeline never reaches up into the server or the CLI; the server never into the CLI", async () => {
    assert.equal((await violations("src/solve/new.ts", 'import { x } from "../server/app.js";')).length, 1);
    assert.equal((await violations("src/eval/new.ts", 'import { x } from "../cli/flags.js";')).length, 1);
    assert.equal((await violations("src/server/new.ts", 'import { x } from "../cli/flags.js";')).length, 1);
    assert.deepEqual(await violations("src/server/new.ts", 'import { x } from "../solve/solve.js";'), []);
    assert.deepEqual(await violations("src/cli/new.ts", 'import { x } from "../server/app.js";'), []);
  });

  it("lower rooms do not import higher ones: select/ not solve/, solve/ not eval/, tir/ not answers/", async () => {
    assert.equal((await violations("src/select/new.ts", 'import { x } from "../solve/solve.js";')).length, 1);
    assert.equal((await violations("src/solve/new.ts", 'import { x } from "../eval/runner.js";')).length, 1);
    assert.equal((await violations("src/tir/new.ts", 'import { x } from "../answers/extract.js";')).length, 1);
    assert.deepEqual(await violations("src/tir/new.ts", 'import { x } from "../engine/types.js";'), []);
  });

  it("engine implementations do not import each other, and keep the engine folder's boundary", async () => {
    assert.match((await violations("src/engine/remote/new.ts", 'import { x } from "../embedded/llama-engine.js";'))[0] ?? "", /do not import each other/);
    assert.equal((await violations("src/engine/embedded/new.ts", 'import { x } from "../scripted.js";')).length, 1);
    assert.equal((await violations("src/engine/scripted.ts", 'import { x } from "./remote/client.js";')).length, 1);
    assert.equal((await violations("src/engine/embedded/new.ts", 'import { x } from "../../solve/solve.js";')).length, 1);
    assert.deepEqual(await violations("src/engine/embedded/new.ts", 'import { x } from "../types.js";'), []);
  });
});
