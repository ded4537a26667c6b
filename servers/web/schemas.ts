// Schema pieces shared by the web tools: the session and tab fields, dialog answers, and the result
// every page action returns.
import * as z from 'zod';

import { WebEvent } from './events.js';
import { SESSION_ID } from './sessions.js';
import { ViewInfo } from './view.js';

/** How the action tools say a target may be given; shared so every action reads the same. */
export const TARGET_HELP =
  'Target by ref from web_snapshot ("e12") or by hints ({"role": "button", "name": "Save"}, {"label": "Email"}, {"text": "Sign in"}, {"testId": "…"}, {"css": "…"}); hints are tried as a fallback chain, and elements that appear late are waited for.';

export const SessionField = z
  .string()
  .regex(SESSION_ID, 'a session id is 1-32 lower-case letters, digits, dashes or underscores')
  .optional()
  .describe('Session id from web_session_open. Default: "default", opened on first use.');

export const TabField = z
  .string()
  .regex(/^t\d+$/, 'a tab id looks like t1')
  .optional()
  .describe('Tab id from web_tabs. Default: the active tab.');

export const DialogAnswer = z
  .object({
    accept: z
      .boolean()
      .describe('Accept (OK) or dismiss (Cancel) a confirm or prompt dialog this action opens. Alerts are always accepted.'),
    promptText: z.string().max(1_000).optional().describe('Text to answer a prompt dialog with.'),
  })
  .strict()
  .optional()
  .describe('How to answer a dialog the action opens. Default: confirm and prompt dialogs are dismissed, and the result says so.');

export const PageResult = z.object({
  session: z.string(),
  tab: z.string(),
  url: z.string(),
  title: z.string(),
  did: z.string().describe('What was done, in one line.'),
  navigated: z.boolean().describe('Whether the page changed to a new document (or a new tab became active).'),
  view: ViewInfo,
  events: z.array(WebEvent).describe('Blocked requests, dialogs, popups and downloads since the last call on this session.'),
});
export type PageResult = z.infer<typeof PageResult>;
