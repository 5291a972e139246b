/**
 * Byte-level BPE in the GPT-2 / Qwen2 style, as llama.cpp expects for tokenizer.ggml.model
 * "gpt2": every token is written in GPT-2's byte-to-unicode form, merges are "left right"
 * strings ranked by their position, and text is split by the Qwen2 pre-tokenizer regex
 * before merges apply.
 */

/**
 * GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the other 68
 * bytes (controls, space, ...) map to U+0100 onwards, so no token contains a raw space.
 * Returned in GPT-2's order (printable ones first), which is also the token-id order of
 * the 256 byte tokens in GPT-2 and Qwen vocabularies.
 */
export function gpt2ByteOrder(): { byte: number; char: string }[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const result = printable.map((byte) => ({ byte, char: String.fromCodePoint(byte) }));
  let next = 0;
  for (let byte = 0; byte < 256; byte++) {
    if (!printable.includes(byte)) result.push({ byte, char: String.fromCodePoint(256 + next++) });
  }
  return result;
}

const byteToChar: string[] = (() => {
  const table = new Array<string>(256);
  for (const { byte, char } of gpt2ByteOrder()) table[byte] = char;
  return table;
})();

/** Text → its UTF-8 bytes written as byte-level characters ("a b" → "aĠb"). */
export function toByteLevel(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) out += byteToChar[byte];
  return out;
}

/** llama.cpp's LLAMA_VOCAB_PRE_TYPE_QWEN2 split regex (digits split one by one). */
const QWEN2_PRETOKENIZER =
  /(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

export function pretokenize(text: string): string[] {
  return text.match(QWEN2_PRETOKENIZER) ?? [];
}

/**
 * Learns up to maxMerges merges from text: repeatedly joins the most frequent adjacent pair
 * (ties: the pair seen first), stopping when no pair occurs at least minCount times.
 * Returns [left, right] pairs in rank order; left + right is the new token.
 */
export function trainBpe(text: string, maxMerges: number, minCount = 2): [string, string][] {
  const wordCounts = new Map<string, number>();
  for (const piece of pretokenize(text)) {
    const word = toByteLevel(piece);
    wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
  }
  const words = [...wordCounts].map(([word, count]) => ({ symbols: [...word], count }));

  const merges: [string, string][] = [];
  while (merges.length < maxMerges) {
    const pairCounts = new Map<string, number>();
    for (const { symbols, count } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]} ${symbols[i + 1]}`;
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + count);
      }
    }
    let bestKey = "";
    let bestCount = 0;
    for (const [key, count] of pairCounts) {
      if (count > bestCount) {
        bestKey = key;
        bestCount = count;
      }
    }
    if (bestCount < minCount) break;

    const [left, right] = bestKey.split(" ") as [string, string];
    merges.push([left, right]);
    for (const word of words) word.symbols = applyMerge(word.symbols, left, right);
  }
  return merges;
}

function applyMerge(symbols: string[], left: string, right: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (symbols[i] === left && symbols[i + 1] === right) {
      out.push(left + right);
      i++;
    } else {
      out.push(symbols[i]!);
    }
  }
  return out;
}
