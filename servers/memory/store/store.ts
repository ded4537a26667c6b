// The memory store: one SQLite file holding collections, documents, chunks, the FTS5 index, one
// sqlite-vec table per collection, and facts. Every change is one short IMMEDIATE transaction, so a
// second process using the same file waits its turn instead of failing, and no reader ever sees a
// document half-replaced.
import * as sqliteVec from 'sqlite-vec';

import { HearthError } from '../../../lib/errors.js';
import { migrate } from '../../../lib/migrations.js';
import { type Db, openDatabase } from '../../../lib/sqlite.js';
import { MIGRATIONS, vectorTable } from './schema.js';
import { bitWidth, floatBlob, signBits } from './vectors.js';

export type Scalar = string | number | boolean;
export type Metadata = Record<string, Scalar>;
export type DocumentKind = 'file' | 'inline' | 'fact' | 'task';

export interface Collection {
  id: number;
  name: string;
  embedder: string;
  dimensions: number;
  /** Grows with every change to the collection's chunks or vectors; caches key on it. */
  revision: number;
  /** Keyword share in hybrid search, measured on this collection; null: the embedder's measured default. */
  keywordWeight: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface CollectionSummary extends Collection {
  documents: number;
  chunks: number;
}

export interface DocumentInput {
  collectionId: number;
  sourceKey: string;
  kind: DocumentKind;
  path: string | null;
  title: string;
  format: string;
  contentHash: string;
  chunking: string;
  bytes: number;
  pages: number | null;
  metadata: Metadata;
}

export interface DocumentRow extends DocumentInput {
  id: number;
  collection: string;
  chunks: number;
  createdAt: string;
  updatedAt: string;
}

export interface DocumentRef {
  id: number;
  title: string;
  collection: string;
  path: string | null;
}

/** A condition on the documents table (alias `d`) with its parameters, e.g. from search/filters.ts. */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}

export interface ChunkInput {
  text: string;
  heading?: string | undefined;
  page?: number | undefined;
  lineStart?: number | undefined;
  lineEnd?: number | undefined;
  symbol?: string | undefined;
}

export interface ChunkRow extends ChunkInput {
  id: number;
  documentId: number;
  ord: number;
}

export interface ChunkText {
  id: number;
  text: string;
  title: string;
  heading: string | null;
  symbol: string | null;
}

export type WriteOutcome = 'added' | 'updated' | 'unchanged';

interface RawDocument {
  id: number;
  collection_id: number;
  collection: string;
  source_key: string;
  kind: DocumentKind;
  path: string | null;
  title: string;
  format: string;
  content_hash: string;
  chunking: string;
  bytes: number;
  pages: number | null;
  metadata: string;
  created_at: string;
  updated_at: string;
  chunks: number;
}

interface RawChunk {
  id: number;
  document_id: number;
  ord: number;
  text: string;
  heading: string | null;
  page: number | null;
  line_start: number | null;
  line_end: number | null;
  symbol: string | null;
}

interface RawCollection {
  id: number;
  name: string;
  embedder: string;
  dimensions: number;
  revision: number;
  keyword_weight: number | null;
  created_at: string;
  updated_at: string;
}

const DOC_SELECT = `SELECT d.*, c.name AS collection, (SELECT count(*) FROM chunks k WHERE k.document_id = d.id) AS chunks
  FROM documents d JOIN collections c ON c.id = d.collection_id`;

