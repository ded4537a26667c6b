// The progress throttle: at most one update per interval, the newest winning, the last never lost.
import { expect, it } from 'vitest';

import { throttle } from '../../lib/throttle.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('sends the first update at once, coalesces a burst to its newest, and flush sends what waits', () => {
  const sent: number[] = [];
  const t = throttle((n: number) => sent.push(n), 10_000);
  for (let i = 1; i <= 1000; i++) t.push(i);
  expect(sent).toEqual([1]);
  t.flush();
  expect(sent).toEqual([1, 1000]);
  t.flush();
  expect(sent).toEqual([1, 1000]);
});

it('delivers a waiting update on its own once the interval has passed', async () => {
  const sent: string[] = [];
  const t = throttle((s: string) => sent.push(s), 30);
  t.push('a');
  t.push('b');
  t.push('c');
  expect(sent).toEqual(['a']);
  for (let i = 0; i < 100 && sent.length < 2; i++) await sleep(10);
  expect(sent).toEqual(['a', 'c']);
  t.flush();
  expect(sent).toEqual(['a', 'c']);
});
