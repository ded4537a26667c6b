// code_files_delete: deletes workspace files (and folders, when asked), every path checked first.
import * as z from 'zod';

import { invalidArgument } from '../../../lib/errors.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import type { CodeRuntime } from '../runtime.js';
import { SessionArg, workspaceName } from './common.js';

export function filesDeleteTool(cx: CodeRuntime): Tool {
  return defineTool({
    name: 'code_files_delete',
    title: 'Delete workspace files',
    description:
      'Deletes files (and, with recursive: true, folders) from a session’s workspace or the scratch workspace. Every path is checked before anything is deleted.',
    effect: 'write',
    input: z.object({
      session: SessionArg,
      paths: z.array(z.string().min(1)).min(1).max(100).describe('Paths relative to the workspace (1-100).'),
      recursive: z.boolean().default(false).describe('Allow deleting folders with everything in them.'),
    }),
    output: z.object({ workspace: z.string(), deleted: z.array(z.string()) }),
    async preview(args) {
      const ws = cx.sessions.workspace(args.session);
      const changes = args.paths.flatMap((p, i) => {
        const st = ws.stat(p, `paths[${i}]`);
        if (st.kind === 'dir' && !args.recursive)
          throw invalidArgument(`paths[${i}]`, `${p} is a folder`, 'Pass recursive: true to delete a folder and everything in it.');
        const entries = st.kind === 'dir' ? ws.list(p, { recursive: true }, `paths[${i}]`).filter((e) => e.kind !== 'dir') : [st];
        return entries.map((e) => ({ kind: 'file' as const, path: e.path, action: 'delete' as const, bytes: e.bytes }));
      });
      return {
        summary: `Delete ${changes.length} file${changes.length === 1 ? '' : 's'} from workspace ${workspaceName(args.session)}`,
        changes,
      };
    },
    async handler(args) {
      const ws = cx.sessions.workspace(args.session);
      // Check every path first so a bad one deletes nothing.
      args.paths.forEach((p, i) => {
        const st = ws.stat(p, `paths[${i}]`);
        if (st.kind === 'dir' && !args.recursive)
          throw invalidArgument(`paths[${i}]`, `${p} is a folder`, 'Pass recursive: true to delete a folder and everything in it.');
      });
      const deleted = args.paths.flatMap((p, i) =>
        ws.exists(p, `paths[${i}]`) ? ws.delete(p, { recursive: args.recursive }, `paths[${i}]`) : [],
      );
      return { structured: { workspace: workspaceName(args.session), deleted }, text: `deleted ${deleted.join(', ')}` };
    },
  });
}
