// web_session_close: closes a session and its tabs; links its action log and trace.
import type { ResourceLink } from '@modelcontextprotocol/server';
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import { logUri } from '../log-resources.js';
import type { WebRuntime } from '../runtime.js';
import { DEFAULT_SESSION, SESSION_ID } from '../sessions.js';

function resourceLink(uri: string, name: string, mimeType: string, description: string): ResourceLink {
  return { type: 'resource_link', uri, name, mimeType, description };
}

export function sessionCloseTool(runtime: WebRuntime): Tool {
  return defineTool({
    name: 'web_session_close',
    title: 'Close a browser session',
    description:
      'Closes a browser session and its tabs; its cookies are lost unless saved with web_session_save. Returns links to its action log (a screenshot per action) and trace.',
    effect: 'read',
    statefulRead: true,
    input: z.object({
      session: z
        .string()
        .regex(SESSION_ID, 'a session id is 1-32 lower-case letters, digits, dashes or underscores')
        .default(DEFAULT_SESSION)
        .describe('The session to close. Default: "default".'),
    }),
    output: z.object({
      closed: z.string(),
      actions: z.number().int(),
      screenshots: z.number().int(),
      log: z.string(),
      trace: z.string().optional(),
      openSessions: z.array(z.string()),
    }),
    async handler(args) {
      const { session, trace } = await runtime.sessions.close(args.session);
      const logUriValue = logUri(session.log.folder, 'actions.jsonl');
      const content: ResourceLink[] = [
        resourceLink(
          logUriValue,
          `${session.log.folder}/actions.jsonl`,
          'application/x-ndjson',
          'The session’s actions, with screenshot names.',
        ),
      ];
      const traceUri = trace ? logUri(session.log.folder, 'trace.zip') : undefined;
      if (traceUri)
        content.push(
          resourceLink(
            traceUri,
            `${session.log.folder}/trace.zip`,
            'application/zip',
            'Playwright trace; open with `npx playwright show-trace`.',
          ),
        );
      const structured = {
        closed: session.id,
        actions: session.log.entries,
        screenshots: session.log.screenshotCount,
        log: logUriValue,
        ...(traceUri ? { trace: traceUri } : {}),
        openSessions: runtime.sessions.list().map((s) => s.id),
      };
      return {
        structured,
        text: `Closed session ${session.id} (${structured.actions} actions logged${traceUri ? ', trace saved' : ''}).`,
        content,
      };
    },
  });
}
