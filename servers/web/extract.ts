// Structured reads of a page region, done in the page so only the requested slice crosses over:
// a table as columns and rows, links, visible text, list items, repeated items as objects, and the
// fields of a form with their current values (passwords masked).
import type { Locator } from 'playwright-core';

export interface TableSlice {
  columns: string[];
  rows: string[][];
  total: number;
  caption: string;
}

export interface LinkItem {
  text: string;
  url: string;
}

export interface FieldItem {
  label: string;
  type: string;
  name: string;
  value: string;
  checked?: boolean;
  required?: boolean;
}

export interface Sliced<T> {
  items: T[];
  total: number;
}

export async function readTable(scope: Locator, offset: number, limit: number): Promise<TableSlice | null> {
  return scope.evaluate(
    (el, [from, count]) => {
      // Helpers are object methods: see element-info.ts on why page functions avoid named inner functions.
      const h = {
        squash(s: string | null | undefined): string {
          return (s ?? '').replace(/\s+/g, ' ').trim();
        },
        cellsOf(row: Element): Element[] {
          return row instanceof HTMLTableRowElement
            ? Array.from(row.cells)
            : Array.from(row.querySelectorAll('[role=cell], [role=gridcell], [role=columnheader], [role=rowheader]'));
        },
      };
      const selector = 'table, [role=table], [role=grid], [role=treegrid]';
      const table = el.matches(selector) ? el : el.querySelector(selector);
      if (!table) return null;
      const isNative = table instanceof HTMLTableElement;
      const rows: Element[] = isNative ? Array.from(table.rows) : Array.from(table.querySelectorAll('[role=row]'));
      const headerRows = rows.filter((row) => {
        if (row.parentElement?.tagName === 'THEAD') return true;
        const cells = h.cellsOf(row);
        return (
          cells.length > 0 &&
          cells.every((c) => c.tagName === 'TH' || c.getAttribute('role') === 'columnheader') &&
          (row.parentElement?.tagName !== 'TBODY' || row === rows[0])
        );
      });
      const header = headerRows[headerRows.length - 1];
      const body = rows.filter((r) => !headerRows.includes(r));
      const width = Math.max(header ? h.cellsOf(header).length : 0, ...body.slice(0, 50).map((r) => h.cellsOf(r).length));
      const columns = header
        ? h.cellsOf(header).map((c, i) => h.squash((c as HTMLElement).innerText) || `column ${i + 1}`)
        : Array.from({ length: width }, (_, i) => `column ${i + 1}`);
      const slice = body.slice(from, from + count).map((r) => h.cellsOf(r).map((c) => h.squash((c as HTMLElement).innerText)));
      const caption = isNative ? h.squash(table.caption?.innerText) : h.squash(table.getAttribute('aria-label'));
      return { columns, rows: slice, total: body.length, caption: caption || h.squash(table.getAttribute('aria-label')) };
    },
    [offset, limit] as [number, number],
  );
}

export async function readLinks(scope: Locator, offset: number, limit: number): Promise<Sliced<LinkItem>> {
  return scope.evaluate(
    (el, [from, count]) => {
      const seen = new Set<string>();
      const all: { text: string; url: string }[] = [];
      for (const a of Array.from(el.querySelectorAll<HTMLAnchorElement>('a[href]'))) {
        const text = (a.innerText || a.getAttribute('aria-label') || a.title || '').replace(/\s+/g, ' ').trim();
        const key = `${text}\u0000${a.href}`;
        if (seen.has(key)) continue;
        seen.add(key);
        all.push({ text, url: a.href });
      }
      return { items: all.slice(from, from + count), total: all.length };
    },
    [offset, limit] as [number, number],
  );
}

export async function readText(scope: Locator): Promise<string> {
  return scope.evaluate((el) => (el as HTMLElement).innerText ?? el.textContent ?? '');
}

export async function readList(scope: Locator, itemCss: string | undefined, offset: number, limit: number): Promise<Sliced<string>> {
  return scope.evaluate(
    (el, [css, from, count]) => {
      let items: Element[];
      if (css) items = Array.from(el.querySelectorAll(css));
      else {
        const list = el.matches('ul, ol, [role=list], [role=listbox]') ? el : el.querySelector('ul, ol, [role=list], [role=listbox]');
        items = list ? Array.from(list.children).filter((c) => c.matches('li, [role=listitem], [role=option]')) : [];
      }
      const texts = items.map((i) => ((i as HTMLElement).innerText ?? '').replace(/\s+/g, ' ').trim());
      return { items: texts.slice(from, from + count), total: texts.length };
    },
    [itemCss ?? '', offset, limit] as [string, number, number],
  );
}

/** Each element matching `itemCss` as an object: field name → text (or attribute, with `css@attr`). */
export async function readItems(
  scope: Locator,
  itemCss: string,
  fields: Record<string, string>,
  offset: number,
  limit: number,
): Promise<Sliced<Record<string, string>>> {
  return scope.evaluate(
    (el, [css, spec, from, count]) => {
      const all = Array.from(el.querySelectorAll(css));
      const items = all.slice(from, from + count).map((item) => {
        const out: Record<string, string> = {};
        for (const [name, selector] of Object.entries(spec)) {
          const at = selector.lastIndexOf('@');
          const sel = at > 0 ? selector.slice(0, at) : selector;
          const attr = at > 0 ? selector.slice(at + 1) : '';
          const node = sel === '.' || sel === '' ? item : item.querySelector(sel);
          out[name] = node
            ? attr
              ? (node.getAttribute(attr) ?? '')
              : ((node as HTMLElement).innerText ?? '').replace(/\s+/g, ' ').trim()
            : '';
        }
        return out;
      });
      return { items, total: all.length };
    },
    [itemCss, fields, offset, limit] as [string, Record<string, string>, number, number],
  );
}

export async function readFields(scope: Locator, offset: number, limit: number): Promise<Sliced<FieldItem>> {
  return scope.evaluate(
    (el, [from, count]) => {
      const h = {
        squash(s: string | null | undefined): string {
          return (s ?? '').replace(/\s+/g, ' ').trim();
        },
      };
      const controls = Array.from(el.querySelectorAll('input, select, textarea')).filter(
        (c) => !['hidden', 'submit', 'button', 'reset', 'image'].includes((c.getAttribute('type') ?? '').toLowerCase()),
      );
      const items = controls.map((c) => {
        const input = c as HTMLInputElement;
        const type = c.tagName === 'INPUT' ? (input.getAttribute('type') ?? 'text').toLowerCase() : c.tagName.toLowerCase();
        const label = h.squash(
          c.getAttribute('aria-label') ??
            (input.labels && input.labels.length
              ? Array.from(input.labels)
                  .map((l) => l.textContent)
                  .join(' ')
              : (c.getAttribute('placeholder') ?? c.getAttribute('name'))),
        );
        let value = input.value ?? '';
        if (c.tagName === 'SELECT')
          value = Array.from((c as HTMLSelectElement).selectedOptions)
            .map((o) => o.label)
            .join(', ');
        if (type === 'file')
          value = Array.from(input.files ?? [])
            .map((f) => f.name)
            .join(', ');
        if (type === 'password' && value) value = '••••';
        const item: { label: string; type: string; name: string; value: string; checked?: boolean; required?: boolean } = {
          label,
          type,
          name: c.getAttribute('name') ?? '',
          value,
        };
        if (type === 'checkbox' || type === 'radio') item.checked = input.checked;
        if (input.required) item.required = true;
        return item;
      });
      return { items: items.slice(from, from + count), total: items.length };
    },
    [offset, limit] as [number, number],
  );
}
