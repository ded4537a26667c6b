// web_hover: moves the mouse over an element, e.g. to open a menu or show a tooltip.
import type { Tool } from '../../../shared/tool.js';
import type { WebRuntime } from '../runtime.js';
import { defineWebAction } from '../tab-tool.js';
import { describeTarget, foundVia, Target } from '../target.js';

export function hoverTool(runtime: WebRuntime): Tool {
  const timeout = runtime.settings.actionTimeoutMs;
  return defineWebAction(runtime, {
    name: 'web_hover',
    title: 'Hover over an element',
    description: 'Moves the mouse over an element, e.g. to open a menu or show a tooltip. Returns what changed.',
    effect: 'read',
    input: { target: Target },
    async act(args, { find, ctx }) {
      const found = await find(args.target);
      await found.locator.hover({ timeout, signal: ctx.signal });
      return `hovered over ${describeTarget(args.target)}${foundVia(found)}`;
    },
  });
}
