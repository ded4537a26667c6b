// Capping and paging a snapshot: a 10,000-row table stays within the cap, says what was cut, and
// pages to the end; cursors are bound to the snapshot and focus that made them.
import { describe, expect, it } from 'vitest';

import { type AriaNode, renderTree } from '../../servers/web/aria-tree.js';
import { diffLines } from '../../servers/web/delta.js';
import { cutNote, type Snapshot, viewSnapshot } from '../../servers/web/snapshot.js';

function bigTable(rows: number): AriaNode[] {
  const body: AriaNode[] = [];
  for (let i = 1; i <= rows; i++)
    body.push({
      role: 'row',
      children: [
        { role: 'cell', name: String(i) },
        { role: 'cell', name: `Plant ${i}` },
      ],
    });
  return [
    {
      role: 'main',
      ref: 'e2',
      children: [
        { role: 'heading', name: 'Inventory', level: 1, ref: 'e3' },
        { role: 'table', name: 'Inventory', ref: 'e5', children: [{ role: 'rowgroup', children: body }] },
        { role: 'link', name: 'Back home', ref: 'e9', url: '/', cursor: 'pointer' },
      ],
    },
  ];
}

function snapshotOf(roots: AriaNode[]): Snapshot {
  const masked = new Set<string>();
  return {
    id: 'abcd',
    url: 'http://site.test/table',
    title: 'Big table',
    roots,
    masked,
    full: renderTree(roots, { masked }),
    navigation: 1,
    passwordFields: 0,
    takenAt: 0,
  };
}

describe('viewSnapshot', () => {
  const snapshot = snapshotOf(bigTable(10_000));

  it('keeps a page within the cap and names the table that was cut, with a cursor and how to focus', () => {
    const view = viewSnapshot(snapshot, {}, { maxChars: 4_000, cursorKey: 'k' });
    expect(view.text.length).toBeLessThanOrEqual(4_000);
    expect(view.truncated).toBe(true);
    expect(view.totalLines).toBe(10_004);
    expect(view.notShown[0]).toMatchObject({ role: 'table', name: 'Inventory', ref: 'e5' });
    expect(view.nextCursor).toBeDefined();
    const note = cutNote(view);
    expect(note).toContain('not shown: table "Inventory" [ref=e5]');
    expect(note).toContain(`cursor "${view.nextCursor}"`);
    expect(note).toContain('web_extract kind "table"');
  });

  it('pages through every line exactly once', () => {
    let cursor: string | undefined;
    let seen = 0;
    let pages = 0;
    const texts: string[] = [];
    do {
      const view = viewSnapshot(snapshot, {}, { maxChars: 50_000, cursor, cursorKey: 'k' });
      seen += view.shown[1] - view.shown[0] + 1;
      texts.push(view.text);
      cursor = view.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(seen).toBe(10_004);
    const all = texts.join('\n');
    expect(all).toContain('row: 1 | Plant 1');
    expect(all).toContain('row: 10000 | Plant 10000');
    expect(all.match(/row: 5000 \| Plant 5000\b/g)).toHaveLength(1);
  });

  it('refuses a cursor made for another snapshot or focus', () => {
    const first = viewSnapshot(snapshot, {}, { maxChars: 1_000, cursorKey: 'snapshot-1' });
    expect(() => viewSnapshot(snapshot, {}, { maxChars: 1_000, cursor: first.nextCursor, cursorKey: 'snapshot-2' })).toThrow(/cursor/);
    expect(() => viewSnapshot(snapshot, {}, { maxChars: 1_000, cursor: 'not-a-cursor', cursorKey: 'snapshot-1' })).toThrow(/cursor/);
  });

  it('focuses on a ref, a role, a text or the controls only', () => {
    const table = viewSnapshot(snapshot, { ref: 'e5' }, { maxChars: 300, cursorKey: 'k' });
    expect(table.text.startsWith('- table "Inventory" [ref=e5]')).toBe(true);
    expect(table.label).toBe('ref e5');
    const links = viewSnapshot(snapshot, { roles: ['link'] }, { maxChars: 1_000, cursorKey: 'k' });
    expect(links.text).toBe('- link "Back home" [ref=e9] → /');
    const found = viewSnapshot(snapshot, { text: 'Plant 9999' }, { maxChars: 1_000, cursorKey: 'k' });
    expect(found.text).toBe('- cell "Plant 9999"');
    const controls = viewSnapshot(snapshot, { interactive: true }, { maxChars: 1_000, cursorKey: 'k' });
    expect(controls.text).toBe('- link "Back home" [ref=e9] → /');
    expect(() => viewSnapshot(snapshot, { ref: 'e404' }, { maxChars: 1_000, cursorKey: 'k' })).toThrow(/not on the page/);
  });
});

describe('diffLines', () => {
  const before = renderTree([
    { role: 'textbox', name: 'Name', ref: 'e1' },
    { role: 'button', name: 'Go', ref: 'e2' },
  ]).lines;

  it('shows a changed control once, by ref, and what appeared or went', () => {
    const after = renderTree([
      { role: 'textbox', name: 'Name', ref: 'e1', text: 'Ada' },
      { role: 'alert', name: 'Saved', ref: 'e3' },
    ]).lines;
    const delta = diffLines(before, after)!;
    expect(delta.text.split('\n').sort()).toEqual(['+ alert "Saved"', '- button "Go" [ref=e2]', '~ textbox "Name" [ref=e1]: Ada'].sort());
    expect(delta).toMatchObject({ added: 1, removed: 1, changed: 1 });
  });

  it('is empty when nothing changed', () => {
    expect(diffLines(before, before)).toMatchObject({ text: '', added: 0, removed: 0, changed: 0 });
  });
});
