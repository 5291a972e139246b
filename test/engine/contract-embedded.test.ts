/** The engine contract on the embedded llama.cpp engine, on the tiny random-weight model. */
import { createEmbeddedEngine } from "../../src/engine/embedded/llama-engine.js";
import { requireTinyModel } from "../helpers.js";
import { engineContract } from "./contract.js";

engineContract("embedded llama.cpp (tiny model)", async () => ({
  engine: await createEmbeddedEngine({ modelPath: requireTinyModel(), threads: 1, maxParallel: 4, gpu: false }),
  conditionsOnContext: true,
}));
