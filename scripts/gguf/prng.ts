/**
 * A seeded, fast PRNG: xoshiro128** (Blackman & Vigna) seeded through splitmix32. Same seed,
 * same stream, on every platform; fills large buffers at a few hundred MB/s.
 */

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over a string's UTF-16 code units: a stable 32-bit hash for deriving seeds. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** seed: any integer; stream: mixes in a second value (e.g. a tensor-name hash). */
  constructor(seed: number, stream = 0) {
    const next = splitmix32((seed ^ Math.imul(stream, 0x27d4eb2d)) >>> 0);
    next(); // decorrelate nearby seeds
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Fills out with 32-bit random words; the hot loop keeps the state in locals. */
  fillUint32(out: Uint32Array): void {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let i = 0; i < out.length; i++) {
      const r = Math.imul(s1, 5);
      out[i] = Math.imul((r << 7) | (r >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** Fills out with random bytes (word order as laid out by a little-endian host). */
  fillBytes(out: Uint8Array): void {
    const words = Math.floor(out.length / 4);
    if (out.byteOffset % 4 === 0 && words > 0) {
      this.fillUint32(new Uint32Array(out.buffer, out.byteOffset, words));
    } else {
      for (let i = 0; i < words * 4; i++) out[i] = this.nextUint32() & 0xff;
    }
    for (let i = words * 4; i < out.length; i++) out[i] = this.nextUint32() & 0xff;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
