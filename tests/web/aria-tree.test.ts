// The compact outline: what it keeps, what it drops, and that refs stay Playwright's own.
import { describe, expect, it } from 'vitest';

import {
  type AriaNode,
  findRef,
  findRoles,
  findText,
  formatLines,
  interactiveOnly,
  MASK,
  renderTree,
} from '../../servers/web/aria-tree.js';

const form: AriaNode[] = [
  {
    role: 'generic',
    ref: 'e1',
    children: [
      {
        role: 'main',
        ref: 'e2',
        children: [
          { role: 'heading', name: 'Apply', level: 1, ref: 'e3' },
          { role: 'paragraph', ref: 'e4', text: 'All fields are required.' },
          { role: 'generic', ref: 'e5', children: ['Full name', { role: 'textbox', name: 'Full name', ref: 'e6', text: 'Ada' }] },
          { role: 'generic', ref: 'e7', children: ['Password', { role: 'textbox', name: 'Password', ref: 'e8', text: 'hunter22' }] },
          {
            role: 'combobox',
            name: 'Position',
            ref: 'e9',
            children: [
              { role: 'option', name: 'Choose…' },
              { role: 'option', name: 'Gardener', selected: true },
              { role: 'option', name: 'Head gardener' },
            ],
          },
          { role: 'checkbox', name: 'Terms', checked: true, ref: 'e10' },
          { role: 'alert', ref: 'e11' },
          { role: 'link', name: 'Help', ref: 'e12', url: 'http://site.test/help?x=1', cursor: 'pointer' },
          { role: 'link', name: 'Elsewhere', ref: 'e13', url: 'https://other.test/a', cursor: 'pointer' },
          { role: 'generic', ref: 'e14', cursor: 'pointer', text: 'Clickable card' },
          { role: 'button', name: 'Send', disabled: true, ref: 'e15' },
        ],
      },
    ],
  },
];

describe('renderTree', () => {
  const { lines } = renderTree(form, { masked: new Set(['hunter22']), baseUrl: 'http://site.test/apply' });
  const text = formatLines(lines);

  it('hoists unnamed wrappers, drops label text that repeats a control name and empty live regions', () => {
    expect(text).toBe(
      [
        '- main',
        '  - heading "Apply" [level=1]',
        '  - text: All fields are required.',
        '  - textbox "Full name" [ref=e6]: Ada',
        `  - textbox "Password" [ref=e8]: ${MASK}`,
        '  - combobox "Position" [ref=e9]: Gardener [options: Choose… | Gardener | Head gardener]',
        '  - checkbox "Terms" [checked] [ref=e10]',
        '  - link "Help" [ref=e12] → /help?x=1',
        '  - link "Elsewhere" [ref=e13] → https://other.test/a',
        '  - generic [clickable] [ref=e14]: Clickable card',
        '  - button "Send" [disabled] [ref=e15]',
      ].join('\n'),
    );
  });

  it('never shows a password value, only the mask', () => {
    expect(text).not.toContain('hunter22');
  });

  it('renders a table row of plain cells as one line, and a definition list as term: value', () => {
    const rows: AriaNode[] = [
      {
        role: 'table',
        name: 'Stock',
        ref: 't1',
        children: [
          {
            role: 'rowgroup',
            children: [
              {
                role: 'row',
                children: [
                  { role: 'columnheader', name: 'Plant' },
                  { role: 'columnheader', name: 'Count' },
                ],
              },
            ],
          },
          {
            role: 'rowgroup',
            children: [
              {
                role: 'row',
                children: [
                  { role: 'cell', name: 'Fern' },
                  { role: 'cell', name: '3' },
                ],
              },
            ],
          },
        ],
      },
      {
        role: 'list',
        ref: 'l1',
        children: [
          { role: 'term', text: 'Name' },
          { role: 'definition', text: 'Ada' },
        ],
      },
    ];
    expect(formatLines(renderTree(rows).lines)).toBe(
      ['- table "Stock" [ref=t1]', '  - row: Plant | Count', '  - row: Fern | 3', '- list [ref=l1]', '  - Name: Ada'].join('\n'),
    );
  });

  it('records each rendered region with its line range', () => {
    const { sections } = renderTree(form);
    const main = sections.find((s) => s.role === 'main');
    expect(main).toMatchObject({ start: 0, depth: 0 });
    expect(main!.end).toBe(lines.length);
  });
});

describe('finding nodes', () => {
  it('finds by ref, role, text, and lists controls only', () => {
    expect(findRef(form, 'e9')?.name).toBe('Position');
    expect(findRef(form, 'e99')).toBeUndefined();
    expect(findRoles(form, new Set(['link'])).map((l) => l.name)).toEqual(['Help', 'Elsewhere']);
    expect(findText(form, 'head gardener').map((n) => n.role)).toEqual(['option']);
    const controls = interactiveOnly(form).map((n) => n.ref);
    expect(controls).toEqual(['e6', 'e8', 'e9', 'e10', 'e12', 'e13', 'e14', 'e15']);
  });
});
