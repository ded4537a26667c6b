// Keyword retrieval: FTS5 BM25 over the chunk text, its document title and its heading.
// FTS5's bm25() costs time for every row that matches any query word (about a microsecond each,
// through its auxiliary-function interface), while finding the rows is cheap; a question full of
// common words matches most of a collection. So FTS5 is asked to match only the query's rarest
// words (document frequencies from the index's vocabulary, rarest first, until the rows they
// match reach a budget) and to rank the best `1.5 × limit` rows it finds; the words left out are
// then counted in those rows' text and their BM25 share is added here with FTS5's own formula
// (bm25.ts), so the final order is full-query BM25 over those rows.
import type Database from 'better-sqlite3';

import type { Db } from '../../../lib/sqlite.js';
import type { SqlCondition } from '../store/store.js';
import { idf, TermCounter, termScore } from './bm25.js';
import { ftsExpression } from './fts-query.js';
import { FtsStats, indexedForm } from './fts-stats.js';

/**
 * Column weights for bm25(chunk_fts, text, title, heading). Measured on SciFact's dev split and
 * the project's own set (bench/memory.bench.ts): a title word counting as much as a body word gave
 * nDCG@10 0.867 against 0.859 for the earlier 0.5 (title) / 0.7 (heading) on SciFact, and the same
 * on the own set (0.869 / 0.870); 1.5 and 2 for titles measured lower. Equal weights it is.
 */
export const COLUMN_WEIGHTS: ColumnWeights = { text: 1, title: 1, heading: 1 };
/** How many rows FTS5 ranks, per row wanted, when some words were left to be scored here. */
const RESCORE_DEPTH = 1.5;

export interface KeywordHit {
  id: number;
  /** BM25 relevance, higher is better (FTS5 reports it negated). */
  score: number;
}

export interface TermPlan {
  /** Words FTS5 matches. */
  used: string[];
  /** Words only scored in the rows FTS5 found (the commonest ones). */
  dropped: string[];
}

export interface KeywordOptions {
  limit: number;
  /** Rows the matched words may reach before the commoner ones are only scored, not matched. */
  budget: number;
  /** Undefined searches every collection without joining the documents table (faster). */
  where?: SqlCondition | undefined;
}

export interface ColumnWeights {
  text: number;
  title: number;
  heading: number;
}

export class KeywordSearch {
  private readonly stats: FtsStats;
  private readonly everywhere: Database.Statement<unknown[]>;
  private readonly rank: string;

  constructor(
    private readonly db: Db,
    private readonly weights: ColumnWeights = COLUMN_WEIGHTS,
  ) {
    this.stats = new FtsStats(db);
    this.rank = `bm25(chunk_fts, ${Number(weights.text)}, ${Number(weights.title)}, ${Number(weights.heading)})`;
    this.everywhere = db.prepare(`SELECT rowid AS id, ${this.rank} AS rank FROM chunk_fts WHERE chunk_fts MATCH ? ORDER BY rank LIMIT ?`);
  }

  /** Which words FTS5 matches: rarest first, until the rows they match would pass the budget. */
  plan(terms: readonly string[], budget: number): TermPlan {
    this.stats.refresh();
    const ranked = terms.map((t) => ({ t, df: this.stats.documentFrequency(indexedForm(t)) })).sort((a, b) => a.df - b.df);
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

  search(terms: readonly string[], options: KeywordOptions): { hits: KeywordHit[]; plan: TermPlan } {
    const plan = this.plan(terms, options.budget);
    const expression = ftsExpression(plan.used);
    if (!expression) return { hits: [], plan };
    const depth = plan.dropped.length ? Math.ceil(options.limit * RESCORE_DEPTH) : options.limit;
    const { where } = options;
    const rows = (
      where
        ? this.db
            .prepare(
              `SELECT f.rowid AS id, ${this.rank} AS rank
               FROM chunk_fts f JOIN chunks k ON k.id = f.rowid JOIN documents d ON d.id = k.document_id
               WHERE chunk_fts MATCH ? AND ${where.sql}
               ORDER BY rank LIMIT ?`,
            )
            .all(expression, ...where.params, depth)
        : this.everywhere.all(expression, depth)
    ) as { id: number; rank: number }[];
    const hits = rows.map((r) => ({ id: r.id, score: -r.rank }));
    if (plan.dropped.length === 0) return { hits, plan };
    return { hits: this.addDropped(hits, plan.dropped).slice(0, options.limit), plan };
  }

  /** Adds the BM25 share of words FTS5 did not match, counted in each hit's text; best first. */
  private addDropped(hits: KeywordHit[], dropped: readonly string[]): KeywordHit[] {
    const totals = this.stats.totals();
    if (!totals || hits.length === 0) return hits;
    // Each query word is a phrase of its own to FTS5: a form given twice counts twice.
    const idfs = new Map<string, number>();
    for (const w of dropped) {
      const form = indexedForm(w);
      idfs.set(form, (idfs.get(form) ?? 0) + idf(totals.rows, this.stats.documentFrequency(form)));
    }
    const forms = [...idfs.keys()];
    const counter = new TermCounter(forms);
    const ids = hits.map((h) => h.id);
    const texts = this.db
      .prepare(
        `SELECT k.id, k.text, k.heading, d.title FROM chunks k JOIN documents d ON d.id = k.document_id WHERE k.id IN (${ids.join(',')})`,
      )
      .all() as { id: number; text: string; heading: string | null; title: string }[];
    const byId = new Map(texts.map((t) => [t.id, t]));
    const counts = new Float64Array(forms.length);
    const scored = hits.map((h) => {
      const row = byId.get(h.id);
      if (!row) return h;
      counts.fill(0);
      const length =
        counter.add(row.text, this.weights.text, counts) +
        counter.add(row.title, this.weights.title, counts) +
        counter.add(row.heading ?? '', this.weights.heading, counts);
      let extra = 0;
      forms.forEach((f, i) => (extra += termScore(idfs.get(f)!, counts[i]!, length, totals.averageLength)));
      return { id: h.id, score: h.score + extra };
    });
    return scored.sort((a, b) => b.score - a.score);
  }
}
