// Facts: small key/value notes per namespace ("user/preferred-editor" = "helix"). Each fact is a
// row in `facts` and a document in the reserved `_facts` collection, written in one transaction,
// so memory_search finds facts beside documents and the two never disagree.
import { HearthError } from '../../lib/errors.js';
import type { Ingester } from './ingest/ingester.js';
import { sha256 } from './ingest/ingester.js';
import { parseText } from './parse/text.js';
import type { MemoryStore } from './store/store.js';

export const FACTS_COLLECTION = '_facts';

export interface Fact {
  namespace: string;
  key: string;
  value: string;
  documentId: number | null;
  createdAt: string;
  updatedAt: string;
}

interface RawFact {
  namespace: string;
  key: string;
  value: string;
  document_id: number | null;
  created_at: string;
  updated_at: string;
}

const toFact = (r: RawFact): Fact => ({
  namespace: r.namespace,
  key: r.key,
  value: r.value,
  documentId: r.document_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class Facts {
  constructor(
    private readonly store: MemoryStore,
    private readonly ingester: Ingester,
  ) {}

  get(namespace: string, key: string): Fact | undefined {
    const row = this.store.db.prepare('SELECT * FROM facts WHERE namespace = ? AND key = ?').get(namespace, key) as RawFact | undefined;
    return row && toFact(row);
  }

  async remember(
    namespace: string,
    key: string,
    value: string,
    signal?: AbortSignal,
  ): Promise<{ status: 'added' | 'updated' | 'unchanged'; documentId: number; previous?: string }> {
    const before = this.get(namespace, key);
    if (before?.value === value && before.documentId !== null)
      return { status: 'unchanged', documentId: before.documentId, previous: before.value };
    const { collection } = await this.ingester.openCollection(FACTS_COLLECTION, { signal });
    const title = `${namespace}: ${key}`;
    const text = `${key}: ${value}`;
    const now = new Date().toISOString();
    const put = await this.ingester.store(
      {
        collection,
        sourceKey: `fact:${namespace}\u0000${key}`,
        kind: 'fact',
        path: null,
        title,
        hash: sha256(text),
        bytes: Buffer.byteLength(text),
        metadata: { namespace, key },
        parsed: parseText(text),
      },
      signal,
      (documentId) => {
        this.store.db
          .prepare(
            'INSERT INTO facts (namespace, key, value, document_id, created_at, updated_at) VALUES (?,?,?,?,?,?) ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, document_id = excluded.document_id, updated_at = excluded.updated_at',
          )
          .run(namespace, key, value, documentId, now, now);
      },
    );
    return { status: before ? 'updated' : 'added', documentId: put.id, ...(before ? { previous: before.value } : {}) };
  }

  /** Facts of a namespace (all namespaces when undefined), optionally by key prefix, in key order. */
  list(options: { namespace?: string | undefined; prefix?: string | undefined; offset: number; limit: number }): {
    facts: Fact[];
    total: number;
  } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.namespace !== undefined) {
      where.push('namespace = ?');
      params.push(options.namespace);
    }
    if (options.prefix !== undefined) {
      where.push('substr(key, 1, ?) = ?');
      params.push(options.prefix.length, options.prefix);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.store.db.prepare(`SELECT count(*) AS n FROM facts ${clause}`).get(...params) as { n: number }).n;
    const rows = this.store.db
      .prepare(`SELECT * FROM facts ${clause} ORDER BY namespace, key LIMIT ? OFFSET ?`)
      .all(...params, options.limit, options.offset) as RawFact[];
    return { facts: rows.map(toFact), total };
  }

  byDocument(ids: readonly number[]): Map<number, Fact> {
    if (ids.length === 0) return new Map();
    const rows = this.store.db
      .prepare(`SELECT * FROM facts WHERE document_id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids) as RawFact[];
    return new Map(rows.map((r) => [r.document_id!, toFact(r)]));
  }

  /** Forgets keys; the fact documents go with them. Returns the keys that were not there. */
  forget(namespace: string, keys: readonly string[]): { forgotten: string[]; missing: string[] } {
    const found = keys.map((k) => this.get(namespace, k));
    const forgotten = keys.filter((_k, i) => found[i]);
    const documents = found.flatMap((f) => (f?.documentId ? [f.documentId] : []));
    this.store.write(() => {
      this.store.deleteDocuments(documents);
      for (const key of forgotten) this.store.db.prepare('DELETE FROM facts WHERE namespace = ? AND key = ?').run(namespace, key);
    });
    return { forgotten, missing: keys.filter((_k, i) => !found[i]) };
  }
}

export function assertNamespace(namespace: string, field = 'namespace'): void {
  if (!/^[\p{L}\p{N}_.:-]{1,64}$/u.test(namespace)) {
    throw new HearthError(
      'INVALID_ARGUMENT',
      `${field}: ${JSON.stringify(namespace)} is not a namespace name`,
      'Use 1–64 letters, digits, `_`, `.`, `:` or `-`, e.g. `user` or `project:apollo`.',
      { details: { field } },
    );
  }
}
