// web_session_list: the open sessions with their tabs, and the saved sessions.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import type { WebRuntime } from '../runtime.js';
import { SessionInfo, sessionInfo } from '../session-info.js';

export function sessionListTool(runtime: WebRuntime): Tool {
  return defineTool({
    name: 'web_session_list',
    title: 'List browser sessions',
    description: 'Lists the open browser sessions with their tabs, and the saved sessions web_session_open can restore.',
    effect: 'read',
    input: z.object({}),
    output: z.object({
      sessions: z.array(SessionInfo),
      saved: z.array(z.object({ name: z.string(), savedAt: z.string(), cookies: z.number().int(), origins: z.array(z.string()) })),
      browserRunning: z.boolean(),
    }),
    async handler() {
      const sessions = await Promise.all(runtime.sessions.list().map(sessionInfo));
      const saved = runtime.saved.list();
      const lines = [
        sessions.length ? 'Open sessions:' : 'No session is open (the default one opens on first use).',
        ...sessions.map((s) => `- ${s.session}: ${s.tabs.map((t) => `${t.id}${t.active ? '*' : ''} ${t.url}`).join('; ') || 'no tabs'}`),
        saved.length
          ? `Saved sessions: ${saved.map((s) => `${s.name} (${s.cookies} cookies: ${s.origins.join(', ') || '—'})`).join('; ')}`
          : 'No saved sessions.',
      ];
      return { structured: { sessions, saved, browserRunning: runtime.host.running }, text: lines.join('\n') };
    },
  });
}
