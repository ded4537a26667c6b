// code_files_write: writes files into a workspace, all or none, as text or base64.
import * as z from 'zod';

import { invalidArgument } from '../../../lib/errors.js';
import { unifiedDiff } from '../../../lib/preview.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import { workspaceLink, workspaceUri } from '../resources.js';
import type { CodeRuntime } from '../runtime.js';
import { looksLikeText } from '../workspace/mime.js';
import type { Workspace } from '../workspace/workspace.js';
import { SessionArg, workspaceName } from './common.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DIFF_LIMIT = 200_000;

const FileIn = z
  .object({
    path: z.string().min(1).describe('Path relative to the workspace, e.g. data/input.csv. Folders are created as needed.'),
    content: z.string().describe('The file content: text, or base64 when encoding is "base64".'),
    encoding: z.enum(['utf8', 'base64']).default('utf8').describe('"utf8" for text, "base64" for binary content.'),
  })
  .strict();

function decode(files: z.output<typeof FileIn>[]): { path: string; data: Buffer; field: string; text: boolean }[] {
  return files.map((f, i) => {
    const field = `files[${i}].content`;
    if (f.encoding === 'base64') {
      const clean = f.content.replace(/\s+/g, '');
      if (clean.length % 4 === 1 || !BASE64.test(clean))
        throw invalidArgument(
          field,
          'is not valid base64',
          'Encode the bytes as standard base64 (A-Z, a-z, 0-9, +, /, = padding), or send text with encoding "utf8".',
        );
      return { path: f.path, data: Buffer.from(clean, 'base64'), field: `files[${i}].path`, text: false };
    }
    return { path: f.path, data: Buffer.from(f.content, 'utf8'), field: `files[${i}].path`, text: true };
  });
}

function previousText(ws: Workspace, path: string, field: string): string | undefined {
  try {
    if (!ws.exists(path, field)) return '';
    const st = ws.stat(path, field);
    if (st.kind !== 'file' || st.bytes > DIFF_LIMIT) return undefined;
    const bytes = ws.read(path, field);
    return looksLikeText(bytes) ? bytes.toString('utf8') : undefined;
  } catch {
    return undefined;
  }
}

export function filesWriteTool(cx: CodeRuntime): Tool {
  return defineTool({
    name: 'code_files_write',
    title: 'Write workspace files',
    description:
      'Writes one or more files into a session’s workspace (or the scratch workspace), so code run with code_run can read them (workspace.readText, csv.read). Text or base64 for binary. All files are written or none are; existing files are replaced. Limits: per-file size, workspace size and file count from the server settings.',
    effect: 'write',
    idempotent: true,
    input: z.object({ session: SessionArg, files: z.array(FileIn).min(1).max(100).describe('The files to write (1-100).') }),
    output: z.object({
      workspace: z.string(),
      written: z.array(z.object({ path: z.string(), bytes: z.number(), created: z.boolean(), uri: z.string() })),
    }),
    auditArgs: (args) => ({
      session: args.session,
      files: args.files.map((f) => ({ path: f.path, encoding: f.encoding, chars: f.content.length })),
    }),
    async preview(args) {
      const ws = cx.sessions.workspace(args.session);
      const files = decode(args.files);
      return {
        summary: `Write ${files.length} file${files.length === 1 ? '' : 's'} into workspace ${workspaceName(args.session)}`,
        changes: files.map((f) => {
          const before = previousText(ws, f.path, f.field);
          const exists = ws.exists(f.path, f.field);
          const diff =
            f.text && before !== undefined && f.data.length <= DIFF_LIMIT
              ? unifiedDiff(f.path, before, f.data.toString('utf8'))
              : undefined;
          return {
            kind: 'file' as const,
            path: f.path,
            action: exists ? ('modify' as const) : ('create' as const),
            bytes: f.data.length,
            ...(diff ? { diff } : {}),
          };
        }),
      };
    },
    async handler(args) {
      const ws = cx.sessions.workspace(args.session);
      const written = ws.writeMany(decode(args.files));
      const name = workspaceName(args.session);
      const out = written.map((w) => ({ ...w, uri: workspaceUri(name, w.path) }));
      return {
        structured: { workspace: name, written: out },
        text: out.map((w) => `${w.created ? 'created' : 'replaced'} ${w.path} (${w.bytes} bytes)`).join('\n'),
        content: out.slice(0, 20).map((w) => workspaceLink(name, w.path, w.bytes)),
      };
    },
  });
}
