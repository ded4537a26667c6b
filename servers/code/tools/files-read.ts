// code_files_read: reads a workspace file as text or base64, paged by byte offset.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import { workspaceLink, workspaceUri } from '../resources.js';
import type { CodeRuntime } from '../runtime.js';
import { isTextMime, looksLikeText, mimeTypeOf } from '../workspace/mime.js';
import { SessionArg, workspaceName } from './common.js';

/** Backs off to the start of a UTF-8 character so a page never splits one. */
function utf8Boundary(buf: Buffer, end: number): number {
  let cut = end;
  while (cut > 0 && cut < buf.length && (buf[cut]! & 0xc0) === 0x80) cut -= 1;
  return cut;
}

export function filesReadTool(cx: CodeRuntime): Tool {
  return defineTool({
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
}
