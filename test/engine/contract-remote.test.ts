/** The engine contract on the remote engine, against a real `qmath serve` process on the tiny model. */
import { createRemoteEngine } from "../../src/engine/remote/openai-engine.js";
import { requireTinyModel, spawnServe } from "../helpers.js";
import { engineContract } from "./contract.js";

engineContract("remote (qmath serve, tiny model)", async () => {
  const serve = await spawnServe(["--model", requireTinyModel(), "--port", "0", "--threads", "1", "--parallel", "4", "--queue", "64"]);
  try {
    return {
      engine: await createRemoteEngine({ baseUrls: [`${serve.url}/v1`], maxParallel: 4 }),
      conditionsOnContext: true,
      reTokenizes: true,
      dispose: async () => {
        serve.child.kill("SIGTERM");
        if (serve.child.exitCode === null) await new Promise((r) => serve.child.once("exit", r));
      },
    };
  } catch (e) {
    serve.child.kill("SIGKILL");
    throw e;
  }
});
