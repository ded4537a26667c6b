// code_files_list: the files and folders of a workspace, paged, with its size against its limits.
import * as z from 'zod';

import { page } from '../../../shared/output.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import type { CodeRuntime } from '../runtime.js';
import { SessionArg, workspaceName } from './common.js';

export function filesListTool(cx: CodeRuntime): Tool {
  return defineTool({
    name: 'code_files_list',
    title: 'List workspace files',
    description:
      'Lists the files and folders in a session’s workspace (or the scratch workspace), recursively by default, with sizes and modification times, in pages. Also reports the workspace’s total size against its limits.',
    effect: 'read',
    input: z.object({
      session: SessionArg,
      path: z.string().min(1).default('.').describe('Folder to list, relative to the workspace; "." for all.'),
      recursive: z.boolean().default(true).describe('Include sub-folders’ contents.'),
      limit: z.number().int().min(1).max(1000).default(200).describe('Entries per page (1-1000).'),
      cursor: z.string().optional().describe('nextCursor from the previous page.'),
    }),
    output: z.object({
      workspace: z.string(),
      entries: z.array(z.object({ path: z.string(), kind: z.enum(['file', 'dir', 'symlink']), bytes: z.number(), modified: z.string() })),
      total: z.number(),
      nextCursor: z.string().optional(),
      usage: z.object({ bytes: z.number(), files: z.number(), maxBytes: z.number(), maxFiles: z.number() }),
    }),
    async handler(args) {
      const ws = cx.sessions.workspace(args.session);
      const all = ws.list(args.path, { recursive: args.recursive });
      const p = page(all, args.cursor, args.limit, `${workspaceName(args.session)}:${args.path}:${args.recursive}`);
      const usage = ws.usage();
      const structured = {
        workspace: workspaceName(args.session),
        entries: p.items,
        total: p.total,
        ...(p.nextCursor ? { nextCursor: p.nextCursor } : {}),
        usage: { bytes: usage.bytes, files: usage.files, maxBytes: ws.limits.maxWorkspaceBytes, maxFiles: ws.limits.maxWorkspaceFiles },
      };
      const text = p.items.length
        ? p.items
            .map(
              (e) =>
                `${e.kind === 'dir' ? `${e.path}/` : e.path}${e.kind === 'file' ? ` (${e.bytes} bytes)` : e.kind === 'symlink' ? ' (symlink)' : ''}`,
            )
            .join('\n')
        : 'the workspace is empty';
      return { structured, text: p.nextCursor ? `${text}\n… ${p.total - p.items.length} more; pass cursor to continue` : text };
    },
  });
}
