// web_wait_for: wait for text, an element, a URL or a quiet network, with a timeout and progress.
import * as z from 'zod';

import { HearthError, invalidArgument } from '../../../lib/errors.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import { runAction } from '../action.js';
import { fromPlaywright } from '../playwright-errors.js';
import type { WebRuntime } from '../runtime.js';
import { PageResult, SessionField, TabField } from '../schemas.js';
import { describeTarget, resolveTarget, Target } from '../target.js';

function urlMatcher(pattern: string): (url: URL) => boolean {
  if (pattern.includes('*')) {
    const body = pattern
      .split('**')
      .map((p) =>
        p
          .split('*')
          .map((q) => q.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]*'),
      )
      .join('.*');
    const re = new RegExp(`^${body}$`);
    return (url) => re.test(url.href);
  }
  return (url) => url.href.includes(pattern);
}

export function waitTool(runtime: WebRuntime): Tool {
  return defineTool({
    name: 'web_wait_for',
    title: 'Wait for the page',
    description:
      'Waits until something is true on the page — text appears (or disappears), an element appears (or goes away), the URL matches, or the network goes quiet — then returns what changed meanwhile. Give exactly one condition. Times out with a clear error (default 10 s, at most 120 s) and sends progress while waiting. Use it after actions that start slow work, instead of sleeping.',
    effect: 'read',
    input: z.object({
      text: z.string().min(1).max(500).optional().describe('Wait until this text is visible.'),
      textGone: z.string().min(1).max(500).optional().describe('Wait until this text is no longer visible.'),
      target: Target.optional().describe('Wait until this element is visible (ref or hints).'),
      targetGone: Target.optional().describe('Wait until this element is hidden or removed.'),
      url: z
        .string()
        .min(1)
        .max(2_000)
        .optional()
        .describe('Wait until the page URL contains this, or matches it as a glob with * and ** (e.g. "**/confirmation/*").'),
      networkIdle: z.boolean().optional().describe('Wait until the page has made no network requests for half a second.'),
      timeoutMs: z.number().int().min(100).max(120_000).default(10_000).describe('Give up after this long (default 10 s).'),
      session: SessionField,
      tab: TabField,
    }),
    output: PageResult.extend({ waitedMs: z.number().int() }),
    async handler(args, ctx) {
      const conditions = ['text', 'textGone', 'target', 'targetGone', 'url', 'networkIdle'].filter(
        (k) => args[k as keyof typeof args] !== undefined && args[k as keyof typeof args] !== false,
      );
      if (conditions.length !== 1)
        throw invalidArgument(
          conditions.length ? conditions[1]! : 'text',
          conditions.length ? `give one condition, not ${conditions.length} (${conditions.join(', ')})` : 'no condition was given',
          'Pass exactly one of text, textGone, target, targetGone, url or networkIdle; call again for the next one.',
        );
      const started = performance.now();
      const timeout = args.timeoutMs;
      const ticker = setInterval(() => void ctx.progress(Math.round(performance.now() - started), timeout, 'waiting'), 500);
      try {
        const outcome = await runAction(runtime, ctx, {
          session: args.session,
          tab: args.tab,
          logArgs: args,
          act: async (tab) => {
            const { page } = tab;
            const opts = { timeout, signal: ctx.signal };
            try {
              if (args.text) {
                await page
                  .getByText(args.text)
                  .first()
                  .waitFor({ state: 'visible', ...opts });
                return `the text ${JSON.stringify(args.text)} is visible`;
              }
              if (args.textGone) {
                await page
                  .getByText(args.textGone)
                  .first()
                  .waitFor({ state: 'hidden', ...opts });
                return `the text ${JSON.stringify(args.textGone)} is gone`;
              }
              if (args.target) {
                const found = await resolveTarget(page, args.target, { field: 'target', timeoutMs: timeout, signal: ctx.signal });
                await found.locator.waitFor({ state: 'visible', ...opts });
                return `${describeTarget(args.target)} is visible`;
              }
              if (args.targetGone) {
                const found = await resolveTarget(page, args.targetGone, { field: 'targetGone', timeoutMs: 0 }).catch(() => undefined);
                if (found) await found.locator.waitFor({ state: 'hidden', ...opts });
                return `${describeTarget(args.targetGone)} is gone`;
              }
              if (args.url) {
                await page.waitForURL(urlMatcher(args.url), { waitUntil: 'domcontentloaded', ...opts });
                return `the URL is ${page.url()}`;
              }
              await page.waitForLoadState('networkidle', opts);
              return 'the network is idle';
            } catch (error) {
              if (error instanceof HearthError) throw error;
              const what = args.text
                ? `waiting for the text ${JSON.stringify(args.text)}`
                : args.textGone
                  ? `waiting for ${JSON.stringify(args.textGone)} to go`
                  : args.url
                    ? `waiting for the URL ${args.url}`
                    : args.networkIdle
                      ? 'waiting for the network to go quiet'
                      : 'waiting for the element';
              throw fromPlaywright(error, what, { timeoutMs: timeout, signal: ctx.signal });
            }
          },
        });
        return { structured: { ...outcome.structured, waitedMs: Math.round(performance.now() - started) }, text: outcome.text };
      } finally {
        clearInterval(ticker);
      }
    },
  });
}
