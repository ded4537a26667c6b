// code_session_open: a sandbox process whose globals survive between runs, with its own workspace.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import { resolveMemoryMb } from '../limits.js';
import type { CodeRuntime } from '../runtime.js';
import { SessionOut } from './common.js';

export function sessionOpenTool(cx: CodeRuntime): Tool {
  return defineTool({
    name: 'code_session_open',
    title: 'Open a code session',
    description:
      'Opens a JavaScript session whose globals survive between code_run calls, with its own workspace folder. Returns its id for `session` (an open name is reused). It closes when idle; its files stay, and opening the name again finds them.',
    effect: 'write',
    additive: true,
    idempotent: true,
    input: z.object({
      name: z
        .string()
        .min(1)
        .max(40)
        .optional()
        .describe('A name for the session (1-40 lowercase letters, digits, - or _). Leave out for a generated id.'),
      memoryMb: z
        .number()
        .int()
        .positive()
        .optional()
        .describe('Heap cap of the session’s isolate in MB; at most the server setting memoryMb (default 128).'),
    }),
    output: z.object({ session: SessionOut, reused: z.boolean() }),
    async preview(args) {
      const memoryMb = resolveMemoryMb(cx.settings, args.memoryMb, 'memoryMb');
      return {
        summary:
          args.name && cx.sessions.has(args.name)
            ? `Reuse the open session ${args.name}`
            : `Open a code session${args.name ? ` named ${args.name}` : ''} with a ${memoryMb} MB heap`,
        changes: [
          {
            kind: 'note',
            text: `Starts a sandbox process; its workspace folder is code/workspaces/${args.name ?? '<generated id>'} under the Hearth home.`,
          },
        ],
      };
    },
    async handler(args) {
      const memoryMb = resolveMemoryMb(cx.settings, args.memoryMb, 'memoryMb');
      const result = await cx.sessions.open(args.name, memoryMb);
      const s = result.session;
      return {
        structured: result,
        text: `${result.reused ? 'reused' : 'opened'} session ${s.id} (${s.memoryMb} MB heap, closes after ${cx.settings.idleMinutes} min idle)`,
      };
    },
  });
}
