// web_tabs: lists a session's tabs, selects one, opens a new one or closes one.
import * as z from 'zod';

import { HearthError } from '../../../lib/errors.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import { fromPlaywright } from '../playwright-errors.js';
import type { WebRuntime } from '../runtime.js';
import { SessionField, TabField } from '../schemas.js';
import { assertNavigable } from '../url-policy.js';

export function tabsTool(runtime: WebRuntime): Tool {
  const { settings, kernel } = runtime;
  return defineTool({
    name: 'web_tabs',
    title: 'List, switch, open or close tabs',
    description:
      'Lists a session’s tabs, selects the active one, opens one (optionally at a URL) or closes one. Popups open tabs by themselves; results say so.',
    effect: 'read',
    statefulRead: true,
    openWorld: true,
    input: z.object({
      action: z.enum(['list', 'select', 'new', 'close']).default('list').describe('list (default), select, new or close.'),
      tab: TabField.describe('The tab to select or close (close: default active).'),
      url: z.string().max(8_192).optional().describe('new: URL to open.'),
      session: SessionField,
    }),
    output: z.object({
      session: z.string(),
      active: z.string().optional(),
      tabs: z.array(z.object({ id: z.string(), url: z.string(), title: z.string(), active: z.boolean(), popup: z.boolean() })),
      did: z.string(),
    }),
    async handler(args) {
      const session = await runtime.sessions.acquire(args.session);
      const did = await session.run(async () => {
        switch (args.action) {
          case 'select': {
            if (!args.tab)
              throw new HearthError(
                'INVALID_ARGUMENT',
                'tab: select needs the tab id',
                'List the tabs (action "list") and pass one of their ids.',
                { details: { field: 'tab' } },
              );
            const tab = session.tab(args.tab);
            session.activeTab = tab.id;
            await tab.page.bringToFront().catch(() => undefined);
            return `tab ${tab.id} is active`;
          }
          case 'new': {
            const url = args.url ? assertNavigable(kernel.policy, args.url, 'url') : undefined;
            const tab = await session.newTab();
            if (url)
              await tab.page.goto(url, { waitUntil: 'domcontentloaded', timeout: settings.navigationTimeoutMs }).catch((error: unknown) => {
                throw fromPlaywright(error, `opening ${url}`, { field: 'url' });
              });
            return `opened tab ${tab.id}${url ? ` at ${url}` : ''}; it is active`;
          }
          case 'close': {
            const tab = session.tab(args.tab);
            if (session.tabs.size === 1)
              throw new HearthError(
                'INVALID_ARGUMENT',
                `tab: ${tab.id} is the session's last tab`,
                'Close the whole session with web_session_close instead.',
                { details: { field: 'tab' } },
              );
            await tab.page.close();
            return `closed tab ${tab.id}`;
          }
          default:
            return 'listed the tabs';
        }
      });
      const list = await Promise.all(
        [...session.tabs.values()].map(async (t) => ({
          id: t.id,
          url: t.page.url(),
          title: await t.page.title().catch(() => ''),
          active: t.id === session.activeTab,
          popup: t.popup,
        })),
      );
      const text = [
        did,
        ...list.map(
          (t) => `${t.active ? '*' : ' '} ${t.id} ${t.title ? `"${t.title}" ` : ''}${t.url}${t.popup ? ' (opened by the page)' : ''}`,
        ),
      ].join('\n');
      return { structured: { session: session.id, ...(session.activeTab ? { active: session.activeTab } : {}), tabs: list, did }, text };
    },
  });
}
