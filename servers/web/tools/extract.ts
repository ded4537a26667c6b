// web_extract: a page region as data — a table, links, text, list items, repeated items, form fields.
import * as z from 'zod';

import { HearthError, invalidArgument } from '../../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../../shared/output.js';
import type { Tool } from '../../../shared/tool.js';
import { renderEvents } from '../action.js';
import { WebEvent } from '../events.js';
import { readFields, readItems, readLinks, readList, readTable, readText } from '../extract.js';
import { fromPlaywright } from '../playwright-errors.js';
import type { WebRuntime } from '../runtime.js';
import { maskText } from '../snapshot.js';
import { defineTabTool } from '../tab-tool.js';
import { resolveTarget, Target } from '../target.js';

const Field = z.object({
  label: z.string(),
  type: z.string(),
  name: z.string(),
  value: z.string(),
  checked: z.boolean().optional(),
  required: z.boolean().optional(),
});

const Output = z.object({
  session: z.string(),
  tab: z.string(),
  url: z.string(),
  kind: z.string(),
  total: z.number().int().describe('Rows, items or characters in all.'),
  from: z.number().int().describe('0-based index of the first row, item or character returned.'),
  nextCursor: z.string().optional(),
  table: z.object({ caption: z.string(), columns: z.array(z.string()), rows: z.array(z.array(z.string())) }).optional(),
  links: z.array(z.object({ text: z.string(), url: z.string() })).optional(),
  text: z.string().optional(),
  items: z.array(z.union([z.string(), z.record(z.string(), z.string())])).optional(),
  fields: z.array(Field).optional(),
  events: z.array(WebEvent),
});

export function extractTool(runtime: WebRuntime): Tool {
  const { settings } = runtime;
  return defineTabTool(runtime, {
    name: 'web_extract',
    title: 'Extract data from the page',
    description:
      'Reads part of the page as data, paged with a cursor. kind: table (columns and rows), links (text, URL), text (visible text), list (items of a list or of itemCss matches), items (objects built from fields per itemCss match, e.g. {"title": "h2", "link": "a@href"}), form (each field’s label, type, value; passwords masked). Cheaper than web_snapshot for data.',
    input: {
      kind: z.enum(['table', 'links', 'text', 'list', 'items', 'form']).describe('What to read.'),
      target: Target.optional().describe('The region to read, e.g. a table’s ref. Default: the whole page.'),
      itemCss: z.string().min(1).max(1_000).optional().describe('list, items: CSS selector of each item.'),
      fields: z
        .record(z.string().min(1).max(100), z.string().min(1).max(1_000))
        .optional()
        .describe('items: name → CSS inside the item ("." itself), @attr for an attribute.'),
      limit: z.number().int().min(1).max(1_000).default(100).describe('Rows or items per page.'),
      maxChars: z.number().int().min(100).max(100_000).default(20_000).describe('text: characters per page.'),
      cursor: z.string().max(500).optional().describe('nextCursor of the previous call.'),
    },
    output: Output,
    check(args) {
      if (args.kind === 'items' && (!args.itemCss || !args.fields))
        throw invalidArgument(
          args.itemCss ? 'fields' : 'itemCss',
          'kind "items" needs itemCss and fields',
          'Pass itemCss (each item) and fields, e.g. {"itemCss": ".product", "fields": {"name": "h2", "price": ".price"}}.',
        );
    },
    async handle(args, { tab, session }, ctx) {
      const { page } = tab;
      const scope = args.target
        ? (await resolveTarget(page, args.target, { field: 'target', timeoutMs: settings.actionTimeoutMs, signal: ctx.signal })).locator
        : page.locator('body');
      const key = JSON.stringify([
        args.kind,
        page.url(),
        args.target ?? null,
        args.itemCss ?? '',
        args.fields ?? null,
        args.limit,
        args.maxChars,
      ]);
      const from = decodeCursor(args.cursor, key);
      const base = { session: session.id, tab: tab.id, url: page.url(), kind: args.kind, from };
      const mask = (s: string) => maskText(s, session.secrets);
      let structured: Omit<z.input<typeof Output>, 'events'>;
      let body: string;
      const next = (count: number, total: number) => (from + count < total ? { nextCursor: encodeCursor(from + count, key) } : {});
      try {
        switch (args.kind) {
          case 'table': {
            const table = await readTable(scope, from, args.limit);
            if (!table)
              throw new HearthError(
                'NOT_FOUND',
                `target: there is no table ${args.target ? 'in or at the target' : 'on the page'}`,
                'Take a snapshot (web_snapshot with role "table") to find the table’s ref, or use kind "list" or "items".',
                { details: { field: 'target' } },
              );
            const rows = table.rows.map((r) => r.map(mask));
            structured = {
              ...base,
              total: table.total,
              ...next(rows.length, table.total),
              table: { caption: table.caption, columns: table.columns, rows },
            };
            body = [table.columns.join(' | '), ...rows.map((r) => r.join(' | '))].join('\n');
            break;
          }
          case 'links': {
            const links = await readLinks(scope, from, args.limit);
            structured = { ...base, total: links.total, ...next(links.items.length, links.total), links: links.items };
            body = links.items.map((l) => `${l.text || '(no text)'} → ${l.url}`).join('\n');
            break;
          }
          case 'text': {
            const all = mask(await readText(scope));
            const text = all.slice(from, from + args.maxChars);
            structured = { ...base, total: all.length, ...next(text.length, all.length), text };
            body = text;
            break;
          }
          case 'list': {
            const list = await readList(scope, args.itemCss, from, args.limit);
            const items = list.items.map(mask);
            structured = { ...base, total: list.total, ...next(items.length, list.total), items };
            body = items.map((i) => `- ${i}`).join('\n');
            break;
          }
          case 'items': {
            const found = await readItems(scope, args.itemCss!, args.fields!, from, args.limit);
            const items = found.items.map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, mask(v)])));
            structured = { ...base, total: found.total, ...next(items.length, found.total), items };
            body = items.map((i) => JSON.stringify(i)).join('\n');
            break;
          }
          case 'form': {
            const found = await readFields(scope, from, args.limit);
            const fields = found.items.map((f) => ({ ...f, value: mask(f.value) }));
            structured = { ...base, total: found.total, ...next(fields.length, found.total), fields };
            const state = (f: (typeof fields)[number]) =>
              f.checked === undefined ? JSON.stringify(f.value) : f.checked ? 'checked' : 'unchecked';
            body = fields.map((f) => `${f.label || f.name} (${f.type})${f.required ? ' *' : ''}: ${state(f)}`).join('\n');
            break;
          }
        }
      } catch (error) {
        throw fromPlaywright(error, `reading the ${args.kind}`, { signal: ctx.signal });
      }
      const events = session.events.drain();
      const shownCount =
        structured.table?.rows.length ??
        structured.links?.length ??
        structured.items?.length ??
        structured.fields?.length ??
        structured.text?.length ??
        0;
      const unit = args.kind === 'text' ? 'characters' : args.kind === 'table' ? 'rows' : 'items';
      const footer = structured.nextCursor
        ? `[${from + 1}–${from + shownCount} of ${structured.total.toLocaleString('en-US')} ${unit}; next: cursor "${structured.nextCursor}"]`
        : `[${structured.total.toLocaleString('en-US')} ${unit}]`;
      return {
        structured: { ...structured, events },
        text: [body || '(nothing found)', footer, renderEvents(events)].filter(Boolean).join('\n'),
      };
    },
  });
}
