// One attempt's abort signal: aborted when the caller cancels, when the attempt's time limit passes,
// or when a stream that has started goes quiet for too long (before the first byte only the time
// limit applies: a local model may think about a long prompt for a while). The reason rides on the
// signal so the failure is named for what happened. One timer per attempt, re-armed lazily:
// touching it costs a timestamp.
import type { AbortReason } from './providers/classify.js';

export class AttemptGuard {
  private readonly controller = new AbortController();
  private readonly started: number;
  private last: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly onCallerAbort: () => void;

  constructor(
    private readonly caller: AbortSignal,
    private readonly deadlineMs: number,
    private readonly idleMs: number,
  ) {
    this.started = performance.now();
    this.onCallerAbort = () => this.abort('cancelled');
    if (caller.aborted) this.abort('cancelled');
    else caller.addEventListener('abort', this.onCallerAbort, { once: true });
    this.arm(deadlineMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Something arrived from the provider: the stream is alive. */
  touch(): void {
    const first = this.last === undefined;
    this.last = performance.now();
    if (first && this.timer) {
      clearTimeout(this.timer);
      this.arm(Math.min(this.idleMs, this.deadlineMs - (this.last - this.started)));
    }
  }

  elapsedMs(): number {
    return performance.now() - this.started;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.caller.removeEventListener('abort', this.onCallerAbort);
  }

  private abort(reason: AbortReason): void {
    if (this.controller.signal.aborted) return;
    this.dispose();
    this.controller.abort(reason);
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.check(), Math.max(1, ms));
    this.timer.unref();
  }

  private check(): void {
    const now = performance.now();
    const toDeadline = this.deadlineMs - (now - this.started);
    const toIdle = this.last === undefined ? Infinity : this.idleMs - (now - this.last);
    if (toDeadline <= 0) return this.abort('timeout');
    if (toIdle <= 0) return this.abort('stalled');
    this.arm(Math.min(toDeadline, toIdle));
  }
}
