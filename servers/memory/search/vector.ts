// Vector retrieval over one collection's sqlite-vec table. Below `exactBelow` chunks: exact KNN
// (`embedding MATCH ? AND k = ?`). Above: the collection's in-memory binary index picks candidates
// by Hamming distance and ranks them by an int8 copy of their vectors. (sqlite-vec 0.1.9's
// own bit-column KNN was measured too: its cost grows with k, so with the hundreds of candidates a
// good recall needs it was slower than exact KNN — see bench/memory.bench.ts.) With a document
// filter, hits are checked against it and the search widens until enough pass.
import type { Db } from '../../../lib/sqlite.js';
import { vectorTable } from '../store/schema.js';
import type { SqlCondition } from '../store/store.js';
import { blobFloats, floatBlob } from '../store/vectors.js';
import type { BinaryIndex } from './binary-index.js';

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
  /** The collection's coarse index, used when it has at least `exactBelow` chunks. */
  index?: BinaryIndex | undefined;
}

function exact(db: Db, table: string, query: Float32Array, k: number): VectorHit[] {
  const rows = db.prepare(`SELECT rowid AS id, distance FROM "${table}" WHERE embedding MATCH ? AND k = ?`).all(floatBlob(query), k) as {
    id: number;
    distance: number;
  }[];
  return rows.map((r) => ({ id: r.id, similarity: 1 - r.distance }));
}

/** How many vectors the binary index keeps for ranking in a collection of `size`. */
export function coarseCandidates(size: number, share: number): number {
  return Math.min(size, Math.max(3000, Math.ceil(size * share)));
}

export function vectorSearch(
  db: Db,
  collection: { id: number; revision: number; dimensions: number },
  query: Float32Array,
  options: VectorOptions,
): VectorHit[] {
  if (options.size === 0) return [];
  const table = vectorTable(collection.id);
  const index = options.size >= options.exactBelow ? options.index : undefined;
  index?.sync(db, collection.revision, collection.dimensions);
  const search = (k: number) => (index ? index.search(query, Math.max(options.candidates, k), k) : exact(db, table, query, k));
  let k = Math.min(MAX_K, options.size, options.limit);
  for (;;) {
    const hits = search(k);
    if (!options.where) return hits;
    const ids = hits.map((h) => h.id).join(',') || '0';
    const rows = db
      .prepare(`SELECT k.id FROM chunks k JOIN documents d ON d.id = k.document_id WHERE k.id IN (${ids}) AND ${options.where.sql}`)
      .all(...options.where.params) as { id: number }[];
    const allowed = new Set(rows.map((r) => r.id));
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
