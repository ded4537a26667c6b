// web_upload: puts files from the allowed roots into a file input (or the chooser a button opens).
import * as z from 'zod';

import type { Tool } from '../../../shared/tool.js';
import { elementInfo } from '../element-info.js';
import { filesFor } from '../fill-form.js';
import type { WebRuntime } from '../runtime.js';
import { defineWebAction } from '../tab-tool.js';
import { describeTarget, foundVia, Target } from '../target.js';
import { elementLine, placeOf, probe, where } from './common.js';

export function uploadTool(runtime: WebRuntime): Tool {
  const { kernel } = runtime;
  const timeout = runtime.settings.actionTimeoutMs;
  return defineWebAction(runtime, {
    name: 'web_upload',
    title: 'Upload files',
    description:
      'Puts files (under the policy’s allowed roots) into a file input, or the file chooser a button opens. Returns what changed.',
    effect: 'external',
    input: {
      target: Target,
      paths: z.array(z.string().min(1).max(4_096)).min(1).max(20).describe('Paths under the allowed roots (relative: against the first).'),
    },
    async preview(args) {
      const files = filesFor(args.paths, kernel.policy.jail, 'paths');
      const info = await probe(runtime, args, args.target);
      return {
        summary: `Upload ${files.length} file${files.length === 1 ? '' : 's'} into ${elementLine(args.target, info)}`,
        changes: [
          {
            kind: 'form',
            target: placeOf(await where(runtime, args)),
            fields: files.map((f) => ({
              field: info?.label || describeTarget(args.target),
              value: `${f.name} (${f.bytes} bytes)`,
              note: f.path,
            })),
            submit: false,
          },
        ],
      };
    },
    // The files are checked against the roots before any session opens.
    prepare: (args) => filesFor(args.paths, kernel.policy.jail, 'paths'),
    async act(args, { tab, find, ctx, prepared: files }) {
      const found = await find(args.target);
      const info = await elementInfo(found.locator, timeout).catch(() => undefined);
      const paths = files.map((f) => f.path);
      if (info?.kind === 'file') await found.locator.setInputFiles(paths, { timeout, signal: ctx.signal });
      else {
        const chooser = tab.page.waitForEvent('filechooser', { timeout });
        await found.locator.click({ timeout, signal: ctx.signal });
        await (await chooser).setFiles(paths, { timeout });
      }
      return `uploaded ${files.map((f) => f.name).join(', ')} into ${describeTarget(args.target)}${foundVia(found)}`;
    },
  });
}
