// web_screenshot: the page or one element as an image, returned inline and as a resource.
import type { ContentBlock } from '@modelcontextprotocol/server';
import * as z from 'zod';

import type { Tool } from '../../../shared/tool.js';
import { fromPlaywright } from '../playwright-errors.js';
import type { WebRuntime } from '../runtime.js';
import { defineTabTool } from '../tab-tool.js';
import { describeTarget, resolveTarget, Target } from '../target.js';

const INLINE_MAX_BYTES = 1_500_000;

export function screenshotTool(runtime: WebRuntime): Tool {
  const { settings, kernel } = runtime;
  return defineTabTool(runtime, {
    name: 'web_screenshot',
    title: 'Take a screenshot',
    description:
      'Screenshots the viewport, the whole page or one element, as an image and a resource link. For what only pixels show (layout, images, charts); read pages with web_snapshot.',
    input: {
      target: Target.optional().describe('Only this element (ref or hints).'),
      fullPage: z.boolean().default(false).describe('The whole scrolling page.'),
      format: z.enum(['png', 'jpeg']).default('png').describe('png (sharp) or jpeg (smaller).'),
      quality: z.number().int().min(1).max(100).optional().describe('jpeg quality, 1-100 (default 80).'),
      inline: z.boolean().default(true).describe('Also return the image inline (up to 1.5 MB).'),
    },
    output: z.object({
      session: z.string(),
      tab: z.string(),
      url: z.string(),
      uri: z.string(),
      mimeType: z.string(),
      bytes: z.number().int(),
      inline: z.boolean(),
    }),
    async handle(args, { tab, session }, ctx) {
      const type = args.format;
      const options = {
        type,
        timeout: settings.navigationTimeoutMs,
        animations: 'disabled' as const,
        ...(type === 'jpeg' ? { quality: args.quality ?? 80 } : {}),
      };
      let bytes: Buffer;
      try {
        if (args.target) {
          const found = await resolveTarget(tab.page, args.target, {
            field: 'target',
            timeoutMs: settings.actionTimeoutMs,
            signal: ctx.signal,
          });
          bytes = await found.locator.screenshot(options);
        } else bytes = await tab.page.screenshot({ ...options, fullPage: args.fullPage });
      } catch (error) {
        throw fromPlaywright(error, 'taking the screenshot', { signal: ctx.signal });
      }
      const mimeType = type === 'png' ? 'image/png' : 'image/jpeg';
      const description = `Screenshot of ${tab.page.url()}${args.target ? ` (${describeTarget(args.target)})` : ''}`;
      const artifact = kernel.artifacts.put(
        `screenshot-${session.id}-${tab.id}.${type === 'png' ? 'png' : 'jpg'}`,
        bytes,
        mimeType,
        description,
      );
      const inline = args.inline && bytes.byteLength <= INLINE_MAX_BYTES;
      const content: ContentBlock[] = [kernel.artifacts.link(artifact)];
      if (inline) content.unshift({ type: 'image', data: bytes.toString('base64'), mimeType });
      return {
        structured: {
          session: session.id,
          tab: tab.id,
          url: tab.page.url(),
          uri: artifact.uri,
          mimeType,
          bytes: bytes.byteLength,
          inline,
        },
        text: `${description}: ${bytes.byteLength} bytes${inline ? '' : ' (not inline: too large or inline false)'}; resource ${artifact.uri}`,
        content,
      };
    },
  });
}
