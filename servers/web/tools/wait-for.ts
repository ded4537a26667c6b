// web_wait_for: waits for text, an element, a URL or a quiet network, with a timeout and progress.
import * as z from 'zod';

import { HearthError, invalidArgument } from '../../../lib/errors.js';
import type { Tool } from '../../../shared/tool.js';
import { fromPlaywright } from '../playwright-errors.js';
import type { WebRuntime } from '../runtime.js';
import { defineWebAction } from '../tab-tool.js';
import { describeTarget, resolveTarget, Target } from '../target.js';

const CONDITIONS = ['text', 'textGone', 'target', 'targetGone', 'url', 'networkIdle'] as const;

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

export function waitForTool(runtime: WebRuntime): Tool {
  return defineWebAction(runtime, {
    name: 'web_wait_for',
    title: 'Wait for the page',
    description:
      'Waits until exactly one condition holds: text appears or goes, an element appears or goes, the URL matches, or the network is idle. Returns what changed meanwhile; times out with an error (default 10 s). Use after actions that start slow work.',
    effect: 'read',
    input: {
      text: z.string().min(1).max(500).optional().describe('Wait until this text is visible.'),
      textGone: z.string().min(1).max(500).optional().describe('Wait until this text is gone.'),
      target: Target.optional().describe('Wait until this element is visible.'),
      targetGone: Target.optional().describe('Wait until this element is gone.'),
      url: z.string().min(1).max(2_000).optional().describe('Wait until the URL contains this or matches it as a glob ("**/done/*").'),
      networkIdle: z.boolean().optional().describe('Wait until no request for 0.5 s.'),
      timeoutMs: z.number().int().min(100).max(120_000).default(10_000).describe('Give up after this long.'),
    },
    output: { waitedMs: z.number().int() },
    // Exactly one condition, checked before any session opens; the wait is timed from here.
    prepare(args) {
      const given = CONDITIONS.filter((k) => args[k] !== undefined && args[k] !== false);
      if (given.length !== 1)
        throw invalidArgument(
          given.length ? given[1]! : 'text',
          given.length ? `give one condition, not ${given.length} (${given.join(', ')})` : 'no condition was given',
          'Pass exactly one of text, textGone, target, targetGone, url or networkIdle; call again for the next one.',
        );
      return { started: performance.now() };
    },
    async act(args, { tab, ctx, prepared }) {
      const { page } = tab;
      const timeout = args.timeoutMs;
      const waited = () => Math.round(performance.now() - prepared.started);
      const ticker = setInterval(() => void ctx.progress(waited(), timeout, 'waiting'), 500);
      const opts = { timeout, signal: ctx.signal };
      const done = (did: string) => ({ did, extra: { waitedMs: waited() } });
      try {
        if (args.text) {
          await page
            .getByText(args.text)
            .first()
            .waitFor({ state: 'visible', ...opts });
          return done(`the text ${JSON.stringify(args.text)} is visible`);
        }
        if (args.textGone) {
          await page
            .getByText(args.textGone)
            .first()
            .waitFor({ state: 'hidden', ...opts });
          return done(`the text ${JSON.stringify(args.textGone)} is gone`);
        }
        if (args.target) {
          const found = await resolveTarget(page, args.target, { field: 'target', timeoutMs: timeout, signal: ctx.signal });
          await found.locator.waitFor({ state: 'visible', ...opts });
          return done(`${describeTarget(args.target)} is visible`);
        }
        if (args.targetGone) {
          const found = await resolveTarget(page, args.targetGone, { field: 'targetGone', timeoutMs: 0 }).catch(() => undefined);
          if (found) await found.locator.waitFor({ state: 'hidden', ...opts });
          return done(`${describeTarget(args.targetGone)} is gone`);
        }
        if (args.url) {
          await page.waitForURL(urlMatcher(args.url), { waitUntil: 'domcontentloaded', ...opts });
          return done(`the URL is ${page.url()}`);
        }
        await page.waitForLoadState('networkidle', opts);
        return done('the network is idle');
      } catch (error) {
        if (error instanceof HearthError) throw error;
        throw fromPlaywright(error, waitingFor(args), { timeoutMs: timeout, signal: ctx.signal });
      } finally {
        clearInterval(ticker);
      }
    },
  });
}

function waitingFor(args: {
  text?: string | undefined;
  textGone?: string | undefined;
  url?: string | undefined;
  networkIdle?: boolean | undefined;
}): string {
  if (args.text) return `waiting for the text ${JSON.stringify(args.text)}`;
  if (args.textGone) return `waiting for ${JSON.stringify(args.textGone)} to go`;
  if (args.url) return `waiting for the URL ${args.url}`;
  if (args.networkIdle) return 'waiting for the network to go quiet';
  return 'waiting for the element';
}
