// Bounded output: lists are paged with opaque cursors, long text is cut with a note saying how to
// get the rest. Results too large for either go to the artifact store (see artifacts.ts).
import { HearthError } from '../lib/errors.js';

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
  total: number;
}

interface CursorState {
  o: number;
  k?: string;
}

export function encodeCursor(offset: number, key?: string): string {
  const state: CursorState = key === undefined ? { o: offset } : { o: offset, k: key };
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

/**
 * Decodes a cursor made by encodeCursor. `key` binds a cursor to the query that made it, so a
 * cursor from one listing cannot be replayed against another.
 */
export function decodeCursor(cursor: string | undefined, key?: string, field = 'cursor'): number {
  if (cursor === undefined || cursor === '') return 0;
  let state: CursorState;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorState;
  } catch {
    throw new HearthError(
      'INVALID_ARGUMENT',
      `${field}: not a cursor this tool returned`,
      'Pass the nextCursor value from the previous page unchanged, or omit it to start over.',
      { details: { field } },
    );
  }
  if (typeof state.o !== 'number' || !Number.isInteger(state.o) || state.o < 0 || (key !== undefined && state.k !== key)) {
    throw new HearthError(
      'INVALID_ARGUMENT',
      `${field}: the cursor does not belong to this query`,
      'Use the nextCursor from the same query, or omit it to start over.',
      { details: { field } },
    );
  }
  return state.o;
}

export function page<T>(all: readonly T[], cursor: string | undefined, limit: number, key?: string): Page<T> {
  const offset = decodeCursor(cursor, key);
  const items = all.slice(offset, offset + limit);
  const next = offset + items.length;
  return next < all.length ? { items, nextCursor: encodeCursor(next, key), total: all.length } : { items, total: all.length };
}

export interface Truncated {
  text: string;
  truncated: boolean;
  /** Characters in the full text. */
  totalChars: number;
}

/** Cuts text to `max` characters at a line boundary when one is near, and says so. */
export function truncate(text: string, max: number, how = 'ask for a smaller range'): Truncated {
  if (text.length <= max) return { text, truncated: false, totalChars: text.length };
  let cut = text.lastIndexOf('\n', max);
  if (cut < max * 0.8) cut = max;
  return {
    text: `${text.slice(0, cut)}\n… [truncated: showing ${cut} of ${text.length} characters; ${how}]`,
    truncated: true,
    totalChars: text.length,
  };
}
