// Coalesces a stream of updates into at most one per interval, the newest winning, and never drops
// the last: a thousand-step run tells its client how it goes a few times a second, not a thousand
// times, and the final count always arrives.
export interface Throttle<T> {
  push(value: T): void;
  /** Sends what is waiting now (call it at the end). */
  flush(): void;
}

export function throttle<T>(send: (value: T) => void, intervalMs: number): Throttle<T> {
  let last = -Infinity;
  let waiting: { value: T } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deliver = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!waiting) return;
    const { value } = waiting;
    waiting = undefined;
    last = performance.now();
    send(value);
  };
  return {
    push(value) {
      waiting = { value };
      const due = last + intervalMs - performance.now();
      if (due <= 0) deliver();
      else timer ??= setTimeout(deliver, due);
    },
    flush: deliver,
  };
}
