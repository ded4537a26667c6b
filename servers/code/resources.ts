// Workspace files as MCP resources: hearth://code/workspace/<session>/<path>. Runs link the files
// they create or change; a client reads them with resources/read, through the same jail.
import type { ReadResourceResult, Resource, ResourceLink, ResourceTemplateType } from '@modelcontextprotocol/server';

import { HearthError } from '../../lib/errors.js';
import type { ResourceSource } from '../../shared/server.js';
import type { SessionManager } from './sessions/session-manager.js';
import { isTextMime, mimeTypeOf } from './workspace/mime.js';

const PREFIX = 'hearth://code/workspace/';
const LISTED = 500;

export function workspaceUri(workspace: string, path: string): string {
  return `${PREFIX}${workspace}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

export function workspaceLink(workspace: string, path: string, bytes?: number): ResourceLink {
  return {
    type: 'resource_link',
    uri: workspaceUri(workspace, path),
    name: path,
    mimeType: mimeTypeOf(path),
    ...(bytes === undefined ? {} : { size: bytes }),
  };
}

export class WorkspaceResources implements ResourceSource {
  constructor(private readonly sessions: SessionManager) {}

  owns(uri: string): boolean {
    return uri.startsWith(PREFIX);
  }

  async list(): Promise<Resource[]> {
    const out: Resource[] = [];
    for (const name of this.sessions.workspaceNames()) {
      for (const e of this.sessions.workspace(name).list('.', { recursive: true })) {
        if (e.kind !== 'file') continue;
        out.push({ uri: workspaceUri(name, e.path), name: `${name}/${e.path}`, mimeType: mimeTypeOf(e.path), size: e.bytes });
        if (out.length >= LISTED) return out;
      }
    }
    return out;
  }

  readonly templates: readonly ResourceTemplateType[] = [
    {
      uriTemplate: `${PREFIX}{session}/{+path}`,
      name: 'workspace-file',
      title: 'A file in a code workspace',
      description: 'A file a run or code_files_write made in a session’s workspace (scratch: the workspace of calls that name no session).',
    },
  ];

  async read(uri: string): Promise<ReadResourceResult> {
    const { workspace, path } = locate(uri);
    const data = this.sessions.workspace(workspace, 'uri').read(path, 'uri');
    const mimeType = mimeTypeOf(path);
    return {
      contents: [isTextMime(mimeType) ? { uri, mimeType, text: data.toString('utf8') } : { uri, mimeType, blob: data.toString('base64') }],
    };
  }

  /** Size and modification time, through the workspace jail (`..`, symlinks out and absolute paths are refused). */
  version(uri: string): string | undefined {
    const { workspace, path } = locate(uri);
    const ws = this.sessions.workspace(workspace, 'uri');
    ws.resolve(path, 'uri'); // a path outside the workspace is refused, not reported missing
    if (!ws.exists(path, 'uri')) return undefined;
    const entry = ws.stat(path, 'uri');
    return entry.kind === 'file' ? `${entry.bytes}:${entry.modified}` : undefined;
  }
}

/** The workspace and the path in it that a URI names; NOT_FOUND for a URI that names none. */
function locate(uri: string): { workspace: string; path: string } {
  const rest = uri.slice(PREFIX.length);
  const slash = rest.indexOf('/');
  if (!uri.startsWith(PREFIX) || slash <= 0)
    throw new HearthError('NOT_FOUND', `resource ${uri} names no file`, 'Use a URI from resources/list or from a code tool result.');
  try {
    const path = rest
      .slice(slash + 1)
      .split('/')
      .map(decodeURIComponent)
      .join('/');
    return { workspace: rest.slice(0, slash), path };
  } catch {
    throw new HearthError('NOT_FOUND', `resource ${uri} is not a valid workspace URI`, 'Use a URI from resources/list.');
  }
}
