/**
 * The replicas of a remote engine: several base URLs serving the same model. Requests go to
 * the replica with the fewest requests in flight; a replica that fails (connection error,
 * timeout, repeated 5xx) is taken out for a cool-down that grows with each failure in a row,
 * then tried again.
 */

export interface Replica {
  /** Base URL without a trailing slash or "/v1", e.g. "http://10.0.0.5:8000". */
  readonly root: string;
  inFlight: number;
  /** performance.now() until which the replica is out; 0 = up. */
  downUntil: number;
  /** Failures in a row (reset by a success). */
  failures: number;
  /** What went wrong last, for error messages. */
  lastError?: string;
}

/** "http://h:8000/v1/" → "http://h:8000". */
function normalizeBaseUrl(url: string): string {
  let u = url.trim().replace(/\/+$/, "");
  if (u.endsWith("/v1")) u = u.slice(0, -3);
  return u.replace(/\/+$/, "");
}

export interface ReplicaPoolOptions {
  /** First cool-down after a failure (default 2000 ms); doubles for each further failure in a row. */
  cooldownMs?: number;
  /** Longest cool-down (default 30000 ms). */
  maxCooldownMs?: number;
}

export class ReplicaPool {
  readonly replicas: Replica[];
  private next = 0;
  private readonly cooldownMs: number;
  private readonly maxCooldownMs: number;

  constructor(urls: readonly string[], options: ReplicaPoolOptions = {}) {
    this.replicas = [...new Set(urls.map(normalizeBaseUrl))].map((root) => ({ root, inFlight: 0, downUntil: 0, failures: 0 }));
    this.cooldownMs = options.cooldownMs ?? 2000;
    this.maxCooldownMs = options.maxCooldownMs ?? 30_000;
  }

  /**
   * The replica for the next attempt: among those up, the one with the fewest requests in
   * flight, preferring replicas this request has not failed on (`avoid`); ties rotate.
   * When every replica is cooling down, the one that comes back first (a probe).
   */
  pick(avoid: ReadonlySet<Replica> = new Set()): Replica {
    const now = performance.now();
    const up = this.replicas.filter((r) => r.downUntil <= now);
    const fresh = up.filter((r) => !avoid.has(r));
    const candidates = fresh.length > 0 ? fresh : up;
    if (candidates.length === 0) return this.replicas.reduce((a, b) => (b.downUntil < a.downUntil ? b : a));
    const start = this.next++ % this.replicas.length;
    let best: Replica | undefined;
    for (let k = 0; k < this.replicas.length; k++) {
      const r = this.replicas[(start + k) % this.replicas.length]!;
      if (candidates.includes(r) && (best === undefined || r.inFlight < best.inFlight)) best = r;
    }
    return best!;
  }

  /** Whether any replica is up now. */
  anyUp(): boolean {
    const now = performance.now();
    return this.replicas.some((r) => r.downUntil <= now);
  }

  succeeded(r: Replica): void {
    r.failures = 0;
    r.downUntil = 0;
  }

  /** Records a failure; `takeOut` puts the replica in cool-down at once (otherwise after two failures in a row). */
  failed(r: Replica, reason: string, takeOut: boolean): void {
    r.failures++;
    r.lastError = reason;
    if (takeOut || r.failures >= 2) {
      const cooldown = Math.min(this.maxCooldownMs, this.cooldownMs * 2 ** Math.max(0, r.failures - 1));
      r.downUntil = performance.now() + cooldown;
    }
  }

  /** "http://a (connection refused); http://b (HTTP 500: ...)". */
  describe(): string {
    return this.replicas.map((r) => `${r.root} (${r.lastError ?? "no answer"})`).join("; ");
  }
}
