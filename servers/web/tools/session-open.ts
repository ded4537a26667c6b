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
      'Opens an isolated browser session (its own cookies, storage and tabs), optionally starting from a saved session (restore) so it is already logged in. Several sessions can be open at once and never see each other’s cookies. Every web tool takes `session`; when omitted they use the "default" session, which opens by itself — so call this only to run sessions side by side, to restore a saved login, or to record a Playwright trace. Returns the session id and where its action log is.',
    effect: 'read',
    input: z.object({
      session: z
        .string()
        .regex(SESSION_ID, 'a session id is 1-32 lower-case letters, digits, dashes or underscores')
        .optional()
        .describe('Id for the new session, e.g. "work". Default: s1, s2, …'),
      restore: z
        .string()
        .regex(SAVED_NAME, 'a saved-session name is 1-64 letters, digits, dots, dashes or underscores')
        .optional()
        .describe('Name of a session saved with web_session_save: its cookies and local storage are loaded.'),
      trace: z
        .boolean()
        .default(false)
        .describe(
          'Record a Playwright trace (screenshots and DOM snapshots of every step), saved in the session log when the session closes.',
        ),
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
