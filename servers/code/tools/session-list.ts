// code_session_list: the open sessions and the workspace folders on disk.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import type { CodeRuntime } from '../runtime.js';
import { SessionOut } from './common.js';

export function sessionListTool(cx: CodeRuntime): Tool {
  return defineTool({
    name: 'code_session_list',
    title: 'List code sessions',
    description:
      'Lists open sessions (memory, runs, resets, when each expires) and the workspace folders on disk, including those of closed sessions whose files were kept.',
    effect: 'read',
    input: z.object({}),
    output: z.object({
      sessions: z.array(SessionOut),
      workspaces: z.array(z.string()).describe('Workspace folders on disk; "scratch" belongs to one-shot runs.'),
      maxSessions: z.number(),
      idleMinutes: z.number(),
    }),
    async handler() {
      const sessions = cx.sessions.list();
      const structured = {
        sessions,
        workspaces: cx.sessions.workspaceNames(),
        maxSessions: cx.settings.maxSessions,
        idleMinutes: cx.settings.idleMinutes,
      };
      const text = sessions.length
        ? sessions
            .map((s) => `${s.id}: ${s.memoryMb} MB, ${s.runs} runs, ${s.resets} resets${s.busy ? ', running' : ''}, expires ${s.expiresAt}`)
            .join('\n')
        : 'no open sessions';
      return { structured, text };
    },
  });
}
