/** The hardened Python sandbox for tool-integrated reasoning (see sandbox.ts). */
export { createSandbox, runCell, Sandbox, SandboxSession } from "./sandbox.js";
export { truncateMiddle } from "./format.js";
export type { CellResult, CellStatus, Isolation, CellOptions, SandboxOptions } from "./types.js";
