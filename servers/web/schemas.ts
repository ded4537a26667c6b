// Schema pieces shared by the web tools: the session and tab fields, dialog answers, and the result
// every page action returns.
import * as z from 'zod';

import { WebEvent } from './events.js';
import { SESSION_ID } from './sessions.js';
import { ViewInfo } from './view.js';

export const SessionField = z
  .string()
  .regex(SESSION_ID, 'a session id is 1-32 lower-case letters, digits, dashes or underscores')
  .optional()
  .describe('Session id; default "default".');

export const TabField = z
  .string()
  .regex(/^t\d+$/, 'a tab id looks like t1')
  .optional()
  .describe('Default: the active tab.');

export const DialogAnswer = z
  .object({
    accept: z.boolean().describe('OK (true) or Cancel (false).'),
    promptText: z.string().max(1_000).optional().describe('Answer to a prompt.'),
  })
  .strict()
  .optional()
  .describe('Answer to a confirm or prompt it opens; default dismiss.');

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
