import { expect, it } from 'vitest';

import { decodeCursor, encodeCursor, page, truncate } from '../../shared/output.js';

it('pages through a list with opaque cursors bound to their query', () => {
  const all = Array.from({ length: 7 }, (_, i) => i);
  const first = page(all, undefined, 3, 'q');
  expect(first.items).toEqual([0, 1, 2]);
  const second = page(all, first.nextCursor, 3, 'q');
  expect(second.items).toEqual([3, 4, 5]);
  const last = page(all, second.nextCursor, 3, 'q');
  expect(last).toEqual({ items: [6], total: 7 });
  expect(() => page(all, first.nextCursor, 3, 'other query')).toThrow(/does not belong/);
  expect(() => decodeCursor('%%%garbage')).toThrow(/not a cursor/);
  expect(() => decodeCursor(encodeCursor(-1))).toThrow();
});

it('truncates long text with a note that says how much was cut', () => {
  const text = 'line\n'.repeat(1000);
  const cut = truncate(text, 100, 'page with cursor');
  expect(cut.truncated).toBe(true);
  expect(cut.text.length).toBeLessThan(200);
  expect(cut.text).toContain(`of ${text.length} characters; page with cursor`);
  expect(truncate('short', 100)).toEqual({ text: 'short', truncated: false, totalChars: 5 });
});
