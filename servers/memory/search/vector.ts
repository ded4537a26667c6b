// Vector retrieval over one collection's sqlite-vec table. Small collections: exact KNN on the
// float column. Large ones: a KNN pass over sign bits (Hamming distance, 32× less data to scan)
// picks candidates, and their exact cosine distances re-rank them. With a document filter, hits
// are checked against it and the search widens until enough pass or the collection is exhausted.
import type { Db } from '../../../shared/sqlite.js';
import { vectorTable } from '../store/schema.js';
import { blobFloats, dot, floatBlob, signBits } from '../store/vectors.js';
import type { SqlCondition } from './filters.js';

/** sqlite-vec's largest k. */
const MAX_K = 4096;

export interface VectorHit {
  id: number;
  /** Cosine similarity, 1 = same direction. */
  similarity: number;
}

export interface VectorOptions {
  limit: number;
  /** Chunks in the collection. */
  size: number;
  exactBelow: number;
  candidates: number;
  /** Applied after retrieval; undefined when no document filter is set. */
  where?: SqlCondition | undefined;
}

function exact(db: Db, table: string, query: Float32Array, k: number): VectorHit[] {
  const rows = db.prepare(`SELECT rowid AS id, distance FROM "${table}" WHERE embedding MATCH ? AND k = ?`).all(floatBlob(query), k) as { id: number; distance: number }[];
  return rows.map((r) => ({ id: r.id, similarity: 1 - r.distance }));
}

function coarse(db: Db, table: string, query: Float32Array, k: number, candidates: number): VectorHit[] {
  const ids = (db.prepare(`SELECT rowid AS id FROM "${table}" WHERE bits MATCH vec_bit(?) AND k = ?`).all(signBits(query), Math.min(MAX_K, Math.max(k, candidates))) as { id: number }[]).map((r) => r.id);
  if (ids.length === 0) return [];
  // One point lookup per id: vec0 answers `rowid = ?` from its index but scans for `rowid IN (…)`.
  const one = db.prepare(`SELECT embedding FROM "${table}" WHERE rowid = ?`);
  const hits: VectorHit[] = [];
  for (const id of ids) {
    const row = one.get(id) as { embedding: Buffer } | undefined;
    if (row) hits.push({ id, similarity: dot(query, blobFloats(row.embedding)) });
  }
  return hits.sort((a, b) => b.similarity - a.similarity).slice(0, k);
}

export function vectorSearch(db: Db, collectionId: number, query: Float32Array, options: VectorOptions): VectorHit[] {
  if (options.size === 0) return [];
  const table = vectorTable(collectionId);
  const search = (k: number) => (options.size < options.exactBelow ? exact(db, table, query, k) : coarse(db, table, query, k, options.candidates));
  let k = Math.min(MAX_K, options.size, options.limit);
  for (;;) {
    const hits = search(k);
    if (!options.where) return hits;
    const allowed = new Set(
      (db.prepare(`SELECT k.id FROM chunks k JOIN documents d ON d.id = k.document_id WHERE k.id IN (${hits.map((h) => h.id).join(',') || '0'}) AND ${options.where.sql}`).all(...options.where.params) as { id: number }[]).map((r) => r.id),
    );
    const kept = hits.filter((h) => allowed.has(h.id));
    if (kept.length >= options.limit || k >= Math.min(MAX_K, options.size)) return kept.slice(0, options.limit);
    k = Math.min(MAX_K, options.size, k * 4);
  }
}

/** The stored vectors of some chunks of one collection, for MMR. */
export function vectorsOf(db: Db, collectionId: number, ids: readonly number[]): Map<number, Float32Array> {
  const out = new Map<number, Float32Array>();
  if (ids.length === 0) return out;
  const one = db.prepare(`SELECT embedding FROM "${vectorTable(collectionId)}" WHERE rowid = ?`);
  for (const id of ids) {
    const row = one.get(id) as { embedding: Buffer } | undefined;
    if (row) out.set(id, blobFloats(row.embedding));
  }
  return out;
}
