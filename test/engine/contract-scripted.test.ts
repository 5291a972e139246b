/**
 * The engine contract on the scripted engine. Its scripts are noise drawn from the sample's
 * seed (or its index without one), the way a sampling model's text depends on its seed.
 */
import { createScriptedEngine } from "../../src/engine/scripted.js";
import { engineContract } from "./contract.js";

const WORDS = ["the", "sum", "is", "x", "=", "\\frac{1}{2}", "so", "we", "get", "\n", "55", "+", "then", "step", "(", ")", "answer"];

/** A script of 40 to 120 words, the same for the same key. */
function noise(key: number): string {
  let state = (key * 2654435761 + 12345) >>> 0;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const length = 40 + Math.floor(next() * 80);
  return Array.from({ length }, () => WORDS[Math.floor(next() * WORDS.length)]!).join(" ");
}

engineContract("scripted", async () => ({
  engine: createScriptedEngine({ scripts: (_prompt, index, seed) => noise(seed ?? 1_000_000 + index), maxParallel: 4 }),
  conditionsOnContext: false,
}));
