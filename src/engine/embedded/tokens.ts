/**
 * Text to tokens as the model's own tokenizer (Hugging Face tokenizers, as the Qwen models were
 * trained and evaluated with) makes them, on llama.cpp's tokenizer:
 * - Text is NFC-normalized first: Qwen2's tokenizer.json normalizes every text to NFC, llama.cpp
 *   does not, so "e" + U+0301 would otherwise become other tokens than "é".
 * - Special-token strings are special tokens only in the parts of a prompt the chat template
 *   marked special; in all other text (and in appended text) they stay plain text, so a user
 *   cannot open or close turns by typing them. (llama.cpp still matches USER_DEFINED added tokens
 *   such as <tool_call> in plain text, as the model's tokenizer does.)
 * - Adjacent plain parts are tokenized as one text: the model's tokenizer sees the template's
 *   "user\n" and the message after it as one piece of text.
 * - Text appended to a sample is tokenized together with the end of what the sample holds (see
 *   retokenizeJoin), as a fresh tokenization of the whole text would cut it.
 */
import type { LlamaModel, Token } from "node-llama-cpp";
import type { Prompt } from "../types.js";

export function tokenizeText(model: LlamaModel, text: string, special: boolean): Token[] {
  return model.tokenize(text.normalize("NFC"), special);
}

/** The prompt's tokens, and how many of them are fixed: the ones up to the end of the last special part. */
export function tokenizePrompt(model: LlamaModel, prompt: Prompt): { tokens: Token[]; fixed: number } {
  if (typeof prompt === "string") {
    const tokens = tokenizeText(model, prompt, true);
    return { tokens, fixed: lastSpecialEnd(model, tokens) };
  }
  const tokens: Token[] = [];
  let fixed = 0;
  let run = "";
  let runSpecial = false;
  const flush = () => {
    if (run) tokens.push(...tokenizeText(model, run, runSpecial));
    if (runSpecial) fixed = tokens.length;
    run = "";
  };
  for (const part of prompt) {
    const special = part.special === true;
    if (special !== runSpecial) flush();
    runSpecial = special;
    run += part.text;
  }
  flush();
  return { tokens, fixed };
}

/** The index after the last special (control or end-of-generation) token, 0 if there is none. */
export function lastSpecialEnd(model: LlamaModel, tokens: readonly Token[], from = 0): number {
  for (let i = tokens.length - 1; i >= from; i--) if (model.isSpecialToken(tokens[i])) return i + 1;
  return from;
}

/** Most trailing tokens a join re-tokenizes. */
const JOIN_WINDOW = 8;
/** Tokens of left context that decide whether a window starts where a whole-text tokenization would cut. */
const LEFT_CONTEXT = 3;
/** Characters after a cut that decide whether it stays (the pre-tokenizer looks one character ahead). */
const RIGHT_CONTEXT = 64;

/**
 * Appending `text` to a sample that holds `tokens`: the tokens to keep and the tokens that
 * follow them, such that the end of the sample and the text are tokenized together, as a
 * tokenization of the whole text would (the model's tokenizer sees "```" + "\n```output" as
 * "```\n" + "```output", not "```" + "\n" + "```output").
 *
 * The last k tokens (k = 1, 2, ... up to JOIN_WINDOW, never reaching into `fixed`) are joined
 * with the text and tokenized again, for the smallest k whose window starts at a cut that a
 * whole-text tokenization keeps: with a few tokens of left context before the window, the
 * re-tokenized text still has a token boundary there. Tokens before the window are kept as the
 * model generated them (a full re-tokenization could change them and would cost re-evaluating
 * them). Windows whose text starts inside a multi-byte character are skipped. When no window
 * qualifies the text is tokenized alone.
 */
export function retokenizeJoin(model: LlamaModel, tokens: readonly Token[], fixed: number, text: string): { keep: number; tail: Token[] } {
  // Never across a special token (the model's tokenizer cuts text there) or into the prompt's
  // template; where the window reaches one of those, the cut before it is certain.
  const scanFrom = Math.max(fixed, tokens.length - JOIN_WINDOW - LEFT_CONTEXT);
  const floor = lastSpecialEnd(model, tokens, scanFrom);
  const certainCut = floor > scanFrom || floor === fixed ? floor : -1;
  for (let k = 1; k <= JOIN_WINDOW && tokens.length - k >= floor; k++) {
    const start = tokens.length - k;
    const windowText = model.detokenize(tokens.slice(start), false);
    if (windowText === "" || windowText.startsWith("\uFFFD")) continue;
    const left = tokens.slice(Math.max(floor, start - LEFT_CONTEXT), start);
    if (start !== certainCut && !cutKept(model, left, (windowText + text).slice(0, RIGHT_CONTEXT))) continue;
    return { keep: start, tail: tokenizeText(model, windowText + text, false) };
  }
  return { keep: tokens.length, tail: tokenizeText(model, text, false) };
}

/** Whether tokenizing left's text followed by `rest` puts a token boundary exactly after left's text. */
function cutKept(model: LlamaModel, left: Token[], rest: string): boolean {
  const leftText = model.detokenize(left, false).normalize("NFC");
  if (leftText.includes("\uFFFD")) return false;
  const whole = tokenizeText(model, leftText + rest, false);
  for (let i = 1; i <= whole.length; i++) {
    const prefix = model.detokenize(whole.slice(0, i), false);
    if (prefix === leftText) return true;
    // Past the left text (a prefix that ends inside a character is a U+FFFD longer at most).
    if (prefix.length > leftText.length + 1) return false;
  }
  return false;
}
