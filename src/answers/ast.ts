/** The expression tree shared by the parser, the evaluator and the comparison. */
import type { Rat } from "./rational.js";

export type RelOp = "=" | "<" | "<=" | ">" | ">=" | "!=" | "in" | "approx";

export type Node =
  /**
   * A number literal, exact; approx is true for a decimal literal (a rounded value), and
   * places is then the decimal places it shows (2 for 3.14, -400 for 1e400).
   */
  | { k: "num"; v: Rat; approx: boolean; places?: number }
  | { k: "sym"; name: string }
  | { k: "const"; name: "pi" | "e" | "i" | "inf" }
  | { k: "add"; terms: Node[] }
  | { k: "mul"; factors: Node[] }
  | { k: "div"; num: Node; den: Node }
  | { k: "neg"; arg: Node }
  | { k: "pow"; base: Node; exp: Node }
  /** Functions: sqrt, root (args x, n), sin..., log (args x, base?), abs, floor, ceil, fact, binom, ... */
  | { k: "fn"; name: string; args: Node[] }
  /** left ± right (left null for a leading ±); minus is true for ∓. */
  | { k: "pm"; left: Node | null; right: Node; minus: boolean }
  | { k: "pct"; arg: Node }
  | { k: "deg"; arg: Node }
  | { k: "rel"; ops: RelOp[]; parts: Node[] }
  /** A comma list: open/close are the brackets ("" for none), e.g. "(" "]" for a half-open interval. */
  | { k: "seq"; open: string; close: string; items: Node[] }
  | { k: "ratio"; parts: Node[] }
  | { k: "matrix"; rows: Node[][] }
  | { k: "setop"; op: "cup" | "cap" | "setminus"; parts: Node[] }
  | { k: "text"; text: string };
