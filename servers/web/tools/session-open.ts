// web_session_open: an isolated browser session, optionally restored from a saved one, optionally traced.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import type { WebRuntime } from '../runtime.js';
import { SAVED_NAME } from '../saved-sessions.js';
import { SessionInfo, sessionInfo } from '../session-info.js';
import { SESSION_ID } from '../sessions.js';

export function sessionOpenTool(runtime: WebRuntime): Tool {
  return defineTool({
    name: 'web_session_open',
    title: 'Open a browser session',
    description:
      'Opens an isolated browser session (own cookies, storage, tabs). Only needed to run sessions side by side, restore a saved login or record a trace: web tools open "default" by themselves. Returns the session id and its action log.',
    effect: 'read',
    statefulRead: true,
    input: z.object({
      session: z
        .string()
        .regex(SESSION_ID, 'a session id is 1-32 lower-case letters, digits, dashes or underscores')
        .optional()
        .describe('Id, e.g. "work". Default: s1, s2, …'),
      restore: z
        .string()
        .regex(SAVED_NAME, 'a saved-session name is 1-64 letters, digits, dots, dashes or underscores')
        .optional()
        .describe('Saved session (web_session_save) to start from.'),
      trace: z.boolean().default(false).describe('Record a Playwright trace, saved on close.'),
    }),
    output: SessionInfo.extend({ openSessions: z.array(z.string()) }),
    async handler(args) {
      const session = await runtime.sessions.open({ id: args.session, restore: args.restore, trace: args.trace });
      const structured = { ...(await sessionInfo(session)), openSessions: runtime.sessions.list().map((s) => s.id) };
      const how = `${args.restore ? ` from the saved session ${args.restore}` : ''}${args.trace ? ' (tracing)' : ''}`;
      const text = `Opened session ${session.id}${how}. Pass session: "${session.id}" to the web tools. Open sessions: ${structured.openSessions.join(', ')}.`;
      return { structured, text };
    },
  });
}
