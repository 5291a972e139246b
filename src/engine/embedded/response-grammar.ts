/**
 * The grammar that constrains an embedded sample to a response format (OpenAI's JSON mode or a
 * JSON schema), with node-llama-cpp's GBNF grammars: llama.cpp masks every token that would
 * leave the grammar, so the text is JSON (of the schema) from its first token on.
 */
import { LlamaGrammarEvaluationState, type LlamaGrammar, type LlamaModel } from "node-llama-cpp";
import { QmathError } from "../../errors.js";
import type { ResponseFormat } from "../types.js";

/** Grammars of one model by format, built once (compiling a schema's grammar takes a while). */
export class ResponseGrammars {
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();

  constructor(private readonly model: LlamaModel) {}

  /** A fresh evaluation state for one sample (each sample tracks where it is in the grammar). */
  async state(format: ResponseFormat): Promise<LlamaGrammarEvaluationState> {
    return new LlamaGrammarEvaluationState({ model: this.model, grammar: await this.grammar(format) });
  }

  private grammar(format: ResponseFormat): Promise<LlamaGrammar> {
    const key = format.type === "json_object" ? "json_object" : JSON.stringify(format.schema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      const llama = this.model.llama;
      grammar = (format.type === "json_object" ? llama.getGrammarFor("json") : llama.createGrammarForJsonSchema(format.schema as never)).catch((e: unknown) => {
        this.grammars.delete(key);
        throw new QmathError(
          "bad_input",
          `responseFormat's JSON schema${format.type === "json_schema" && format.name ? ` '${format.name}'` : ""} cannot be turned into a grammar (${e instanceof Error ? e.message : String(e)}).`,
          "Use the JSON schema keywords llama.cpp's grammars support: type, properties, required, items, enum, const, anyOf/oneOf, $defs/$ref.",
          { cause: e },
        );
      });
      this.grammars.set(key, grammar);
    }
    return grammar;
  }
}

/**
 * Whether the text is a whole JSON object or array. The grammars let whitespace follow the
 * closing bracket; a sample ends here instead of spending its budget on it.
 */
export function isCompleteJson(text: string): boolean {
  const t = text.trimEnd();
  if (!t.endsWith("}") && !t.endsWith("]")) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}
