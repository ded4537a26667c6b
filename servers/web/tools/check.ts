// web_check: checks or unchecks a checkbox or switch, or selects a radio button.
import * as z from 'zod';

import type { Tool } from '../../../shared/tool.js';
import type { WebRuntime } from '../runtime.js';
import { defineWebAction } from '../tab-tool.js';
import { describeTarget, foundVia, Target } from '../target.js';
import { elementLine, placeOf, probe, where } from './common.js';

export function checkTool(runtime: WebRuntime): Tool {
  const timeout = runtime.settings.actionTimeoutMs;
  return defineWebAction(runtime, {
    name: 'web_check',
    title: 'Check or uncheck',
    description: 'Checks or unchecks a checkbox or switch, or selects a radio button. Returns what changed.',
    effect: 'external',
    input: {
      target: Target,
      checked: z.boolean().default(true).describe('false unchecks (not radios).'),
    },
    async preview(args) {
      const info = await probe(runtime, args, args.target);
      return {
        summary: `${args.checked ? 'Check' : 'Uncheck'} ${elementLine(args.target, info)}`,
        changes: [
          {
            kind: 'form',
            target: placeOf(await where(runtime, args)),
            fields: [{ field: info?.label || describeTarget(args.target), value: args.checked ? 'checked' : 'unchecked' }],
            submit: false,
          },
        ],
      };
    },
    async act(args, { find, ctx }) {
      const found = await find(args.target);
      await found.locator.setChecked(args.checked, { timeout, signal: ctx.signal });
      return `${args.checked ? 'checked' : 'unchecked'} ${describeTarget(args.target)}${foundVia(found)}`;
    },
  });
}
