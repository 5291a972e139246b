/**
 * Running N samples on top of the Engine interface: open them, run each (plain generation,
 * or a TIR loop), close them. Requests for more samples than the engine runs at once go in
 * waves; sample i always gets seed + i.
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

/** Runs `run` on `request.n` samples, in waves of at most the engine's parallelism; `index` counts across waves. */
export async function runWaves<T>(engine: Engine, request: OpenRequest, run: (sample: Sample, index: number) => Promise<T>): Promise<T[]> {
  const total = request.n ?? 1;
  const results: T[] = [];
  for (let first = 0; first < total; first += engine.info.maxParallel) {
    if (first > 0 && request.signal?.aborted) break; // stopped early: no more waves
    const n = Math.min(engine.info.maxParallel, total - first);
    const seed = request.seed === undefined ? undefined : request.seed + first;
    results.push(...(await withSamples(engine, { ...request, n, seed }, (sample) => run(sample, first + sample.index))));
  }
  return results;
}

/** Plain generation: each sample runs to the end of its first segment. */
export function generateAll(engine: Engine, options: GenerateAllOptions): Promise<GeneratedSample[]> {
  return runWaves(engine, options, async (sample, index) => {
    const segment = await sample.generate({ onText: options.onText && ((d) => options.onText!(index, d)) });
    const result: GeneratedSample = { index, text: sample.text, finishReason: segment.finishReason, usage: sample.usage };
    if (segment.stop !== undefined) result.stop = segment.stop;
    return result;
  });
}
