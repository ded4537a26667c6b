// web_navigate, web_back and web_tabs: moving between pages and tabs.
import * as z from 'zod';

import { HearthError } from '../../../lib/errors.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import { runAction } from '../action.js';
import { fromPlaywright } from '../playwright-errors.js';
import type { WebRuntime } from '../runtime.js';
import { PageResult, SessionField, TabField } from '../schemas.js';
import { assertNavigable, verdictFor } from '../url-policy.js';

export function navigateTools(runtime: WebRuntime): Tool[] {
  const { settings, kernel } = runtime;

  const navigate = defineTool({
    name: 'web_navigate',
    title: 'Open a web page',
    description:
      'Opens a URL in the browser (the active tab of the session, or a new tab) and returns a short outline of the page: headings, text and every control with its ref (e.g. [ref=e12]) for the other web tools. Only origins on the person’s allowlist can be opened; file:, chrome:, javascript: and data: URLs are refused, and requests the page makes to other origins (redirects, iframes, popups, fetch) are blocked and listed in the result. The first call opens the browser (a second or two).',
    effect: 'read',
    input: z.object({
      url: z.string().min(1).max(8_192).describe('Absolute http(s) URL, e.g. https://example.com/jobs/apply.'),
      session: SessionField,
      tab: TabField,
      newTab: z.boolean().default(false).describe('Open the URL in a new tab (it becomes the active one).'),
      waitUntil: z
        .enum(['commit', 'domcontentloaded', 'load', 'networkidle'])
        .default('domcontentloaded')
        .describe(
          'When the navigation counts as done. domcontentloaded is fastest; networkidle waits for the page to stop loading data (use web_wait_for for specific content).',
        ),
    }),
    output: PageResult.extend({ status: z.number().int().optional().describe('HTTP status of the main document.') }),
    async handler(args, ctx) {
      const url = assertNavigable(kernel.policy, args.url, 'url');
      let status: number | undefined;
      const outcome = await runAction(runtime, ctx, {
        session: args.session,
        tab: args.newTab ? undefined : args.tab,
        logArgs: args,
        freshView: true,
        act: async (tab, session) => {
          const target = args.newTab ? await session.newTab() : tab;
          await ctx.progress(0, 1, `opening ${url}`);
          let response;
          try {
            response = await target.page.goto(url, {
              waitUntil: args.waitUntil,
              timeout: settings.navigationTimeoutMs,
              signal: ctx.signal,
            });
          } catch (error) {
            throw fromPlaywright(error, `opening ${url}`, { field: 'url', timeoutMs: settings.navigationTimeoutMs, signal: ctx.signal });
          }
          await ctx.progress(1, 1, 'loaded');
          status = response?.status();
          const landed = target.page.url();
          const verdict = verdictFor(kernel.policy, landed);
          if (!verdict.allowed || response?.headers()['x-hearth-blocked'])
            return `opened ${url}, but it redirected to ${landed}, which is blocked (${verdict.allowed ? 'blocked at the network' : verdict.reason}); the page shows Hearth's block notice`;
          return `opened${landed === url ? '' : ` ${landed} (redirected)`}${status ? ` (HTTP ${status})` : ''}${args.newTab ? ` in new tab ${target.id}` : ''}`;
        },
      });
      return { structured: { ...outcome.structured, ...(status ? { status } : {}) }, text: outcome.text };
    },
  });

  const back = defineTool({
    name: 'web_back',
    title: 'Go back or forward',
    description:
      'Goes back (or forward) one page in the tab’s history, like the browser buttons, and returns a short outline of the page it lands on.',
    effect: 'read',
    input: z.object({
      session: SessionField,
      tab: TabField,
      direction: z.enum(['back', 'forward']).default('back').describe('back (default) or forward.'),
    }),
    output: PageResult,
    async handler(args, ctx) {
      return runAction(runtime, ctx, {
        session: args.session,
        tab: args.tab,
        logArgs: args,
        freshView: true,
        act: async (tab) => {
          const go = args.direction === 'back' ? tab.page.goBack.bind(tab.page) : tab.page.goForward.bind(tab.page);
          const response = await go({ waitUntil: 'domcontentloaded', timeout: settings.navigationTimeoutMs });
          if (response === null && args.direction === 'back' && tab.page.url() === 'about:blank')
            return 'there is no earlier page in this tab';
          return `went ${args.direction} to ${tab.page.url()}`;
        },
      });
    },
  });

  const tabs = defineTool({
    name: 'web_tabs',
    title: 'List, switch, open or close tabs',
    description:
      'Manages the tabs of a session: list them (id, URL, title, which is active), select one to make it the active tab for the other tools, open a new one (optionally at a URL), or close one. Popups and target=_blank links open new tabs by themselves; results say when that happens.',
    effect: 'read',
    input: z.object({
      action: z.enum(['list', 'select', 'new', 'close']).default('list').describe('list (default), select, new or close.'),
      tab: TabField.describe('The tab to select or close (select and close need it; close defaults to the active tab).'),
      url: z.string().max(8_192).optional().describe('For new: a URL to open in the new tab.'),
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

  return [navigate, back, tabs];
}
