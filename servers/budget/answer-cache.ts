// The answer cache: opt-in (or implied by temperature 0), keyed by a hash of the canonical request —
// the conversation, tools, schema, limits on the answer and the models that could answer it. A hit
// costs nothing; the ledger records it as a hit.
import { createHash } from 'node:crypto';

import type { Db } from '../../lib/sqlite.js';

/** JSON with object keys sorted, so equal requests hash equally however their keys were ordered. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function cacheKey(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

// Pruning scans the index, so it runs once per this many stores rather than on every one.
const PRUNE_EVERY = 64;

export class AnswerCache {
  private readonly sql;
  private stores = 0;

  constructor(
    db: Db,
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {
    this.sql = {
      get: db.prepare('SELECT answer FROM answer_cache WHERE key = ? AND expires_at > ?'),
      hit: db.prepare('UPDATE answer_cache SET hits = hits + 1 WHERE key = ?'),
      put: db.prepare(
        `INSERT INTO answer_cache (key, answer, created_at, expires_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET answer = excluded.answer, created_at = excluded.created_at, expires_at = excluded.expires_at`,
      ),
      prune: db.prepare(
        `DELETE FROM answer_cache WHERE expires_at <= ? OR key IN (
           SELECT key FROM answer_cache ORDER BY created_at DESC LIMIT -1 OFFSET ?)`,
      ),
    };
  }

  get<T>(key: string): T | undefined {
    const row = this.sql.get.get(key, this.now()) as { answer: string } | undefined;
    if (!row) return undefined;
    this.sql.hit.run(key);
    return JSON.parse(row.answer) as T;
  }

  put(key: string, answer: unknown): void {
    if (this.maxEntries === 0) return;
    const now = this.now();
    this.sql.put.run(key, JSON.stringify(answer), now, now + this.ttlMs);
    if (this.stores++ % PRUNE_EVERY === 0) this.sql.prune.run(now, this.maxEntries);
  }
}
