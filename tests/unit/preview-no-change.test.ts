// When a preview says a call changes nothing: only record changes with no rows, or no changes at all.
import { describe, expect, it } from 'vitest';

import { changesNothing } from '../../lib/preview.js';

type Row = Record<string, unknown>;

const records = (rows: { added?: Row[]; removed?: Row[]; updated?: Row[] }) => ({
  kind: 'records' as const,
  target: 'facts',
  added: rows.added ?? [],
  removed: rows.removed ?? [],
  ...(rows.updated ? { updated: rows.updated } : {}),
});

describe('changesNothing', () => {
  it('is true for no changes and for record changes without rows', () => {
    expect(changesNothing({ summary: 'same value', changes: [] })).toBe(true);
    expect(changesNothing({ summary: 'all unchanged', changes: [records({ updated: [] })] })).toBe(true);
  });

  it('is false as soon as anything would change', () => {
    expect(changesNothing({ summary: 'add', changes: [records({ added: [{ k: 1 }] })] })).toBe(false);
    expect(changesNothing({ summary: 'remove', changes: [records({ removed: [{ k: 1 }] })] })).toBe(false);
    expect(changesNothing({ summary: 'update', changes: [records({ updated: [{ k: 1 }] })] })).toBe(false);
    // Counts cover rows left out of a long preview.
    expect(changesNothing({ summary: 'many', changes: [{ ...records({}), counts: { added: 0, removed: 0, updated: 300 } }] })).toBe(false);
    expect(changesNothing({ summary: 'note', changes: [{ kind: 'note', text: 'Re-embed the collection.' }] })).toBe(false);
    expect(changesNothing({ summary: 'file', changes: [{ kind: 'file', path: 'a.txt', action: 'modify', diff: '' }] })).toBe(false);
  });
});
