// web_click: clicks an element found by ref or hints and returns what changed.
import * as z from 'zod';

import type { Tool } from '../../../shared/tool.js';
import type { WebRuntime } from '../runtime.js';
import { defineWebAction } from '../tab-tool.js';
import { describeTarget, foundVia, Target } from '../target.js';
import { elementLine, notePreview, placeOf, probe, where } from './common.js';

export function clickTool(runtime: WebRuntime): Tool {
  const timeout = runtime.settings.actionTimeoutMs;
  return defineWebAction(runtime, {
    name: 'web_click',
    title: 'Click an element',
    description:
      'Clicks an element and waits for what the click starts (navigation, requests, popup). Returns what changed on the page. Confirm and prompt dialogs are dismissed unless dialog says otherwise.',
    effect: 'external',
    dialog: true,
    input: {
      target: Target,
      button: z.enum(['left', 'right', 'middle']).default('left').describe('Mouse button.'),
      double: z.boolean().default(false).describe('Double-click.'),
      modifiers: z
        .array(z.enum(['Alt', 'Control', 'ControlOrMeta', 'Meta', 'Shift']))
        .max(4)
        .optional()
        .describe('Keys held.'),
    },
    async preview(args) {
      const place = await where(runtime, args);
      const info = await probe(runtime, args, args.target);
      const dialog = args.dialog ? `; ${args.dialog.accept ? 'accept' : 'dismiss'} a dialog it opens` : '';
      return notePreview(
        `Click ${elementLine(args.target, info)} on ${placeOf(place)}`,
        `${args.double ? 'Double-click' : 'Click'} ${elementLine(args.target, info)}${dialog}.`,
      );
    },
    async act(args, { find, ctx }) {
      const found = await find(args.target);
      const opts = { button: args.button, timeout, signal: ctx.signal, ...(args.modifiers ? { modifiers: args.modifiers } : {}) };
      if (args.double) await found.locator.dblclick(opts);
      else await found.locator.click(opts);
      return `clicked ${describeTarget(args.target)}${foundVia(found)}`;
    },
  });
}
