/**
 * The tiny model with the real Qwen2.5 vocabulary, loaded straight through node-llama-cpp,
 * with the reference tokenizer beside it: what the tokenization tests compare.
 */
import { getLlama, LlamaLogLevel, type Llama, type LlamaModel } from "node-llama-cpp";
import { requireTinyQwen25Model } from "../helpers.js";
import { ReferenceTokenizer } from "./reference-tokenizer.js";

export interface Qwen25Model {
  model: LlamaModel;
  ref: ReferenceTokenizer;
  dispose(): Promise<void>;
}

/** Loads the model (only its vocabulary unless `weights`) on one CPU thread, and the reference tokenizer. */
export async function loadQwen25Model(options: { weights?: boolean } = {}): Promise<Qwen25Model> {
  const llama: Llama = await getLlama({ build: "never", gpu: false, maxThreads: 1, logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: requireTinyQwen25Model(), ...(options.weights ? { useMmap: false } : { vocabOnly: true }) });
  return {
    model,
    ref: new ReferenceTokenizer(),
    async dispose() {
      await model.dispose();
      await llama.dispose();
    },
  };
}
