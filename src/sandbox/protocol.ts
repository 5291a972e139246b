/**
 * Frames between Node and the Python worker: a big-endian u32 payload length, a big-endian
 * u32 session id (0 = the worker itself), then the payload, UTF-8 JSON. Frames an
 * interpreter wrote come with FROM_INTERPRETER set in the session id: the worker sets it,
 * so model code can never make its frames look like the worker's own.
 */

const HEADER_BYTES = 8;
const FROM_INTERPRETER = 0x80000000;
/** Largest frame accepted from the worker (its children's frames are capped at 16 MiB there). */
const MAX_FRAME_BYTES = 32 << 20;

export function encodeFrame(sid: number, message: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(message), "utf8");
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(payload.length, 0);
  header.writeUInt32BE(sid, 4);
  return Buffer.concat([header, payload]);
}

export interface Frame {
  sid: number;
  /** The worker's own frame, or one an interpreter wrote (untrusted: model code can forge it). */
  fromInterpreter: boolean;
  /** The payload, unparsed. */
  text: string;
}

/** Accumulates stream chunks and yields complete frames. Throws on an oversized frame. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    while (this.buffered >= HEADER_BYTES) {
      const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      this.chunks = [buf];
      const length = buf.readUInt32BE(0);
      if (length > MAX_FRAME_BYTES) throw new Error(`frame of ${length} bytes from the sandbox worker`);
      if (buf.length < HEADER_BYTES + length) break;
      const rawSid = buf.readUInt32BE(4);
      const text = buf.toString("utf8", HEADER_BYTES, HEADER_BYTES + length);
      const rest = buf.subarray(HEADER_BYTES + length);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
      frames.push({ sid: (rawSid & ~FROM_INTERPRETER) >>> 0, fromInterpreter: (rawSid & FROM_INTERPRETER) !== 0, text });
    }
    return frames;
  }
}
