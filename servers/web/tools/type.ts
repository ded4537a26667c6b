// web_type: types text into a field; values typed into password fields (or marked sensitive) are
// masked in results, logs, the session log and the audit.
import * as z from 'zod';

import type { Tool } from '../../../shared/tool.js';
import { auditCopy, MASKED } from '../audit-masks.js';
import { elementInfo } from '../element-info.js';
import type { WebRuntime } from '../runtime.js';
import { defineWebAction } from '../tab-tool.js';
import { describeTarget, foundVia, Target } from '../target.js';
import { elementLine, placeOf, probe, where } from './common.js';

/** Longest stretch of typed text a preview or a result shows. */
const SHOWN_CHARS = { preview: 200, result: 60 };

function shown(text: string, max: number): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

export function typeTool(runtime: WebRuntime): Tool {
  const timeout = runtime.settings.actionTimeoutMs;
  return defineWebAction(runtime, {
    name: 'web_type',
    title: 'Type into a field',
    description:
      'Types text into a field or editable element, replacing its content unless clear is false, optionally pressing Enter. Password fields and sensitive text are never shown. Returns what changed. For whole forms use web_fill_form.',
    effect: 'external',
    dialog: true,
    input: {
      target: Target,
      text: z.string().max(100_000).describe('The text to type.'),
      clear: z.boolean().default(true).describe('Replace the content; false appends.'),
      submit: z.boolean().default(false).describe('Press Enter after typing.'),
      slowly: z.boolean().default(false).describe('Type key by key, for autocomplete. Slower.'),
      sensitive: z.boolean().optional().describe('The text is a secret (password fields are detected).'),
    },
    auditArgs: (args) => auditCopy(runtime, args, 'text'),
    async preview(args, ctx) {
      const info = await probe(runtime, args, args.target);
      const secret = args.sensitive === true || info?.password === true;
      if (secret) ctx.secret(args.text, ['text']);
      const place = placeOf(await where(runtime, args));
      return {
        summary: `Type into ${elementLine(args.target, info)} on ${place}${args.submit ? ' and press Enter' : ''}`,
        changes: [
          {
            kind: 'form',
            target: place,
            fields: [
              {
                field: info?.label || describeTarget(args.target),
                value: secret ? MASKED : shown(args.text, SHOWN_CHARS.preview),
                ...(secret ? { note: 'secret' } : {}),
              },
            ],
            submit: args.submit,
          },
        ],
      };
    },
    async act(args, { tab, find, ctx }) {
      const found = await find(args.target);
      const info = await elementInfo(found.locator, timeout).catch(() => undefined);
      const secret = args.sensitive === true || info?.password === true;
      if (secret) ctx.secret(args.text, ['text']);
      const opts = { timeout, signal: ctx.signal };
      if (args.slowly) {
        if (args.clear) await found.locator.clear(opts);
        await found.locator.pressSequentially(args.text, opts);
      } else if (args.clear) await found.locator.fill(args.text, opts);
      else {
        await found.locator.focus(opts);
        await tab.page.keyboard.insertText(args.text);
      }
      if (args.submit) await found.locator.press('Enter', opts);
      const into = info?.label ? JSON.stringify(info.label) : describeTarget(args.target);
      const typed = secret ? MASKED : shown(args.text, SHOWN_CHARS.result);
      return `typed ${typed} into ${into}${foundVia(found)}${args.submit ? ' and pressed Enter' : ''}`;
    },
  });
}
