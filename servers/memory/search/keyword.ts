// Keyword retrieval: FTS5 with BM25 (chunk text weighted above its document title and heading).
// FTS5 scores every row that matches any query word, so a query full of words that occur in a
// large part of the collection costs time in proportion to the collection. Words are therefore
// taken rarest first (document frequencies from the index's own vocabulary) until the rows they
// match reach a budget; the words left out are the most common ones, which BM25 weighs least.
import { stemmer } from 'stemmer';

import type { Db } from '../../../lib/sqlite.js';
import type { SqlCondition } from '../store/store.js';
import { ftsExpression } from './fts-query.js';

export interface KeywordHit {
  id: number;
  /** BM25 relevance, higher is better (FTS5 reports it negated). */
  score: number;
}

export interface TermPlan {
  used: string[];
  dropped: string[];
}

/** Rows each word occurs in, looked up by its Porter stem as the porter tokenizer indexed it. */
function documentFrequency(db: Db, term: string): number {
  const stmt = db.prepare('SELECT doc FROM chunk_fts_terms WHERE term = ?');
  const stems = new Set([term, stemmer(term)]);
  let df = 0;
  for (const s of stems) df = Math.max(df, (stmt.get(s) as { doc: number } | undefined)?.doc ?? 0);
  return df;
}

export function planTerms(db: Db, terms: readonly string[], budget: number): TermPlan {
  const ranked = terms.map((t) => ({ t, df: documentFrequency(db, t) })).sort((a, b) => a.df - b.df);
  const used: string[] = [];
  const dropped: string[] = [];
  let rows = 0;
  for (const { t, df } of ranked) {
    if (used.length > 0 && rows + df > budget) dropped.push(t);
    else {
      used.push(t);
      rows += df;
    }
  }
  return { used, dropped };
}

/** `where` undefined searches every collection without joining the documents table (faster). */
export function keywordSearch(
  db: Db,
  terms: readonly string[],
  where: SqlCondition | undefined,
  limit: number,
  budget: number,
): { hits: KeywordHit[]; plan: TermPlan } {
  const plan = planTerms(db, terms, budget);
  const expression = ftsExpression(plan.used);
  if (!expression) return { hits: [], plan };
  const rows = (
    where
      ? db
          .prepare(
            `SELECT f.rowid AS id, bm25(chunk_fts, 1.0, 0.5, 0.7) AS rank
             FROM chunk_fts f JOIN chunks k ON k.id = f.rowid JOIN documents d ON d.id = k.document_id
             WHERE chunk_fts MATCH ? AND ${where.sql}
             ORDER BY rank LIMIT ?`,
          )
          .all(expression, ...where.params, limit)
      : db
          .prepare(
            'SELECT rowid AS id, bm25(chunk_fts, 1.0, 0.5, 0.7) AS rank FROM chunk_fts WHERE chunk_fts MATCH ? ORDER BY rank LIMIT ?',
          )
          .all(expression, limit)
  ) as { id: number; rank: number }[];
  return { hits: rows.map((r) => ({ id: r.id, score: -r.rank })), plan };
}
