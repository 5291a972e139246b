/**
 * Numeric flags: the shared parser (numberFlag), and every numeric flag of every command,
 * found by walking the commands' options. A flag that takes a value is either a numberFlag
 * (with a range) or one of the text flags listed here, so a new numeric flag without a
 * parser fails this test until it gets one.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Option } from "@commander-js/extra-typings";
import { isQmathError } from "../../src/errors.js";
import { parseCommand } from "../../src/cli/command.js";
import { commands } from "../../src/cli/commands.js";
import { describeRange, integerFlag, numberFlag, numberFlagRange, secondsFlag, type NumberFlagRange } from "../../src/cli/number-flag.js";
import { MAX_TIMER_MS } from "../../src/timer-ms.js";
import { assertUserError, runCli } from "../helpers.js";

/** The message a parser gives for `raw`, or undefined when it accepts it. */
function refusal(parse: (raw: string) => number, raw: string): string | undefined {
  try {
    parse(raw);
    return undefined;
  } catch (e) {
    assert.ok(isQmathError(e), `not a QmathError: ${String(e)}`);
    assert.equal(e.code, "bad_input");
    return e.toLine();
  }
}

describe("numberFlag", () => {
  it("takes decimal numbers within the range, and whole numbers only when asked", () => {
    const parse = integerFlag("n", 1, 64);
    assert.equal(parse("1"), 1);
    assert.equal(parse("64"), 64);
    assert.equal(parse("1e1"), 10);
    assert.equal(parse("+7"), 7);
    const t = numberFlag({ name: "temperature", min: 0, max: 2 });
    assert.equal(t("0.7"), 0.7);
    assert.equal(t(".5"), 0.5);
    assert.equal(t("2"), 2);
    assert.ok(Object.is(t("-0"), 0), "-0 is read as 0");
  });

  it("refuses anything else with one line naming the flag, the value and the range", () => {
    const n = integerFlag("n", 1, 64);
    assert.equal(refusal(n, "abc"), "--n must be a whole number from 1 to 64, not 'abc'.");
    for (const bad of ["", " 5", "0x10", "Infinity", "1e999", "NaN", "3.5", "0", "-5", "65", "5abc", "1,000"])
      assert.equal(refusal(n, bad), `--n must be a whole number from 1 to 64, not '${bad}'.`, bad);
    const p = numberFlag({ name: "top-p", min: 0, minExclusive: true, max: 1 });
    assert.equal(refusal(p, "0"), "--top-p must be a number above 0 and at most 1, not '0'.");
    assert.equal(refusal(p, "1.01"), "--top-p must be a number above 0 and at most 1, not '1.01'.");
    assert.equal(refusal(p, "1e-999"), "--top-p must be a number above 0 and at most 1, not '1e-999'.", "underflows to 0");
    const bytes = integerFlag("body-limit", 1, 1024, "bytes");
    assert.equal(refusal(bytes, "2048"), "--body-limit must be a whole number of bytes from 1 to 1024, not '2048'.");
  });

  it("gives durations in seconds a maximum that fits a timer", () => {
    const timeout = secondsFlag("timeout", 86_400);
    assert.equal(timeout("0.25"), 0.25);
    assert.equal(timeout("86400"), 86_400);
    assert.equal(refusal(timeout, "99999999"), "--timeout must be a number of seconds above 0 and at most 86400, not '99999999'.");
    assert.equal(refusal(timeout, "0"), "--timeout must be a number of seconds above 0 and at most 86400, not '0'.");
    // 2^31 ms and more would fire after 1 ms: such a flag cannot be made.
    assert.throws(() => secondsFlag("timeout", 2_147_484), /longer than a timer holds/);
    assert.doesNotThrow(() => secondsFlag("timeout", 2_147_483));
  });

  it("remembers the range of each parser it made, and only of those", () => {
    const parse = integerFlag("k", 1, 8);
    assert.deepEqual(numberFlagRange(parse), { name: "k", integer: true, min: 1, max: 8, unit: undefined });
    assert.equal(numberFlagRange((raw: string) => Number(raw)), undefined);
    assert.equal(numberFlagRange(undefined), undefined);
    assert.throws(() => numberFlag({ name: "x", min: 5, max: 5 }), /not below max/);
  });
});

/** Every flag of any command that takes a text value (a path, a URL, a name, a word, a list). */
const TEXT_FLAGS = new Set([
  "--model",
  "--engine",
  "--base-url",
  "--remote-api-key",
  "--rm-url",
  "--rm-model",
  "--prm-reduce",
  "--select",
  "--mode",
  "--python",
  "--prompt-format",
  "--file",
  "--system",
  "--data",
  "--out",
  "--data-dir",
  "--question-field",
  "--answer-field",
  "--fewshot-file",
  "--from-outputs",
  "--host",
  "--api-key",
  "--api-key-file",
  "--served-model-name",
  "--cors-origin",
  "--sha256",
  "--pred",
  "--gold",
  "--problem",
  "--solution",
  "--reference",
  "--work",
  "--dataset",
]);

