/** qmath hint end to end on the tiny model: one labelled hint (text or JSON), the work checked first, bad usage refused. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { assertUserError, requireTinyModel, runCli } from "../helpers.js";

describe("qmath hint", () => {
  it("prints one hint, labelled as the model's, and checks the student's work first", async () => {
    const model = requireTinyModel();
    const dir = mkdtempSync(join(tmpdir(), "qmath-hint-"));
    const work = join(dir, "work.txt");
    writeFileSync(work, "$2x + 3 = 11$\n$2x = 14$");
    const r = await runCli(["hint", "--model", model, "--max-tokens", "6", "-n", "2", "--level", "2", "--work", work, "Solve $2x + 3 = 11$."]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Your work: step 2 is wrong: from \$2x \+ 3 = 11\$ this step gets \$2x = 14\$/);
    assert.match(r.stdout, /Hint 2 of 3 \(written by the model .*, checked not to give the answer away/);
    const json = await runCli(["hint", "--model", model, "--max-tokens", "6", "-n", "1", "--json", "Solve $2x + 3 = 11$."]);
    assert.equal(json.code, 0, json.stderr);
    const h = JSON.parse(json.stdout) as { level: number; by: string; attempts: number; cut: boolean; text: string };
    assert.equal(h.level, 1);
    assert.equal(h.by, "model");
    assert.equal(typeof h.text, "string");
  });

  it("refuses a level outside 1 to 3 and a missing work file", async () => {
    assertUserError(await runCli(["hint", "--level", "4", "p"]), /--level/);
    assertUserError(await runCli(["hint", "--model", requireTinyModel(), "--work", "/nonexistent/work.txt", "p"]), /Cannot read the work file/);
  });
});
