// Workspace files as MCP resources: hearth://code/workspace/<session>/<path>. Runs link the files
// they create or change; a client reads them with resources/read, through the same jail.
import type { ReadResourceResult, Resource, ResourceLink } from '@modelcontextprotocol/server';

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

  async read(uri: string): Promise<ReadResourceResult> {
    const rest = uri.slice(PREFIX.length);
    const slash = rest.indexOf('/');
    if (slash <= 0)
      throw new HearthError('NOT_FOUND', `resource ${uri} names no file`, 'Use a URI from resources/list or from a code tool result.');
    let path: string;
    try {
      path = rest
        .slice(slash + 1)
        .split('/')
        .map(decodeURIComponent)
        .join('/');
    } catch {
      throw new HearthError('NOT_FOUND', `resource ${uri} is not a valid workspace URI`, 'Use a URI from resources/list.');
    }
    const data = this.sessions.workspace(rest.slice(0, slash), 'uri').read(path, 'uri');
    const mimeType = mimeTypeOf(path);
    return {
      contents: [isTextMime(mimeType) ? { uri, mimeType, text: data.toString('utf8') } : { uri, mimeType, blob: data.toString('base64') }],
    };
  }
}
