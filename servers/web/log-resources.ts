// The session logs as MCP resources: hearth://web/logs/<folder>/actions.jsonl, the screenshots
// (0001.jpg …) and trace.zip. Listed newest first; read from <home>/web/logs only.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import type { ReadResourceResult, Resource, ResourceTemplateType } from '@modelcontextprotocol/server';

import { HearthError } from '../../lib/errors.js';
import type { ResourceSource } from '../../shared/server.js';

const PREFIX = 'hearth://web/logs/';
const FOLDER = /^[a-z0-9][a-z0-9_-]{0,31}-\d{4}-\d{2}-\d{2}T[0-9-]+Z$/;
const FILE = /^(actions\.jsonl|trace\.zip|\d{4}\.jpg)$/;
const MAX_LISTED = 50;

function mimeOf(file: string): string {
  if (file.endsWith('.jsonl')) return 'application/x-ndjson';
  if (file.endsWith('.zip')) return 'application/zip';
  return 'image/jpeg';
}

export function logUri(folder: string, file: string): string {
  return `${PREFIX}${folder}/${file}`;
}

export class LogResources implements ResourceSource {
  constructor(private readonly dir: string) {}

  owns(uri: string): boolean {
    return uri.startsWith(PREFIX);
  }

  async list(): Promise<Resource[]> {
    if (!existsSync(this.dir)) return [];
    const folders = readdirSync(this.dir)
      .filter((f) => FOLDER.test(f))
      .map((f) => ({ f, t: statSync(join(this.dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t)
      .slice(0, MAX_LISTED);
    const out: Resource[] = [];
    for (const { f } of folders) {
      for (const file of ['actions.jsonl', 'trace.zip']) {
        if (existsSync(join(this.dir, f, file)))
          out.push({
            uri: logUri(f, file),
            name: `${f}/${file}`,
            mimeType: mimeOf(file),
            description:
              file === 'trace.zip'
                ? 'Playwright trace of the session (open with `npx playwright show-trace`).'
                : 'Actions of a web session, one JSON object per line, with screenshot file names.',
          });
      }
    }
    return out;
  }

  readonly templates: readonly ResourceTemplateType[] = [
    {
      uriTemplate: `${PREFIX}{folder}/{file}`,
      name: 'web-session-log',
      title: 'A web session’s log',
      description:
        'A session’s action log (actions.jsonl), its screenshots (0001.jpg …) or its trace (trace.zip); folder is <session>-<opened at>, as web_session_close links it.',
    },
  ];

  /** The file a URI names, only by the log's own folder and file names (so nothing outside the log folder). */
  private locate(uri: string): { path: string; file: string } {
    const [folder, file, ...rest] = uri.slice(PREFIX.length).split('/');
    if (!uri.startsWith(PREFIX) || !folder || !file || rest.length || !FOLDER.test(folder) || !FILE.test(file)) {
      throw new HearthError('NOT_FOUND', `resource ${uri} is not a web session log file`, 'List resources to see the session logs.');
    }
    return { path: join(this.dir, folder, file), file };
  }

  /** Size and modification time: the action log grows with every action. */
  version(uri: string): string | undefined {
    const { path } = this.locate(uri);
    if (!existsSync(path)) return undefined;
    const st = statSync(path);
    return `${st.size}:${st.mtimeMs}`;
  }

  async read(uri: string): Promise<ReadResourceResult> {
    const { path, file } = this.locate(uri);
    if (!existsSync(path)) throw new HearthError('NOT_FOUND', `resource ${uri} does not exist`, 'List resources to see the session logs.');
    const mimeType = mimeOf(file);
    const data = readFileSync(path);
    return {
      contents: [
        mimeType === 'application/x-ndjson'
          ? { uri, mimeType, text: data.toString('utf8') }
          : { uri, mimeType, blob: data.toString('base64') },
      ],
    };
  }
}
