// Artifacts: results too large (or too binary) for a tool result — zips, charts, screenshots,
// traces. Stored as files under <home>/artifacts/<server>/, indexed in the kernel database, and
// served to clients as MCP resources at hearth://<server>/artifacts/<id>/<name>.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ResourceLink } from '@modelcontextprotocol/server';

import { HearthError } from '../lib/errors.js';
import { ensureDir } from '../lib/home.js';
import type { Db } from '../lib/sqlite.js';
import { decodeCursor, encodeCursor } from './output.js';

export interface Artifact {
  id: string;
  server: string;
  name: string;
  uri: string;
  mimeType: string;
  bytes: number;
  description?: string;
  createdAt: string;
}

interface Row {
  id: string;
  server: string;
  name: string;
  mime_type: string;
  bytes: number;
  description: string | null;
  file: string;
  created_at: string;
}

const SAFE_NAME = /[^A-Za-z0-9._-]+/g;

function artifactUri(server: string, id: string, name: string): string {
  return `hearth://${server}/artifacts/${id}/${encodeURIComponent(name)}`;
}

export class ArtifactStore {
  private readonly dir: string;

  constructor(
    private readonly db: Db,
    home: string,
    readonly server: string,
  ) {
    this.dir = join(home, 'artifacts', server);
  }

  /** Stores bytes or text and returns the artifact. The file is written whole (temp + rename). */
  put(name: string, data: Uint8Array | string, mimeType: string, description?: string): Artifact {
    ensureDir(this.dir);
    const id = randomUUID();
    const safe = name.replace(SAFE_NAME, '_').slice(0, 120) || 'artifact';
    const file = join(this.dir, `${id}-${safe}`);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    writeFileSync(`${file}.tmp`, bytes, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
    const createdAt = new Date().toISOString();
    this.db
      .prepare('INSERT INTO artifacts (id, server, name, mime_type, bytes, description, file, created_at) VALUES (?,?,?,?,?,?,?,?)')
      .run(id, this.server, safe, mimeType, bytes.byteLength, description ?? null, file, createdAt);
    return this.toArtifact({
      id,
      server: this.server,
      name: safe,
      mime_type: mimeType,
      bytes: bytes.byteLength,
      description: description ?? null,
      file,
      created_at: createdAt,
    });
  }

  /** A resource_link content block pointing at the artifact. */
  link(artifact: Artifact): ResourceLink {
    return {
      type: 'resource_link',
      uri: artifact.uri,
      name: artifact.name,
      mimeType: artifact.mimeType,
      ...(artifact.description ? { description: artifact.description } : {}),
    };
  }

  read(uri: string): { artifact: Artifact; data: Buffer } {
    const match = /^hearth:\/\/([^/]+)\/artifacts\/([0-9a-f-]{36})\/[^/]+$/.exec(uri);
    if (!match || match[1] !== this.server) {
      throw new HearthError(
        'NOT_FOUND',
        `resource ${uri} is not an artifact of the ${this.server} server`,
        'List resources to see the artifacts this server holds.',
      );
    }
    const row = this.db.prepare('SELECT * FROM artifacts WHERE id = ? AND server = ?').get(match[2], this.server) as Row | undefined;
    if (!row || !existsSync(row.file))
      throw new HearthError(
        'NOT_FOUND',
        `artifact ${uri} does not exist (it may have been deleted)`,
        'List resources to see the artifacts this server holds.',
      );
    return { artifact: this.toArtifact(row), data: readFileSync(row.file) };
  }

  list(cursor: string | undefined, limit = 100): { artifacts: Artifact[]; nextCursor?: string } {
    const offset = decodeCursor(cursor, `artifacts:${this.server}`);
    const rows = this.db
      .prepare('SELECT * FROM artifacts WHERE server = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?')
      .all(this.server, limit + 1, offset) as Row[];
    const artifacts = rows.slice(0, limit).map((r) => this.toArtifact(r));
    return rows.length > limit ? { artifacts, nextCursor: encodeCursor(offset + limit, `artifacts:${this.server}`) } : { artifacts };
  }

  private toArtifact(row: Row): Artifact {
    return {
      id: row.id,
      server: row.server,
      name: row.name,
      uri: artifactUri(row.server, row.id, row.name),
      mimeType: row.mime_type,
      bytes: row.bytes,
      ...(row.description ? { description: row.description } : {}),
      createdAt: row.created_at,
    };
  }
}