function toCollection(r: RawCollection): Collection {
  return {
    id: r.id,
    name: r.name,
    embedder: r.embedder,
    dimensions: r.dimensions,
    revision: r.revision,
    keywordWeight: r.keyword_weight,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toDocument(r: RawDocument): DocumentRow {
  return {
    id: r.id,
    collectionId: r.collection_id,
    collection: r.collection,
    sourceKey: r.source_key,
    kind: r.kind,
    path: r.path,
    title: r.title,
    format: r.format,
    contentHash: r.content_hash,
    chunking: r.chunking,
    bytes: r.bytes,
    pages: r.pages,
    metadata: JSON.parse(r.metadata) as Metadata,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    chunks: r.chunks,
  };
}

function toChunk(r: RawChunk): ChunkRow {
  return {
    id: r.id,
    documentId: r.document_id,
    ord: r.ord,
    text: r.text,
    ...(r.heading === null ? {} : { heading: r.heading }),
    ...(r.page === null ? {} : { page: r.page }),
    ...(r.line_start === null ? {} : { lineStart: r.line_start }),
    ...(r.line_end === null ? {} : { lineEnd: r.line_end }),
    ...(r.symbol === null ? {} : { symbol: r.symbol }),
  };
}

/**
 * A document's identity as its caller knows it: an inline text's `key` (its title when none was
 * given), a file's path, a fact's key (its namespace is in the metadata), a logged task's id.
 */
export function documentKey(kind: DocumentKind, sourceKey: string): string {
  if (kind === 'inline' && sourceKey.startsWith('inline:')) return sourceKey.slice('inline:'.length);
  if (kind === 'fact' && sourceKey.startsWith('fact:')) return sourceKey.slice(sourceKey.indexOf('\u0000') + 1);
  if (kind === 'task' && sourceKey.startsWith('task:')) return sourceKey.slice('task:'.length);
  return sourceKey;
}

/** Metadata as stored: keys sorted, so equal metadata compares equal whatever order it came in. */
function canonicalMetadata(metadata: Metadata): string {
  return JSON.stringify(Object.fromEntries(Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

function now(): string {
  return new Date().toISOString();
}

export class MemoryStore {
  readonly db: Db;

  constructor(file: string) {
    this.db = openDatabase(file);
    try {
      sqliteVec.load(this.db);
      migrate(this.db, MIGRATIONS);
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Runs `fn` in an IMMEDIATE transaction: the write lock is taken up front, so no upgrade deadlock. */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  collection(name: string): Collection | undefined {
    const row = this.db.prepare('SELECT * FROM collections WHERE name = ?').get(name) as RawCollection | undefined;
    return row && toCollection(row);
  }

  collectionById(id: number): Collection | undefined {
    const row = this.db.prepare('SELECT * FROM collections WHERE id = ?').get(id) as RawCollection | undefined;
    return row && toCollection(row);
  }

  /** Every collection, without counting its contents (cheap; for search). */
  collectionList(): Collection[] {
    return (this.db.prepare('SELECT * FROM collections ORDER BY name').all() as RawCollection[]).map(toCollection);
  }

  private bump(collectionId: number): void {
    this.db.prepare('UPDATE collections SET revision = revision + 1 WHERE id = ?').run(collectionId);
  }

  collections(): CollectionSummary[] {
    const rows = this.db
      .prepare(
        `SELECT c.*, (SELECT count(*) FROM documents d WHERE d.collection_id = c.id) AS documents,
           (SELECT count(*) FROM chunks k JOIN documents d ON d.id = k.document_id WHERE d.collection_id = c.id) AS chunks
         FROM collections c ORDER BY c.name`,
      )
      .all() as (RawCollection & { documents: number; chunks: number })[];
    return rows.map((r) => ({ ...toCollection(r), documents: r.documents, chunks: r.chunks }));
  }

  chunkCount(collectionId: number): number {
    return (
      this.db
        .prepare('SELECT count(*) AS n FROM chunks k JOIN documents d ON d.id = k.document_id WHERE d.collection_id = ?')
        .get(collectionId) as { n: number }
    ).n;
  }

  /** The collection, created with this embedder when missing. */
  ensureCollection(name: string, embedder: string, dimensions: number): Collection {
    return this.write(() => {
      const existing = this.collection(name);
      if (existing) return existing;
      const at = now();
      const id = Number(
        this.db
          .prepare('INSERT INTO collections (name, embedder, dimensions, created_at, updated_at) VALUES (?,?,?,?,?)')
          .run(name, embedder, dimensions, at, at).lastInsertRowid,
      );
      this.createVectorTable(id, dimensions);
      return this.collectionById(id)!;
    });
  }

  private createVectorTable(collectionId: number, dimensions: number): void {
    const columns = `embedding float[${dimensions}] distance_metric=cosine, bits bit[${bitWidth(dimensions)}]`;
    this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS "${vectorTable(collectionId)}" USING vec0(${columns})`);
  }

  document(id: number): DocumentRow | undefined {
    const row = this.db.prepare(`${DOC_SELECT} WHERE d.id = ?`).get(id) as RawDocument | undefined;
    return row && toDocument(row);
  }

  documentByKey(collectionId: number, sourceKey: string): DocumentRow | undefined {
    const row = this.db.prepare(`${DOC_SELECT} WHERE d.collection_id = ? AND d.source_key = ?`).get(collectionId, sourceKey) as
      RawDocument | undefined;
    return row && toDocument(row);
  }

  /** Documents of a collection whose path lies under `folder` (for pruning deleted files). */
  documentsUnder(collectionId: number, folder: string): DocumentRow[] {
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    const rows = this.db
      .prepare(`${DOC_SELECT} WHERE d.collection_id = ? AND d.kind = 'file' AND (d.path = ? OR substr(d.path, 1, ?) = ?)`)
      .all(collectionId, folder, prefix.length, prefix) as RawDocument[];
    return rows.map(toDocument);
  }

  /** One page of the documents matching `where` (a condition on `documents d`), newest first, with the total. */
  documentPage(where: SqlCondition, offset: number, limit: number): { documents: DocumentRow[]; total: number } {
    const total = (this.db.prepare(`SELECT count(*) AS n FROM documents d WHERE ${where.sql}`).get(...where.params) as { n: number }).n;
    const rows = this.db
      .prepare(`${DOC_SELECT} WHERE ${where.sql} ORDER BY d.updated_at DESC, d.id DESC LIMIT ? OFFSET ?`)
      .all(...where.params, limit, offset) as RawDocument[];
    return { documents: rows.map(toDocument), total };
  }

  /** Id, title, path and collection of every document matching `where`, in id order (what a delete would remove). */
  documentRefs(where: SqlCondition): DocumentRef[] {
    return this.db
      .prepare(
        `SELECT d.id, d.title, d.path, c.name AS collection FROM documents d JOIN collections c ON c.id = d.collection_id WHERE ${where.sql} ORDER BY d.id`,
      )
      .all(...where.params) as DocumentRef[];
  }

  chunk(id: number): ChunkRow | undefined {
    const row = this.db.prepare('SELECT * FROM chunks WHERE id = ?').get(id) as RawChunk | undefined;
    return row && toChunk(row);
  }

  chunksOf(documentId: number, offset: number, limit: number): ChunkRow[] {
    return (
      this.db
        .prepare('SELECT * FROM chunks WHERE document_id = ? ORDER BY ord LIMIT ? OFFSET ?')
        .all(documentId, limit, offset) as RawChunk[]
    ).map(toChunk);
  }

  /**
   * Adds or replaces a document with its chunks and vectors, atomically. The old chunks, their
   * full-text rows and vectors go in the same transaction the new ones arrive in. Returns
   * `unchanged` when the stored document already has this content, chunking and metadata (another
   * process may have written it meanwhile). `alongside` runs in the same transaction (facts use it
   * to keep their row and their searchable document in step).
   */
  putDocument(
    input: DocumentInput,
    chunks: readonly ChunkInput[],
    vectors: readonly Float32Array[],
    embedder: string,
    alongside?: (documentId: number) => void,
  ): { id: number; outcome: WriteOutcome } {
    if (chunks.length !== vectors.length) throw new Error('putDocument: one vector per chunk');
    return this.write(() => {
      const collection = this.collectionById(input.collectionId);
      if (!collection)
        throw new HearthError(
          'CONFLICT',
          `collection ${input.collectionId} was deleted while the document was being prepared`,
          'Run the call again.',
        );
      if (collection.embedder !== embedder) {
        throw new HearthError(
          'CONFLICT',
          `collection ${collection.name} is embedded with ${collection.embedder}, not ${embedder}`,
          'Another process changed the embedder; run the ingest again to re-embed the collection.',
        );
      }
      const existing = this.documentByKey(input.collectionId, input.sourceKey);
      if (existing && sameContent(existing, input)) return { id: existing.id, outcome: 'unchanged' as const };
      const at = now();
      let id: number;
      if (existing) {
        this.removeChunks(collection.id, [existing.id]);
        this.db
          .prepare(
            'UPDATE documents SET kind=?, path=?, title=?, format=?, content_hash=?, chunking=?, bytes=?, pages=?, metadata=?, updated_at=? WHERE id=?',
          )
          .run(
            input.kind,
            input.path,
            input.title,
            input.format,
            input.contentHash,
            input.chunking,
            input.bytes,
            input.pages,
            canonicalMetadata(input.metadata),
            at,
            existing.id,
          );
        id = existing.id;
      } else {
        id = Number(
          this.db
            .prepare(
              'INSERT INTO documents (collection_id, source_key, kind, path, title, format, content_hash, chunking, bytes, pages, metadata, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
            )
            .run(
              input.collectionId,
              input.sourceKey,
              input.kind,
              input.path,
              input.title,
              input.format,
              input.contentHash,
              input.chunking,
              input.bytes,
              input.pages,
              canonicalMetadata(input.metadata),
              at,
              at,
            ).lastInsertRowid,
        );
      }
      const insertChunk = this.db.prepare(
        'INSERT INTO chunks (document_id, ord, text, heading, page, line_start, line_end, symbol) VALUES (?,?,?,?,?,?,?,?)',
      );
      const insertFts = this.db.prepare('INSERT INTO chunk_fts (rowid, text, title, heading) VALUES (?,?,?,?)');
      const insertVec = this.db.prepare(`INSERT INTO "${vectorTable(collection.id)}" (rowid, embedding, bits) VALUES (?, ?, vec_bit(?))`);
      chunks.forEach((c, ord) => {
        const chunkId = insertChunk.run(
          id,
          ord,
          c.text,
          c.heading ?? null,
          c.page ?? null,
          c.lineStart ?? null,
          c.lineEnd ?? null,
          c.symbol ?? null,
        ).lastInsertRowid;
        insertFts.run(chunkId, c.text, input.title, c.heading ?? '');
        const vector = vectors[ord]!;
        if (vector.length !== collection.dimensions)
          throw new Error(`vector of ${vector.length} dimensions for a ${collection.dimensions}-dimension collection`);
        insertVec.run(BigInt(chunkId), floatBlob(vector), signBits(vector));
      });
      alongside?.(id);
      this.bump(collection.id);
      return { id, outcome: existing ? ('updated' as const) : ('added' as const) };
    });
  }

  private removeChunks(collectionId: number, documentIds: readonly number[]): void {
    const ids = this.db.prepare('SELECT id FROM chunks WHERE document_id = ?');
    const delFts = this.db.prepare('DELETE FROM chunk_fts WHERE rowid = ?');
    const delVec = this.db.prepare(`DELETE FROM "${vectorTable(collectionId)}" WHERE rowid = ?`);
    for (const documentId of documentIds) {
      for (const { id } of ids.all(documentId) as { id: number }[]) {
        delFts.run(id);
        delVec.run(BigInt(id));
      }
      this.db.prepare('DELETE FROM chunks WHERE document_id = ?').run(documentId);
    }
  }

  /** Deletes documents (their chunks, full-text rows, vectors and facts). Returns how many went. */
  deleteDocuments(ids: readonly number[]): number {
    return this.write(() => {
      let removed = 0;
      for (const id of ids) {
        const doc = this.db.prepare('SELECT collection_id FROM documents WHERE id = ?').get(id) as { collection_id: number } | undefined;
        if (!doc) continue;
        this.removeChunks(doc.collection_id, [id]);
        removed += this.db.prepare('DELETE FROM documents WHERE id = ?').run(id).changes;
        this.bump(doc.collection_id);
      }
      return removed;
    });
  }

  /** Deletes a collection with everything in it. */
  deleteCollection(id: number): { documents: number } {
    return this.write(() => {
      const docs = (this.db.prepare('SELECT id FROM documents WHERE collection_id = ?').all(id) as { id: number }[]).map((d) => d.id);
      this.db
        .prepare(
          'DELETE FROM chunk_fts WHERE rowid IN (SELECT k.id FROM chunks k JOIN documents d ON d.id = k.document_id WHERE d.collection_id = ?)',
        )
        .run(id);
      this.db.exec(`DROP TABLE IF EXISTS "${vectorTable(id)}"`);
      this.db.prepare('DELETE FROM documents WHERE collection_id = ?').run(id);
      this.db.prepare('DELETE FROM collections WHERE id = ?').run(id);
      return { documents: docs.length };
    });
  }

  /** Stores the keyword weight measured on this collection (null: back to the embedder's default). */
  setKeywordWeight(collectionId: number, weight: number | null): void {
    if (weight !== null && !(weight >= 0 && weight <= 1)) throw new Error(`keyword weight ${weight} is outside 0..1`);
    this.write(() => {
      this.db.prepare('UPDATE collections SET keyword_weight = ?, updated_at = ? WHERE id = ?').run(weight, now(), collectionId);
    });
  }

  /** Every chunk of a collection, in id order, for re-embedding. */
  *chunkTexts(collectionId: number, batch = 256): Generator<ChunkText[]> {
    let after = 0;
    const stmt = this.db.prepare(
      'SELECT k.id, k.text, k.heading, k.symbol, d.title FROM chunks k JOIN documents d ON d.id = k.document_id WHERE d.collection_id = ? AND k.id > ? ORDER BY k.id LIMIT ?',
    );
    for (;;) {
      const rows = stmt.all(collectionId, after, batch) as ChunkText[];
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]!.id;
    }
  }

  /**
   * Replaces a collection's vectors with ones from another embedder, in one transaction: searches
   * see either all old vectors with the old model or all new ones with the new, never a mix.
   * Fails with CONFLICT when another process added chunks while the vectors were computed.
   */
  replaceVectors(collectionId: number, embedder: string, dimensions: number, vectors: ReadonlyMap<number, Float32Array>): void {
    this.write(() => {
      const ids = (
        this.db
          .prepare('SELECT k.id FROM chunks k JOIN documents d ON d.id = k.document_id WHERE d.collection_id = ?')
          .all(collectionId) as { id: number }[]
      ).map((r) => r.id);
      const missing = ids.filter((id) => !vectors.has(id));
      if (missing.length)
        throw new HearthError(
          'CONFLICT',
          `${missing.length} chunks were added while the collection was being re-embedded`,
          'Run the call again.',
        );
      this.db.exec(`DROP TABLE IF EXISTS "${vectorTable(collectionId)}"`);
      this.createVectorTable(collectionId, dimensions);
      const insert = this.db.prepare(`INSERT INTO "${vectorTable(collectionId)}" (rowid, embedding, bits) VALUES (?, ?, vec_bit(?))`);
      for (const id of ids) {
        const v = vectors.get(id)!;
        insert.run(BigInt(id), floatBlob(v), signBits(v));
      }
      this.db
        // A weight measured with the old model says nothing about the new one.
        .prepare(
          'UPDATE collections SET embedder = ?, dimensions = ?, keyword_weight = NULL, updated_at = ?, revision = revision + 1 WHERE id = ?',
        )
        .run(embedder, dimensions, now(), collectionId);
    });
  }
}

function sameContent(existing: DocumentRow, input: DocumentInput): boolean {
  return (
    existing.contentHash === input.contentHash &&
    existing.chunking === input.chunking &&
    existing.title === input.title &&
    existing.kind === input.kind &&
    existing.path === input.path &&
    canonicalMetadata(existing.metadata) === canonicalMetadata(input.metadata)
  );
}
