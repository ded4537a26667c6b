// web_back: one page back (or forward) in the tab's history, like the browser buttons.
import * as z from 'zod';

import type { Tool } from '../../../shared/tool.js';
import type { WebRuntime } from '../runtime.js';
import { defineWebAction } from '../tab-tool.js';

export function backTool(runtime: WebRuntime): Tool {
  const { settings } = runtime;
  return defineWebAction(runtime, {
    name: 'web_back',
    title: 'Go back or forward',
    description: 'Goes back (or forward) one page in the tab’s history. Returns a short outline of the page it lands on.',
    effect: 'read',
    input: { direction: z.enum(['back', 'forward']).default('back').describe('back (default) or forward.') },
    freshView: true,
    async act(args, { tab }) {
      const go = args.direction === 'back' ? tab.page.goBack.bind(tab.page) : tab.page.goForward.bind(tab.page);
      const response = await go({ waitUntil: 'domcontentloaded', timeout: settings.navigationTimeoutMs });
      if (response === null && args.direction === 'back' && tab.page.url() === 'about:blank') return 'there is no earlier page in this tab';
      return `went ${args.direction} to ${tab.page.url()}`;
    },
  });
}
