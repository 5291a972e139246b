/**
 * Finds stop strings in streamed text. Text that could still turn out to be the start of
 * a stop string is held back, so callers never stream text that a stop would cut.
 */
export interface ScanResult {
  /** Text safe to emit now. */
  emit: string;
  /** The stop string that fired, if any; nothing after it is emitted. */
  stop?: string;
}

export class StopScanner {
  private pending = "";
  private readonly stops: string[];

  constructor(stops: readonly string[]) {
    this.stops = stops.filter((s) => s.length > 0);
  }

  push(delta: string): ScanResult {
    const buffer = this.pending + delta;
    let firstIndex = -1;
    let firstStop: string | undefined;
    for (const stop of this.stops) {
      const i = buffer.indexOf(stop);
      if (i >= 0 && (firstIndex < 0 || i < firstIndex)) {
        firstIndex = i;
        firstStop = stop;
      }
    }
    if (firstStop !== undefined) {
      this.pending = "";
      return { emit: buffer.slice(0, firstIndex), stop: firstStop };
    }
    const hold = this.heldSuffixLength(buffer);
    this.pending = buffer.slice(buffer.length - hold);
    return { emit: buffer.slice(0, buffer.length - hold) };
  }

  /** push(), handing the text safe to emit to `emit`; returns the stop string that fired, if any. */
  feed(delta: string, emit: (text: string) => void): string | undefined {
    const scan = this.push(delta);
    emit(scan.emit);
    return scan.stop;
  }

  /** Releases held-back text (generation ended without a stop). */
  flush(): string {
    const rest = this.pending;
    this.pending = "";
    return rest;
  }

  /** Length of the longest suffix of `buffer` that is a proper prefix of some stop string. */
  private heldSuffixLength(buffer: string): number {
    let best = 0;
    for (const stop of this.stops) {
      for (let len = Math.min(stop.length - 1, buffer.length); len > best; len--) {
        if (buffer.endsWith(stop.slice(0, len))) {
          best = len;
          break;
        }
      }
    }
    return best;
  }
}
