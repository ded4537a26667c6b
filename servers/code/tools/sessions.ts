// Session tools: open (a sandbox process whose globals survive between runs), close, list.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import { resolveMemoryMb } from '../limits.js';
import { type CodeContext } from './common.js';

const SessionOut = z.object({
  id: z.string(),
  memoryMb: z.number(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string().describe('When the session closes if unused until then (its files are kept).'),
  runs: z.number(),
  resets: z.number().describe('Times the sandbox was replaced after hitting a limit or crashing.'),
  lastReset: z.object({ reason: z.string(), at: z.string() }).optional(),
  busy: z.boolean(),
});

export function sessionTools(cx: CodeContext): Tool[] {
  const open = defineTool({
    name: 'code_session_open',
    title: 'Open a code session',
    description:
      'Opens a persistent JavaScript session: a sandbox whose global variables survive between code_run calls, with its own workspace folder. Returns its id (pass it as `session`). Opening a name that is already open returns that session (reused: true). A session closes after the idle time in the server settings (files are kept; open the same name again to get them back). If code hits the memory limit, the session gets a fresh sandbox and the run says so.',
    effect: 'write',
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

  const close = defineTool({
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
      return {
        summary: `Close session ${args.session}${args.keepFiles ? ', keeping its files' : files.length ? ` and delete its ${files.length} workspace file${files.length === 1 ? '' : 's'}` : ''}`,
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

  const list = defineTool({
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

  return [open, close, list];
}
