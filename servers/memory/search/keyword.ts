// Keyword retrieval: FTS5 with BM25 (chunk text weighted above its document title and heading).
import type { Db } from '../../../shared/sqlite.js';
import type { SqlCondition } from './filters.js';

export interface KeywordHit {
  id: number;
  /** BM25 relevance, higher is better (FTS5 reports it negated). */
  score: number;
}

export function keywordSearch(db: Db, expression: string, where: SqlCondition, limit: number): KeywordHit[] {
  const rows = db
    .prepare(
      `SELECT f.rowid AS id, bm25(chunk_fts, 1.0, 0.5, 0.7) AS rank
       FROM chunk_fts f JOIN chunks k ON k.id = f.rowid JOIN documents d ON d.id = k.document_id
       WHERE chunk_fts MATCH ? AND ${where.sql}
       ORDER BY rank LIMIT ?`,
    )
    .all(expression, ...where.params, limit) as { id: number; rank: number }[];
  return rows.map((r) => ({ id: r.id, score: -r.rank }));
}
