// Workspace file tools: write (all-or-nothing, text or base64), read (paged by byte offset), list
// (paged), delete. The same workspace the sandboxed code sees through its `workspace` API.
import * as z from 'zod';

import { invalidArgument } from '../../../lib/errors.js';
import { unifiedDiff } from '../../../lib/preview.js';
import { page } from '../../../shared/output.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import { workspaceLink, workspaceUri } from '../resources.js';
import { isTextMime, looksLikeText, mimeTypeOf } from '../workspace/mime.js';
import type { Workspace } from '../workspace/workspace.js';
import { type CodeContext, SessionArg, workspaceName } from './common.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DIFF_LIMIT = 200_000;

const FileIn = z.object({
  path: z.string().min(1).describe('Path relative to the workspace, e.g. data/input.csv. Folders are created as needed.'),
  content: z.string().describe('The file content: text, or base64 when encoding is "base64".'),
  encoding: z.enum(['utf8', 'base64']).default('utf8').describe('"utf8" for text, "base64" for binary content.'),
});

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

/** Backs off to the start of a UTF-8 character so a page never splits one. */
function utf8Boundary(buf: Buffer, end: number): number {
  let cut = end;
  while (cut > 0 && cut < buf.length && (buf[cut]! & 0xc0) === 0x80) cut -= 1;
  return cut;
}

export function fileTools(cx: CodeContext): Tool[] {
  const write = defineTool({
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

  const read = defineTool({
    name: 'code_files_read',
    title: 'Read a workspace file',
    description:
      'Reads a file from a session’s workspace (or the scratch workspace): text as UTF-8, anything else as base64 (encoding "auto" decides by type and content). Long files come in pages: pass nextOffset back as offset. Also returns the file’s resource URI.',
    effect: 'read',
    input: z.object({
      session: SessionArg,
      path: z.string().min(1).describe('Path relative to the workspace.'),
      encoding: z.enum(['auto', 'utf8', 'base64']).default('auto').describe('"auto": UTF-8 for text files, base64 for binary.'),
      offset: z.number().int().min(0).default(0).describe('Byte offset to start from (from a previous nextOffset).'),
    }),
    output: z.object({
      path: z.string(),
      uri: z.string(),
      mimeType: z.string(),
      bytes: z.number().describe('Size of the whole file.'),
      encoding: z.enum(['utf8', 'base64']),
      content: z.string(),
      offset: z.number(),
      nextOffset: z.number().optional().describe('Pass as offset to read on; absent at the end of the file.'),
    }),
    async handler(args) {
      const ws = cx.sessions.workspace(args.session);
      const mimeType = mimeTypeOf(args.path);
      const probe = ws.readRange(args.path, args.offset, Math.min(4096, cx.settings.readChars));
      const encoding =
        args.encoding === 'auto'
          ? isTextMime(mimeType) || looksLikeText(probe.bytes.subarray(0, utf8Boundary(probe.bytes, probe.bytes.length)))
            ? 'utf8'
            : 'base64'
          : args.encoding;
      const span = encoding === 'base64' ? Math.floor((cx.settings.readChars * 3) / 4) : cx.settings.readChars;
      const { bytes, size } = ws.readRange(args.path, args.offset, span);
      const end = encoding === 'utf8' && args.offset + bytes.length < size ? utf8Boundary(bytes, bytes.length) : bytes.length;
      const chunk = bytes.subarray(0, end);
      const next = args.offset + chunk.length;
      const name = workspaceName(args.session);
      const structured = {
        path: args.path,
        uri: workspaceUri(name, args.path),
        mimeType,
        bytes: size,
        encoding,
        content: encoding === 'utf8' ? chunk.toString('utf8') : chunk.toString('base64'),
        offset: args.offset,
        ...(next < size ? { nextOffset: next } : {}),
      } as const;
      const note = next < size ? `\n… [bytes ${args.offset}-${next} of ${size}; call again with offset ${next} for more]` : '';
      return {
        structured,
        text: `${args.path} (${size} bytes, ${encoding})\n${structured.content}${note}`,
        content: [workspaceLink(name, args.path, size)],
      };
    },
  });

  const list = defineTool({
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

  const del = defineTool({
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

  return [write, read, list, del];
}
