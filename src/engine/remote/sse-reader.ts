/**
 * Server-sent events as OpenAI-compatible servers stream them: "data: {json}" events separated
 * by a blank line, ending with "data: [DONE]". Comment lines (": ping") and other fields are
 * ignored; an event's data lines are joined with "\n".
 */

/** Yields the data of each event in the stream; stops at "[DONE]" or the end of the body. */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = body.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let boundary: number;
      while ((boundary = eventEnd(buffer)) >= 0) {
        const event = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary).replace(/^(\r?\n){2}/, "");
        const data = eventData(event);
        if (data === undefined) continue;
        if (data === "[DONE]") return;
        yield data;
      }
    }
    buffer += decoder.decode();
    const data = eventData(buffer);
    if (data !== undefined && data !== "[DONE]") yield data;
  } finally {
    // Leaving early (a stop string found client-side, an abort) cancels the response body.
    reader.cancel().catch(() => {});
  }
}

/** Index of the blank line that ends the first event, or -1. */
function eventEnd(buffer: string): number {
  const lf = buffer.indexOf("\n\n");
  const crlf = buffer.indexOf("\r\n\r\n");
  if (lf < 0) return crlf;
  if (crlf < 0) return lf;
  return Math.min(lf, crlf);
}

function eventData(event: string): string | undefined {
  const lines: string[] = [];
  for (const line of event.split(/\r?\n/)) {
    if (line.startsWith("data:")) lines.push(line.slice(line.startsWith("data: ") ? 6 : 5));
  }
  return lines.length > 0 ? lines.join("\n") : undefined;
}
