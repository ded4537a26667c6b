// code_session_close: ends a session's sandbox and, unless asked to keep them, its files.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import type { CodeRuntime } from '../runtime.js';

export function sessionCloseTool(cx: CodeRuntime): Tool {
  return defineTool({
    name: 'code_session_close',
    title: 'Close a code session',
    description: 'Closes a session: ends its sandbox (its variables are gone) and deletes its workspace files unless keepFiles is true.',
    effect: 'write',
    input: z.object({
      session: z.string().min(1).max(40).describe('The session id to close.'),
      keepFiles: z
        .boolean()
        .default(false)
        .describe('Keep the workspace folder so a session opened later with the same name finds the files.'),
    }),
    output: z.object({ closed: z.string(), filesDeleted: z.boolean() }),
    async preview(args) {
      const files = args.keepFiles
        ? []
        : cx.sessions
            .workspace(args.session)
            .list('.', { recursive: true })
            .filter((e) => e.kind !== 'dir');
      const deleting = files.length ? ` and delete its ${files.length} workspace file${files.length === 1 ? '' : 's'}` : '';
      return {
        summary: `Close session ${args.session}${args.keepFiles ? ', keeping its files' : deleting}`,
        changes: files.slice(0, 200).map((f) => ({ kind: 'file' as const, path: f.path, action: 'delete' as const, bytes: f.bytes })),
      };
    },
    async handler(args) {
      const result = await cx.sessions.close(args.session, args.keepFiles);
      return {
        structured: { closed: args.session, ...result },
        text: `closed session ${args.session}${result.filesDeleted ? ' and deleted its files' : ' (files kept)'}`,
      };
    },
  });
}
