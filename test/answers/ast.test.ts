/** The generic tree search: every child field of every node kind is visited, and into limits the descent. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ARITHMETIC_KINDS, children, someNode, type Node } from "../../src/answers/ast.js";
import { fromInt } from "../../src/answers/rational.js";

const leaf = (name: string): Node => ({ k: "sym", name });
const num = (v: number): Node => ({ k: "num", v: fromInt(v), approx: false });

/** One node of every kind with children, each holding a distinct marker symbol in every child field. */
const PARENTS: Node[] = [
  { k: "add", terms: [num(1), leaf("add")] },
  { k: "mul", factors: [num(1), leaf("mul")] },
  { k: "div", num: num(1), den: leaf("den") },
  { k: "div", num: leaf("numer"), den: num(1) },
  { k: "neg", arg: leaf("neg") },
  { k: "pow", base: num(2), exp: leaf("exp") },
  { k: "pow", base: leaf("base"), exp: num(2) },
  { k: "fn", name: "sin", args: [leaf("fn")] },
  { k: "pm", left: null, right: leaf("right") },
  { k: "pm", left: leaf("left"), right: num(1), minus: true },
  { k: "pct", arg: leaf("pct") },
  { k: "deg", arg: leaf("deg") },
  { k: "rel", ops: ["="], parts: [num(1), leaf("rel")] },
  { k: "seq", open: "(", close: ")", items: [num(1), leaf("seq")] },
  { k: "ratio", parts: [num(1), leaf("ratio")] },
  { k: "matrix", rows: [[num(1), num(2)], [num(3), leaf("matrix")]] },
  { k: "setop", op: "cup", parts: [num(1), leaf("setop")] },
] as Node[];

const isSym = (n: Node): boolean => n.k === "sym";

describe("someNode", () => {
  it("finds a match in every child field of every kind", () => {
    for (const p of PARENTS) assert.equal(someNode(p, isSym), true, `${p.k} child not visited`);
  });

  it("finds a match deep in the tree and none where there is none", () => {
    const deep: Node = { k: "rel", ops: ["="], parts: [num(0), { k: "matrix", rows: [[{ k: "pm", left: null, right: { k: "fn", name: "f", args: [leaf("x")] }, minus: false }]] }] };
    assert.equal(someNode(deep, isSym), true);
    const none: Node = { k: "add", terms: [num(1), { k: "text", text: "x" }, { k: "const", name: "pi" }] };
    assert.equal(someNode(none, isSym), false);
  });

  it("tests a node outside into but does not look inside it", () => {
    const inList: Node = { k: "add", terms: [num(1), { k: "seq", open: "", close: "", items: [leaf("x")] }] };
    assert.equal(someNode(inList, isSym, ARITHMETIC_KINDS), false);
    assert.equal(someNode(inList, (n) => n.k === "seq", ARITHMETIC_KINDS), true);
    assert.equal(someNode(inList, isSym, new Set([...ARITHMETIC_KINDS, "seq"])), true);
  });

  it("lists no children for leaves", () => {
    for (const n of [num(1), leaf("x"), { k: "const", name: "e" }, { k: "text", text: "t" }] as Node[]) assert.deepEqual(children(n), []);
  });
});
