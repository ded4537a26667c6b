// web_snapshot: the page as an outline with element refs, capped, focusable and paged.
import * as z from 'zod';

import type { Tool } from '../../../shared/tool.js';
import { renderEvents } from '../action.js';
import { WebEvent } from '../events.js';
import type { WebRuntime } from '../runtime.js';
import type { Focus } from '../snapshot.js';
import { defineTabTool } from '../tab-tool.js';
import { pageView, snapshotForCursor, takeSnapshot } from '../view.js';

export function snapshotTool(runtime: WebRuntime): Tool {
  return defineTabTool(runtime, {
    name: 'web_snapshot',
    title: 'Read the page',
    description:
      'Returns the page as an accessibility outline (roles, names, text, values, states) with a ref on each control and region for the action tools; capped, nextCursor reads on. Focus to read less (interactive: controls only, the cheapest view of a form). For tables and lists as data use web_extract.',
    input: {
      ref: z
        .string()
        .regex(/^(?:f\d+)?e\d+$/, 'a ref looks like e12 or f1e3')
        .optional()
        .describe('Only the region with this ref.'),
      role: z
        .union([z.string().min(1).max(40), z.array(z.string().min(1).max(40)).min(1).max(20)])
        .optional()
        .describe('Only elements with this role or roles, e.g. "form", ["button","link"].'),
      text: z.string().min(1).max(200).optional().describe('Only elements whose name or text contains this.'),
      interactive: z.boolean().default(false).describe('Only controls with their refs, as a flat list.'),
      depth: z.number().int().min(1).max(50).optional().describe('Only this many levels of the outline.'),
      maxChars: z.number().int().min(500).max(100_000).optional().describe('Characters per page. Default: snapshotMaxChars (12,000).'),
      cursor: z.string().max(500).optional().describe('nextCursor of the previous call with the same focus.'),
    },
    output: z.object({
      session: z.string(),
      tab: z.string(),
      url: z.string(),
      title: z.string(),
      focus: z.string().describe('The focus applied, or "" for the whole page.'),
      outline: z.string().describe('The accessibility outline with refs (this page of it, with a note on what was cut).'),
      shown: z.object({ from: z.number().int(), to: z.number().int() }).describe('Line numbers shown (1-based).'),
      totalLines: z.number().int(),
      totalChars: z.number().int(),
      truncated: z.boolean(),
      nextCursor: z.string().optional(),
      notShown: z
        .array(z.object({ ref: z.string().optional(), role: z.string(), name: z.string().optional(), lines: z.number().int() }))
        .describe('The largest regions left out, to focus on next.'),
      events: z.array(WebEvent),
    }),
    async handle(args, { tab, session }, ctx) {
      const focus: Focus = {
        ref: args.ref,
        roles: args.role === undefined ? undefined : Array.isArray(args.role) ? args.role : [args.role],
        text: args.text,
        interactive: args.interactive || undefined,
        depth: args.depth,
      };
      await ctx.progress(0, 1, 'reading the page');
      const snapshot = args.cursor ? snapshotForCursor(session, tab, focus, args.cursor) : await takeSnapshot(session, tab, ctx.signal);
      await ctx.progress(1, 1, 'read');
      const { view, text } = pageView(session, tab, snapshot, focus, {
        maxChars: args.maxChars ?? runtime.settings.snapshotMaxChars,
        cursor: args.cursor,
      });
      const events = session.events.drain();
      const header = `${snapshot.title ? `${snapshot.title} — ` : ''}${snapshot.url}${view.label ? ` [focus: ${view.label}]` : ''}`;
      return {
        structured: {
          session: session.id,
          tab: tab.id,
          url: snapshot.url,
          title: snapshot.title,
          focus: view.label,
          outline: text || '(nothing matched)',
          shown: { from: view.shown[0], to: view.shown[1] },
          totalLines: view.totalLines,
          totalChars: view.totalChars,
          truncated: view.truncated,
          ...(view.nextCursor ? { nextCursor: view.nextCursor } : {}),
          notShown: view.notShown,
          events,
        },
        text: [header, text || '(nothing matched)', renderEvents(events)].filter(Boolean).join('\n'),
      };
    },
  });
}