interface NumericFlag {
  command: string;
  flag: string;
  attribute: string;
  range: NumberFlagRange;
}

/** Every command's options, from a freshly built command. */
async function commandOptions(): Promise<{ command: string; options: readonly Option[] }[]> {
  return Promise.all(Object.entries(commands).map(async ([command, c]) => ({ command, options: (await c.load()).buildCommand().options })));
}

async function numericFlags(): Promise<NumericFlag[]> {
  const found: NumericFlag[] = [];
  for (const { command, options } of await commandOptions()) {
    for (const o of options) {
      const range = numberFlagRange(o.parseArg);
      if (range) found.push({ command, flag: o.long!, attribute: o.attributeName(), range });
    }
  }
  return found;
}

/** Values outside the range (and not numbers at all), for a flag's range. */
function badValues(r: NumberFlagRange): string[] {
  const values = ["abc", "1e999", "0x10", String(r.minExclusive ? r.min : r.min - 1), String(r.max + 1), String(r.max * 10)];
  if (r.integer) values.push(String(r.min + 0.5));
  return values;
}

/** Parses `args` with a fresh copy of the command; the QmathError line, or the options when accepted. */
async function parse(command: string, args: string[]): Promise<{ line?: string; values?: Record<string, unknown> }> {
  const built = (await commands[command]!.load()).buildCommand();
  try {
    parseCommand(built, args);
  } catch (e) {
    assert.ok(isQmathError(e), `qmath ${command} ${args.join(" ")}: not a QmathError: ${String(e)}`);
    assert.equal(e.code, "bad_input");
    return { line: e.toLine() };
  }
  return { values: built.opts() };
}

describe("every command's numeric flags", () => {
  it("are all numberFlags: each flag that takes a value is a numberFlag or a known text flag", async () => {
    const seenText = new Set<string>();
    for (const { command, options } of await commandOptions()) {
      for (const o of options) {
        if (!o.required && !o.optional) continue; // a switch (--json, --no-download)
        const range = numberFlagRange(o.parseArg);
        if (range) {
          assert.equal(`--${range.name}`, o.long, `qmath ${command} ${o.long}: its parser names --${range.name}`);
          assert.ok(!TEXT_FLAGS.has(o.long!), `qmath ${command} ${o.long} is listed as a text flag`);
        } else {
          assert.ok(TEXT_FLAGS.has(o.long!), `qmath ${command} ${o.flags} takes a value but has no numberFlag parser (and is not a known text flag)`);
          seenText.add(o.long!);
        }
      }
    }
    assert.deepEqual([...TEXT_FLAGS].filter((f) => !seenText.has(f)), [], "text flags listed here that no command has");
  });

  it("have a maximum, and durations fit a timer", async () => {
    const flags = await numericFlags();
    assert.ok(flags.length >= 40, `only ${flags.length} numeric flags found`);
    for (const { command, flag, range } of flags) {
      assert.ok(Number.isFinite(range.max) && Number.isFinite(range.min), `qmath ${command} ${flag}: unbounded`);
      if (range.unit === "seconds") assert.ok(range.max * 1000 <= MAX_TIMER_MS, `qmath ${command} ${flag}: ${range.max} s does not fit a timer`);
      if (range.unit === "milliseconds") assert.ok(range.max <= MAX_TIMER_MS, `qmath ${command} ${flag}: ${range.max} ms does not fit a timer`);
    }
  });

  it("refuse bad values in one line naming the flag, the value and the range, and take the bounds", async () => {
    for (const { command, flag, attribute, range } of await numericFlags()) {
      for (const bad of badValues(range)) {
        const { line } = await parse(command, [flag, bad]);
        assert.equal(line, `${flag} must be ${describeRange(range)}, not '${bad}'.`, `qmath ${command} ${flag} ${bad}`);
        assert.ok(line.includes(String(range.max)), line);
      }
      const lowest = range.minExclusive ? range.min + (range.integer ? 1 : 0.001) : range.min;
      for (const good of [lowest, range.max]) {
        const { line, values } = await parse(command, [flag, String(good)]);
        assert.equal(line, undefined, `qmath ${command} ${flag} ${good}`);
        assert.equal(values![attribute], good, `qmath ${command} ${flag} ${good}`);
      }
    }
  });

  it("exit 2 with that one line from the command line", async () => {
    // The real process for every command and flag: its exit code and stderr.
    for (const { command, flag, range } of await numericFlags()) {
      const bad = String(range.max * 10);
      const r = await runCli([command, flag, bad]);
      assertUserError(r, new RegExp(`^qmath ${command}: ${flag} must be .*${range.max}, not '${bad}'\\.$`));
      assert.doesNotMatch(r.stderr, /Warning/);
    }
  });
});
