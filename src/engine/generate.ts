/**
 * Plain generation on top of the Engine interface: open N samples, run each to the end of
 * its first segment, close them. Requests for more samples than the engine runs at once go
 * in waves.
 */
import type { Engine, OpenRequest, Sample, Segment, Usage } from "./types.js";

export interface GeneratedSample {
  index: number;
  text: string;
  finishReason: Segment["finishReason"];
  stop?: string;
  usage: Usage;
}

export interface GenerateAllOptions extends OpenRequest {
  /** Streamed text of each sample, by sample index. */
  onText?: (index: number, delta: string) => void;
}

/** Runs `run` on every sample of an opened request and always closes the samples. */
export async function withSamples<T>(engine: Engine, request: OpenRequest, run: (sample: Sample) => Promise<T>): Promise<T[]> {
  const samples = await engine.open(request);
  try {
    return await Promise.all(samples.map(run));
  } finally {
    await Promise.all(samples.map((s) => s.close()));
  }
}

export async function generateAll(engine: Engine, options: GenerateAllOptions): Promise<GeneratedSample[]> {
  const total = options.n ?? 1;
  const results: GeneratedSample[] = [];
  for (let first = 0; first < total; first += engine.info.maxParallel) {
    const n = Math.min(engine.info.maxParallel, total - first);
    const seed = options.seed === undefined ? undefined : options.seed + first;
    const wave = await withSamples(engine, { ...options, n, seed }, async (sample) => {
      const index = first + sample.index;
      const segment = await sample.generate({ onText: options.onText && ((d) => options.onText!(index, d)) });
      const result: GeneratedSample = { index, text: sample.text, finishReason: segment.finishReason, usage: sample.usage };
      if (segment.stop !== undefined) result.stop = segment.stop;
      return result;
    });
    results.push(...wave);
  }
  return results;
}
