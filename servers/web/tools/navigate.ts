// web_navigate: opens a URL on an allowed origin and returns a short outline of the page.
import * as z from 'zod';

import type { Tool } from '../../../shared/tool.js';
import { fromPlaywright } from '../playwright-errors.js';
import type { WebRuntime } from '../runtime.js';
import { defineWebAction } from '../tab-tool.js';
import { assertNavigable, verdictFor } from '../url-policy.js';

export function navigateTool(runtime: WebRuntime): Tool {
  const { settings, kernel } = runtime;
  return defineWebAction(runtime, {
    name: 'web_navigate',
    title: 'Open a web page',
    description:
      'Opens a URL in the session’s active tab (or a new tab). Returns a short outline of the page with a ref on every control for the other web tools. Only allowlisted origins open; requests to other origins are blocked and listed. The first call starts the browser.',
    effect: 'read',
    input: {
      url: z.string().min(1).max(8_192).describe('Absolute http(s) URL.'),
      newTab: z.boolean().default(false).describe('Open in a new, active tab.'),
      waitUntil: z
        .enum(['commit', 'domcontentloaded', 'load', 'networkidle'])
        .default('domcontentloaded')
        .describe('When the load counts as done; networkidle waits for data to stop.'),
    },
    output: { status: z.number().int().optional().describe('HTTP status of the main document.') },
    freshView: true,
    startTab: (args) => (args.newTab ? undefined : args.tab),
    // The URL is checked against the allowlist before any session opens.
    prepare: (args) => assertNavigable(kernel.policy, args.url, 'url'),
    async act(args, { tab, session, ctx, prepared: url }) {
      const target = args.newTab ? await session.newTab() : tab;
      await ctx.progress(0, 1, `opening ${url}`);
      let response;
      try {
        response = await target.page.goto(url, { waitUntil: args.waitUntil, timeout: settings.navigationTimeoutMs, signal: ctx.signal });
      } catch (error) {
        throw fromPlaywright(error, `opening ${url}`, { field: 'url', timeoutMs: settings.navigationTimeoutMs, signal: ctx.signal });
      }
      await ctx.progress(1, 1, 'loaded');
      const status = response?.status();
      const extra = status ? { status } : {};
      const landed = target.page.url();
      const verdict = verdictFor(kernel.policy, landed);
      if (!verdict.allowed || response?.headers()['x-hearth-blocked']) {
        const why = verdict.allowed ? 'blocked at the network' : verdict.reason;
        return {
          did: `opened ${url}, but it redirected to ${landed}, which is blocked (${why}); the page shows Hearth's block notice`,
          extra,
        };
      }
      const redirected = landed === url ? '' : ` ${landed} (redirected)`;
      return {
        did: `opened${redirected}${status ? ` (HTTP ${status})` : ''}${args.newTab ? ` in new tab ${target.id}` : ''}`,
        extra,
      };
    },
  });
}
