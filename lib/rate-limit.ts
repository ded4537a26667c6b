// Token buckets keyed by client (and tool). Each key refills at `perMinute / 60` tokens a second up
// to `burst`; an empty bucket says how long until the next token.
export interface RateDecision {
  ok: boolean;
  /** Whole seconds until a call would pass (HTTP's Retry-After); 0 when ok. */
  retryAfterSeconds: number;
  /** Milliseconds until a call would pass, for a program that waits exactly that long; 0 when ok. */
  retryAfterMs: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Takes one token if there is one. */
  take(key: string, perMinute: number, burst: number): RateDecision {
    return this.decide(key, perMinute, burst, true);
  }

  /** Whether a token is available, without taking it. */
  check(key: string, perMinute: number, burst: number): RateDecision {
    return this.decide(key, perMinute, burst, false);
  }

  /** Gives back a token taken for something that turned out not to count. */
  refund(key: string, burst: number): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(burst, bucket.tokens + 1);
  }

  private decide(key: string, perMinute: number, burst: number, consume: boolean): RateDecision {
    const now = this.now();
    const rate = perMinute / 60_000; // tokens per ms
    const bucket = this.buckets.get(key) ?? { tokens: burst, updated: now };
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updated) * rate);
    bucket.updated = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.prune(now, rate, burst);
    if (bucket.tokens >= 1) {
      if (consume) bucket.tokens -= 1;
      return { ok: true, retryAfterSeconds: 0, retryAfterMs: 0 };
    }
    const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
    return { ok: false, retryAfterSeconds: Math.ceil(wait / 1000), retryAfterMs: wait };
  }

  // Full buckets carry no information; drop them so the map cannot grow without bound.
  private prune(now: number, rate: number, burst: number): void {
    for (const [key, b] of this.buckets) if (b.tokens + (now - b.updated) * rate >= burst) this.buckets.delete(key);
  }
}
