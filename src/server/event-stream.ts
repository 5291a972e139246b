/** Server-sent events on a raw response: the chunk format OpenAI's streaming APIs use. */
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { FastifyReply } from "fastify";

export class EventStream {
  private readonly res: ServerResponse;

  /**
   * Takes over a reply (hijacked: Fastify sends nothing more). The headers already set on it
   * (CORS, by the hook that runs before every route) go out with the stream's own.
   */
  constructor(reply: FastifyReply) {
    reply.hijack();
    this.res = reply.raw;
    this.res.writeHead(200, {
      ...(reply.getHeaders() as OutgoingHttpHeaders),
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
  }

  get closed(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }

  /** One event; named (`event:`) as the Responses API names its events, unnamed as chat chunks are. */
  send(data: unknown, event?: string): void {
    if (!this.closed) this.res.write(`${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends the stream; the chat and completions APIs end theirs with `data: [DONE]`, the Responses API without. */
  end(done = true): void {
    if (!this.closed) this.res.end(done ? "data: [DONE]\n\n" : undefined);
  }
}
