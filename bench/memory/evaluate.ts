// Running judged queries through Hearth's search and scoring the documents it returns: ingest a
// BEIR set as inline texts keyed by document id, then nDCG@10, recall@10 and MRR@10 per query for
// one way of searching (mode, MMR λ, passages per document, keyword weight).
import type { Memory } from '../../servers/memory/memory.js';
import type { SearchHit, SearchMode } from '../../servers/memory/search/searcher.js';
import type { BeirSet } from './beir.js';
import { documentsInOrder, mrrAt, ndcgAt, recallAt } from './metrics.js';

export const CUTOFF = 10;

export interface SearchSpec {
  label: string;
  mode: SearchMode;
  lambda: number;
  /** 1: ten distinct documents, as the judgements are per document. */
  perDocument?: number;
  keywordWeight?: number;
}

export interface QueryScore {
  ndcg: number;
  recall: number;
  mrr: number;
}

export interface Evaluation {
  spec: SearchSpec;
  perQuery: QueryScore[];
  mean: QueryScore;
  /** Milliseconds per search, in query order. */
  times: number[];
}

export interface JudgedQuery {
  text: string;
  relevant: string[];
}

export function meanOf(scores: readonly QueryScore[]): QueryScore {
  const n = Math.max(1, scores.length);
  return {
    ndcg: scores.reduce((a, s) => a + s.ndcg, 0) / n,
    recall: scores.reduce((a, s) => a + s.recall, 0) / n,
    mrr: scores.reduce((a, s) => a + s.mrr, 0) / n,
  };
}

export function score(ranked: readonly string[], relevant: readonly string[]): QueryScore {
  return { ndcg: ndcgAt(ranked, relevant, CUTOFF), recall: recallAt(ranked, relevant, CUTOFF), mrr: mrrAt(ranked, relevant, CUTOFF) };
}

/** Ingests every document as an inline text keyed by its id; returns documents per second. */
export async function ingestBeir(
  memory: Memory,
  set: BeirSet,
  collection: string,
  batch = 100,
): Promise<{ seconds: number; chunks: number }> {
  const started = performance.now();
  let chunks = 0;
  for (let i = 0; i < set.documents.length; i += batch) {
    const report = await memory.ingester.run({
      collection,
      paths: [],
      texts: set.documents.slice(i, i + batch).map((d) => ({ title: d.title || d.id, text: d.text, key: d.id, format: 'text' as const })),
      metadata: {},
      recursive: false,
      prune: false,
    });
    const failed = report.outcomes.filter((o) => o.status === 'failed');
    if (failed.length) throw new Error(`ingest failed: ${failed.map((f) => `${f.source}: ${f.reason}`).join('; ')}`);
    chunks += report.outcomes.reduce((s, o) => s + (o.chunks ?? 0), 0);
  }
  return { seconds: (performance.now() - started) / 1000, chunks };
}

/**
 * Runs every query through every way of searching, the ways interleaved query by query so load on
 * the machine falls on all of them alike and their timings compare.
 */
export async function evaluate(
  memory: Memory,
  queries: readonly JudgedQuery[],
  specs: readonly SearchSpec[],
  documentOf: (hit: SearchHit) => string,
  collections?: readonly string[],
): Promise<Evaluation[]> {
  const out = specs.map((spec) => ({ spec, perQuery: [] as QueryScore[], times: [] as number[] }));
  for (const q of queries) {
    for (const e of out) {
      const started = performance.now();
      const result = await memory.searcher.search({
        query: q.text,
        k: CUTOFF,
        mode: e.spec.mode,
        lambda: e.spec.lambda,
        perDocument: e.spec.perDocument,
        keywordWeight: e.spec.keywordWeight,
        collections,
      });
      e.times.push(performance.now() - started);
      e.perQuery.push(score(documentsInOrder(result.hits.map(documentOf)), q.relevant));
    }
  }
  return out.map((e) => ({ ...e, mean: meanOf(e.perQuery) }));
}
