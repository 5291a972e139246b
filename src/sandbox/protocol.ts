/**
 * Frames between Node and the Python worker: a big-endian u32 payload length, a big-endian
 * u32 session id (0 = the worker itself), then the payload, UTF-8 JSON.
 */

const HEADER_BYTES = 8;
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
  message: unknown;
}

/** Accumulates stream chunks and yields complete frames. Throws on an oversized or invalid frame. */
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
      const sid = buf.readUInt32BE(4);
      const text = buf.toString("utf8", HEADER_BYTES, HEADER_BYTES + length);
      const rest = buf.subarray(HEADER_BYTES + length);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
      frames.push({ sid, message: JSON.parse(text) as unknown });
    }
    return frames;
  }
}
