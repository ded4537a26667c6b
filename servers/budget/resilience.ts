// Retries and circuit breakers, per provider+model, with cockatiel — the one retry loop (every SDK
// has its own retries turned off). Backoff is exponential with jitter, except that a provider's
// Retry-After is obeyed; a Retry-After longer than the configured maximum moves on to the next
// model instead. A breaker opens after consecutive failures and lets one probe through once its
// half-open delay has passed; a success closes it. cockatiel loads with the first model call, not
// before tools/list.
import { createRequire } from 'node:module';

import type * as Cockatiel from 'cockatiel';
import type { CircuitBreakerPolicy, IBackoff, IBackoffFactory, IRetryBackoffContext } from 'cockatiel';

import { ProviderFailure } from './providers/provider.js';

const requireFromHere = createRequire(import.meta.url);

export interface ResilienceSettings {
  retry: { attempts: number; initialDelayMs: number; maxDelayMs: number; maxRetryAfterMs: number };
  breaker: { failures: number; halfOpenAfterMs: number };
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface Health {
  state: BreakerState;
  /** When an open breaker lets a probe call through. */
  probeAt?: number;
  lastSuccessAt?: number;
  lastFailureAt?: number;
  lastFailure?: string;
  successes: number;
  failures: number;
}

/** Exponential backoff with jitter, unless the failure carried a Retry-After. */
class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(
    private readonly exponential: IBackoffFactory<IRetryBackoffContext<unknown>>,
    private readonly previous?: IBackoff<IRetryBackoffContext<unknown>>,
  ) {}

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const inner = this.previous ? this.previous.next(context) : this.exponential.next(context);
    const error = 'error' in context.result ? context.result.error : undefined;
    const asked = error instanceof ProviderFailure ? error.options.retryAfterMs : undefined;
    const following = new RetryAfterBackoff(this.exponential, inner);
    return { duration: asked ?? inner.duration, next: (ctx) => following.next(ctx) };
  }
}

interface Entry {
  breaker: CircuitBreakerPolicy;
  health: Health;
}

export class Resilience {
  private readonly entries = new Map<string, Entry>();
  private loaded: { cockatiel: typeof Cockatiel; backoff: IBackoffFactory<IRetryBackoffContext<unknown>> } | undefined;

  // Breakers run on the wall clock (cockatiel's own), not the budget's calendar clock.
  private readonly now = Date.now;

  constructor(private readonly settings: ResilienceSettings) {}

  /** cockatiel and the backoff built on it, loaded on first use. */
  private lib(): { cockatiel: typeof Cockatiel; backoff: IBackoffFactory<IRetryBackoffContext<unknown>> } {
    if (this.loaded) return this.loaded;
    const cockatiel = requireFromHere('cockatiel') as typeof Cockatiel;
    const { initialDelayMs, maxDelayMs } = this.settings.retry;
    const backoff = new RetryAfterBackoff(new cockatiel.ExponentialBackoff({ initialDelay: initialDelayMs, maxDelay: maxDelayMs }));
    return (this.loaded = { cockatiel, backoff });
  }

  /** Whether a call failed fast because the model's breaker is open. */
  isBrokenCircuit(error: unknown): boolean {
    return this.loaded !== undefined && error instanceof this.loaded.cockatiel.BrokenCircuitError;
  }

  health(key: string): Health {
    const entry = this.entries.get(key);
    if (!entry) return { state: 'closed', successes: 0, failures: 0 };
    const { health, breaker } = entry;
    const { CircuitState } = this.lib().cockatiel;
    const state: BreakerState =
      breaker.state === CircuitState.Closed
        ? 'closed'
        : breaker.state === CircuitState.HalfOpen || (health.probeAt !== undefined && this.now() >= health.probeAt)
          ? 'half-open'
          : 'open';
    return { ...health, state, ...(state === 'closed' ? { probeAt: undefined } : {}) };
  }

  /** Open and not yet due for a probe: calling would only fail fast. */
  isOpen(key: string): boolean {
    return this.health(key).state === 'open';
  }

  /**
   * Runs `attempt` under the model's breaker, retrying retryable failures. Returns as soon as the
   * caller's signal aborts, even mid-backoff. Throws the last ProviderFailure, or a BrokenCircuitError.
   */
  async run<T>(key: string, signal: AbortSignal, attempt: (n: number) => Promise<T>): Promise<T> {
    const { breaker } = this.entry(key);
    const { cockatiel, backoff } = this.lib();
    const maxWait = this.settings.retry.maxRetryAfterMs;
    const policy = cockatiel.retry(
      cockatiel.handleWhen((e) => e instanceof ProviderFailure && e.retryable && (e.options.retryAfterMs ?? 0) <= maxWait),
      { maxAttempts: this.settings.retry.attempts - 1, backoff },
    );
    const run = policy.execute(({ attempt: n }) => breaker.execute(() => attempt(n + 1)), signal);
    if (signal.aborted) return run;
    let onAbort!: () => void;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new ProviderFailure('cancelled', 'the call was cancelled'));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    run.catch(() => undefined); // settled by the race below, or after it
    try {
      return await Promise.race([run, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private entry(key: string): Entry {
    let entry = this.entries.get(key);
    if (entry) return entry;
    const { cockatiel } = this.lib();
    const breaker = cockatiel.circuitBreaker(
      cockatiel.handleWhen((e) => e instanceof ProviderFailure && e.countsAgainstModel),
      { halfOpenAfter: this.settings.breaker.halfOpenAfterMs, breaker: new cockatiel.ConsecutiveBreaker(this.settings.breaker.failures) },
    );
    const health: Health = { state: 'closed', successes: 0, failures: 0 };
    breaker.onBreak(() => (health.probeAt = this.now() + this.settings.breaker.halfOpenAfterMs));
    breaker.onReset(() => (health.probeAt = undefined));
    breaker.onSuccess(() => {
      health.successes++;
      health.lastSuccessAt = this.now();
    });
    breaker.onFailure(({ reason }) => {
      if (!('error' in reason) || !(reason.error instanceof ProviderFailure) || reason.error.kind === 'cancelled') return;
      health.failures++;
      health.lastFailureAt = this.now();
      health.lastFailure = reason.error.message;
    });
    entry = { breaker, health };
    this.entries.set(key, entry);
    return entry;
  }
}
