// web_press: presses a key or key combination on an element or on the page.
import * as z from 'zod';

import type { Tool } from '../../../shared/tool.js';
import { fromPlaywright } from '../playwright-errors.js';
import type { WebRuntime } from '../runtime.js';
import { defineWebAction } from '../tab-tool.js';
import { describeTarget, foundVia, Target } from '../target.js';
import { elementLine, notePreview, placeOf, probe, where } from './common.js';

export function pressTool(runtime: WebRuntime): Tool {
  const timeout = runtime.settings.actionTimeoutMs;
  return defineWebAction(runtime, {
    name: 'web_press',
    title: 'Press a key',
    description:
      'Presses a key or combination (Enter, Escape, ArrowDown, Control+A, Shift+Tab …) on an element, focused first, or on the page. Returns what changed.',
    effect: 'external',
    dialog: true,
    input: {
      key: z.string().min(1).max(100).describe('Key name or combination, e.g. "Enter", "Escape", "Control+A".'),
      target: Target.optional().describe('Element to focus first (ref or hints). Default: whatever has focus.'),
    },
    async preview(args) {
      const info = args.target ? await probe(runtime, args, args.target) : undefined;
      return notePreview(
        `Press ${args.key}${args.target ? ` on ${elementLine(args.target, info)}` : ''}`,
        `Press ${args.key} on ${placeOf(await where(runtime, args))}.`,
      );
    },
    async act(args, { tab, find, ctx }) {
      try {
        if (args.target) {
          const found = await find(args.target);
          await found.locator.press(args.key, { timeout, signal: ctx.signal });
          return `pressed ${args.key} on ${describeTarget(args.target)}${foundVia(found)}`;
        }
        await tab.page.keyboard.press(args.key);
        return `pressed ${args.key}`;
      } catch (error) {
        throw fromPlaywright(error, `pressing ${args.key}`, {
          field: /Unknown key/.test(String(error)) ? 'key' : 'target',
          timeoutMs: timeout,
          signal: ctx.signal,
        });
      }
    },
  });
}
