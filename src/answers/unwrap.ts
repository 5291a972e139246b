/**
 * A prediction still wrapped in its box: "\boxed{5}", "$\boxed{5}$", "x = \fbox{5}". Every
 * closed \boxed{...} / \fbox{...} / \framebox[...]{...} is replaced by its content.
 */

/** Boxes unwrapped per answer at most: each costs a scan of its content. */
const MAX_BOXES = 16;

const BOX = /\\(?:boxed|fbox|framebox)\s*(?:\[[^\]{}]{0,64}\]\s*)?\{/g;

/** The text with every closed box replaced by its content (an unclosed box is left as it is). */
export function unwrapBoxes(s: string): string {
  if (!s.includes("box")) return s;
  const cuts: [number, number][] = []; // [start, end) ranges to drop: each "\boxed{" and its "}"
  BOX.lastIndex = 0;
  for (let m = BOX.exec(s); m && cuts.length < 2 * MAX_BOXES; m = BOX.exec(s)) {
    const open = m.index + m[0].length;
    const close = closingBrace(s, open);
    if (close < 0) break;
    cuts.push([m.index, open], [close, close + 1]);
    BOX.lastIndex = open; // boxes nested in this one are unwrapped too
  }
  if (cuts.length === 0) return s;
  cuts.sort((a, b) => a[0] - b[0]);
  let out = "";
  let at = 0;
  for (const [start, end] of cuts) {
    out += s.slice(at, start);
    at = end;
  }
  return out + s.slice(at);
}

/** Index of the brace closing the group whose content starts at `start`, or -1. */
function closingBrace(s: string, start: number): number {
  let depth = 1;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}
