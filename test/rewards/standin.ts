/**
 * A stand-in for vLLM's Pooling API (POST /pooling), which cannot run here: it speaks the
 * request/response schema of vLLM's protocol (PoolingCompletionRequest -> PoolingResponse),
 * records every request, and answers from a function of the input text.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";

export interface PoolingRequestBody {
  model?: string;
  input: string | string[];
  [key: string]: unknown;
}

export interface StandIn {
  url: string;
  requests: { path: string; headers: IncomingMessage["headers"]; body: PoolingRequestBody }[];
  close(): Promise<void>;
}

/** How the stand-in answers: pooled data per input, or a whole raw reply. */
export type Behaviour =
  | { kind: "pool"; model: string; pooled: (input: string) => unknown }
  | { kind: "raw"; status: number; body: string };

export async function startStandIn(behaviour: Behaviour): Promise<StandIn> {
  const requests: StandIn["requests"] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (d: Buffer) => (raw += d.toString()));
    req.on("end", () => {
      const body = (raw ? JSON.parse(raw) : {}) as PoolingRequestBody;
      requests.push({ path: req.url ?? "", headers: req.headers, body });
      const send = (status: number, text: string) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(text);
      };
      if (behaviour.kind === "raw") return send(behaviour.status, behaviour.body);
      if (req.method !== "POST" || req.url !== "/pooling") return send(404, JSON.stringify({ detail: "Not Found" }));
      if (body.model !== undefined && body.model !== behaviour.model)
        return send(404, JSON.stringify({ error: { message: `The model \`${body.model}\` does not exist.`, type: "NotFoundError", param: null, code: 404 } }));
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      send(
        200,
        JSON.stringify({
          id: "pool-standin",
          object: "list",
          created: 1_700_000_000,
          model: behaviour.model,
          data: inputs.map((input, index) => ({ index, object: "pooling", data: behaviour.pooled(input) })),
          usage: { prompt_tokens: 10 * inputs.length, total_tokens: 10 * inputs.length, completion_tokens: 0, prompt_tokens_details: null },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
