// The web server's settings (`servers.web.*` in the config), with their defaults. One schema is the
// source for validation, defaults and the settings table in docs/servers/web.md.
import * as z from 'zod';

import type { HearthConfig } from '../../shared/config.js';
import { serverSection } from '../../shared/config.js';

export const WebSettings = z
  .object({
    executablePath: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Chromium or Chrome binary to launch. Default: `$HEARTH_CHROMIUM`, then `/usr/lib/chromium/chromium`, `/usr/bin/chromium`, `/usr/bin/chromium-browser`, `/usr/bin/google-chrome(-stable)`, the macOS app paths, then Playwright’s own browser.',
      ),
    headless: z.boolean().default(true).describe('Run the browser without a window.'),
    args: z.array(z.string()).default([]).describe('Extra Chromium command-line switches.'),
    maxSessions: z.number().int().min(1).max(32).default(8).describe('Browser sessions (isolated contexts) open at once.'),
    maxTabs: z.number().int().min(1).max(50).default(10).describe('Tabs per session; popups beyond this are closed.'),
    snapshotMaxChars: z
      .number()
      .int()
      .min(500)
      .max(200_000)
      .default(12_000)
      .describe('Size of one web_snapshot page, in characters (about 4 per token).'),
    viewMaxChars: z.number().int().min(200).max(50_000).default(3_000).describe('Size of the short snapshot or delta an action returns.'),
    autoSnapshotMaxElements: z
      .number()
      .int()
      .min(100)
      .max(1_000_000)
      .default(5_000)
      .describe('Pages with more elements than this get no automatic snapshot after an action (call web_snapshot with a focus instead).'),
    actionTimeoutMs: z
      .number()
      .int()
      .min(100)
      .max(120_000)
      .default(5_000)
      .describe('How long an action waits for its element to appear and become actionable.'),
    navigationTimeoutMs: z.number().int().min(1_000).max(300_000).default(30_000).describe('How long a navigation may take.'),
    settleMs: z
      .number()
      .int()
      .min(0)
      .max(30_000)
      .default(1_500)
      .describe('After an action, the longest wait for the requests it started (fetch/XHR) to finish. Navigations are always awaited.'),
    screenshots: z
      .enum(['actions', 'off'])
      .default('actions')
      .describe('`actions`: the session log keeps a screenshot after each action (taken off the critical path); `off`: none.'),
    screenshotScale: z
      .number()
      .min(0.25)
      .max(1)
      .default(1)
      .describe(
        'Size of the session log screenshots against the viewport. 0.5 takes half the width and height at about half the cost; the next action of a session waits for the capture.',
      ),
    viewport: z
      .object({
        width: z.number().int().min(200).max(4_000).default(1280).describe('Width, in CSS pixels.'),
        height: z.number().int().min(200).max(4_000).default(800).describe('Height, in CSS pixels.'),
      })
      .strict()
      .prefault({})
      .describe('Viewport size of new sessions.'),
    locale: z.string().default('en-US').describe('Locale of new sessions (Accept-Language, date formats).'),
    timezoneId: z.string().optional().describe('Time zone of new sessions, e.g. Europe/Paris. Default: the machine’s.'),
    userAgent: z.string().optional().describe('User agent of new sessions. Default: Chromium’s.'),
    downloadMaxBytes: z
      .number()
      .int()
      .min(1)
      .default(50 * 1024 * 1024)
      .describe('Downloads larger than this are deleted and reported.'),
    requestMaxBytes: z
      .number()
      .int()
      .min(1_024)
      .max(100 * 1024 * 1024)
      .default(10 * 1024 * 1024)
      .describe('web_request reads at most this many response bytes.'),
  })
  .strict();

export type WebSettings = z.infer<typeof WebSettings>;

export function webSettings(config: HearthConfig): WebSettings {
  return serverSection(config, 'web', WebSettings);
}
