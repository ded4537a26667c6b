// Search: keyword (FTS5 BM25), vector (sqlite-vec), or hybrid (both, scores scaled to [0, 1] and
// added with the collection's keyword weight), then MMR for diversity and, when asked, at most a
// few passages per document. Every hit says where it is (document, heading, page, lines, symbol),
// which document it came from as the caller named it (key, metadata), and which scores ranked it.
import { HearthError } from '../../../lib/errors.js';
import type { Embedder } from '../embed/embedder.js';
import { type Collection, documentKey, type DocumentKind, type MemoryStore, type Metadata } from '../store/store.js';
import { dot } from '../store/vectors.js';
import { BinaryIndex } from './binary-index.js';
import { type DocumentFilter, filterCondition, hasDocumentFilter } from './filters.js';
import { queryTerms } from './fts-query.js';
import { minMax, mmr, type Scored, weightedFusion } from './fusion.js';
import { keywordWeightOf } from './fusion-weights.js';
import { KeywordSearch } from './keyword.js';
import { snippet } from './snippet.js';
import { coarseCandidates, type VectorHit, vectorSearch, vectorsOf } from './vector.js';

export type SearchMode = 'keyword' | 'vector' | 'hybrid';

export interface SearchRequest {
  query: string;
  k: number;
  mode: SearchMode;
  collections?: readonly string[] | undefined;
  filter?: DocumentFilter | undefined;
  /** MMR trade-off: 1 ranks by relevance only, 0 by novelty only. */
  lambda: number;
  /** At most this many passages per document (1: k distinct documents). */
  perDocument?: number | undefined;
  /** Replaces every collection's keyword weight (for measuring weights; not offered to clients). */
  keywordWeight?: number | undefined;
}

export interface SearchTuning {
  keywordBudget: number;
  exactBelow: number;
  candidateShare: number;
  keywordCandidates: number;
  vectorCandidates: number;
}

export interface SearchHit {
  chunkId: number;
  documentId: number;
  collection: string;
  /** The document's identity as given at ingest (see documentKey). */
  key: string;
  metadata: Metadata;
  title: string;
  path: string | null;
  format: string;
  kind: DocumentKind;
  location: { heading?: string; page?: number; lineStart?: number; lineEnd?: number; symbol?: string };
  snippet: string;
  text: string;
  scores: { keyword?: number; keywordRank?: number; vector?: number; vectorRank?: number; fused: number; final: number };
}

export interface SearchResult {
  hits: SearchHit[];
  warnings: string[];
  /** How the query was run, when it matters (e.g. words only scored, not matched). */
  notes: string[];
  collections: string[];
}

interface HitRow {
  id: number;
  document_id: number;
  text: string;
  heading: string | null;
  page: number | null;
  line_start: number | null;
  line_end: number | null;
  symbol: string | null;
  title: string;
  path: string | null;
  format: string;
  kind: DocumentKind;
  source_key: string;
  metadata: string;
  collection_id: number;
  collection: string;
}

/** How deep the fused ranking goes before MMR picks from it. */
function poolSize(k: number): number {
  return Math.max(k * 4, 40);
}

export class Searcher {
  /** Per collection: its chunk count at a revision, and its coarse index (large collections only). */
  private readonly sizes = new Map<number, { revision: number; size: number }>();
  private readonly indexes = new Map<number, BinaryIndex>();
  private readonly keywords: KeywordSearch;

  constructor(
    private readonly store: MemoryStore,
    private readonly embedder: Embedder,
    private readonly tuning: SearchTuning,
  ) {
    this.keywords = new KeywordSearch(store.db);
  }

  private sizeOf(c: Collection): number {
    const cached = this.sizes.get(c.id);
    if (cached?.revision === c.revision) return cached.size;
    const size = this.store.chunkCount(c.id);
    this.sizes.set(c.id, { revision: c.revision, size });
    return size;
  }

  private indexOf(c: Collection): BinaryIndex {
    let index = this.indexes.get(c.id);
    if (!index) {
      index = new BinaryIndex(c.id);
      this.indexes.set(c.id, index);
    }
    return index;
  }

  /** Drops in-memory indexes (the store stays open). */
  clear(): void {
    this.indexes.clear();
    this.sizes.clear();
  }

  private resolveCollections(names: readonly string[] | undefined): Collection[] {
    if (!names || names.length === 0) return this.store.collectionList();
    return names.map((name, i) => {
      const c = this.store.collection(name);
      if (!c) {
        const known = this.store.collectionList().map((x) => x.name);
        throw new HearthError(
          'NOT_FOUND',
          `collections[${i}]: there is no collection named ${JSON.stringify(name)}`,
          known.length
            ? `Known collections: ${known.slice(0, 20).join(', ')}. Call memory_list to see them all.`
            : 'Nothing has been ingested yet; call memory_ingest first.',
          { details: { field: `collections[${i}]` } },
        );
      }
      return c;
    });
  }

  async search(request: SearchRequest, signal?: AbortSignal): Promise<SearchResult> {
    const query = request.query.trim();
    if (!query)
      throw new HearthError('INVALID_ARGUMENT', 'query: empty', 'Pass the words or question to search for.', {
        details: { field: 'query' },
      });
    const collections = this.resolveCollections(request.collections);
    const warnings: string[] = [];
    const notes: string[] = [];
    const ids = collections.map((c) => c.id);
    const where = filterCondition(request.filter, ids);
    const terms = queryTerms(query);

    // Collapsing passages per document needs more of them to leave k documents.
    const depth = (base: number) => Math.max(base, request.k * (request.perDocument ? 6 : 3));

    let keyword: Scored[] = [];
    if (request.mode !== 'vector') {
      if (terms.length) {
        const everything = (!request.collections || request.collections.length === 0) && !hasDocumentFilter(request.filter);
        const result = this.keywords.search(terms, {
          limit: depth(this.tuning.keywordCandidates),
          budget: this.tuning.keywordBudget,
          where: everything ? undefined : where,
        });
        keyword = result.hits;
        if (result.plan.dropped.length)
          notes.push(
            `keyword search found passages by their rarer words and only scored the very common ones ${result.plan.dropped.map((w) => JSON.stringify(w)).join(', ')}`,
          );
      } else warnings.push('the query has no searchable words for keyword search');
    }

    let vector: VectorHit[] = [];
    let queryVector: Float32Array | undefined;
    const eligible = collections.filter((c) => c.embedder === this.embedder.id);
    if (request.mode !== 'keyword') {
      for (const c of collections) {
        if (c.embedder !== this.embedder.id)
          warnings.push(
            `collection ${c.name} is embedded with ${c.embedder} but the configured embedder is ${this.embedder.id}; it was searched by keyword only. Run memory_ingest on it to re-embed it.`,
          );
      }
      if (eligible.length) {
        [queryVector] = await this.embedder.embed([query], 'query', signal);
        const limit = depth(this.tuning.vectorCandidates);
        const filtered = hasDocumentFilter(request.filter) ? filterCondition(request.filter) : undefined;
        for (const c of eligible) {
          const size = this.sizeOf(c);
          vector.push(
            ...vectorSearch(this.store.db, c, queryVector!, {
              limit,
              size,
              exactBelow: this.tuning.exactBelow,
              candidates: coarseCandidates(size, this.tuning.candidateShare),
              where: filtered,
              index: size >= this.tuning.exactBelow ? this.indexOf(c) : undefined,
            }),
          );
        }
        vector = vector.sort((a, b) => b.similarity - a.similarity).slice(0, limit);
      }
    }
    const vectorScored = vector.map((h) => ({ id: h.id, score: h.similarity }));

    // A collection searched by keyword only (embedded with another model) has keyword weight 1.
    const weights = new Map(
      collections.map((c) => [c.id, eligible.includes(c) ? (request.keywordWeight ?? keywordWeightOf(c).weight) : 1]),
    );
    const oneWeight = new Set(weights.values()).size <= 1;
    const owners =
      request.perDocument || (request.mode === 'hybrid' && !oneWeight)
        ? this.owners([...new Set([...keyword.map((h) => h.id), ...vector.map((h) => h.id)])])
        : undefined;
    const fused =
      request.mode === 'keyword'
        ? minMax(keyword)
        : request.mode === 'vector'
          ? minMax(vectorScored)
          : weightedFusion(keyword, vectorScored, (id) => {
              const collection = oneWeight ? ids[0] : owners?.get(id)?.collection;
              return (collection !== undefined ? weights.get(collection) : undefined) ?? 1;
            });
    let ranked = [...fused.entries()].map(([id, relevance]) => ({ id, relevance })).sort((a, b) => b.relevance - a.relevance);
    if (request.perDocument) {
      const per = request.perDocument;
      const taken = new Map<number, number>();
      ranked = ranked.filter(({ id }) => {
        const document = owners?.get(id)?.document;
        if (document === undefined) return false;
        const n = taken.get(document) ?? 0;
        taken.set(document, n + 1);
        return n < per;
      });
    }
    const pool = ranked.slice(0, poolSize(request.k));
    if (pool.length === 0) return { hits: [], warnings, notes, collections: collections.map((c) => c.name) };

    const rows = new Map(
      (
        this.store.db
          .prepare(
            `SELECT k.*, d.title, d.path, d.format, d.kind, d.source_key, d.metadata, d.collection_id, c.name AS collection
             FROM chunks k JOIN documents d ON d.id = k.document_id JOIN collections c ON c.id = d.collection_id
             WHERE k.id IN (${pool.map((p) => p.id).join(',')})`,
          )
          .all() as HitRow[]
      ).map((r) => [r.id, r]),
    );
    const live = pool.filter((p) => rows.has(p.id));
    // Vectors serve MMR (every candidate) and the similarity reported for chosen passages that
    // keyword search alone found.
    const keywordRank = new Map(keyword.map((h, i) => [h.id, { rank: i + 1, score: h.score }]));
    const vectorRank = new Map(vector.map((h, i) => [h.id, { rank: i + 1, score: h.similarity }]));
    const vectors = request.lambda < 1 ? this.vectorsFor(live, rows, collections) : new Map<number, Float32Array>();
    const chosen =
      request.lambda >= 1
        ? live.slice(0, request.k).map((p) => ({ id: p.id, score: p.relevance }))
        : mmr(live, vectors, request.lambda, request.k);
    if (queryVector && request.lambda >= 1) {
      const unranked = chosen.filter((c) => !vectorRank.has(c.id));
      for (const [id, v] of this.vectorsFor(unranked, rows, collections)) vectors.set(id, v);
    }
    const hits = chosen.map(({ id, score }) => {
      const r = rows.get(id)!;
      const kw = keywordRank.get(id);
      const vr = vectorRank.get(id);
      const v = vectors.get(id);
      const similarity = vr?.score ?? (queryVector && v ? dot(queryVector, v) : undefined);
      const hit: SearchHit = {
        chunkId: id,
        documentId: r.document_id,
        collection: r.collection,
        key: documentKey(r.kind, r.source_key),
        metadata: JSON.parse(r.metadata) as Metadata,
        title: r.title,
        path: r.path,
        format: r.format,
        kind: r.kind,
        location: {
          ...(r.heading ? { heading: r.heading } : {}),
          ...(r.page !== null ? { page: r.page } : {}),
          ...(r.line_start !== null ? { lineStart: r.line_start } : {}),
          ...(r.line_end !== null ? { lineEnd: r.line_end } : {}),
          ...(r.symbol ? { symbol: r.symbol } : {}),
        },
        snippet: snippet(r.text, terms),
        text: r.text,
        scores: {
          ...(kw ? { keyword: round(kw.score), keywordRank: kw.rank } : {}),
          ...(similarity !== undefined ? { vector: round(similarity) } : {}),
          ...(vr ? { vectorRank: vr.rank } : {}),
          fused: round(fused.get(id) ?? 0),
          final: round(score),
        },
      };
      return hit;
    });
    return { hits, warnings, notes, collections: collections.map((c) => c.name) };
  }

  /** The document and collection of each chunk. */
  private owners(chunkIds: readonly number[]): Map<number, { document: number; collection: number }> {
    if (chunkIds.length === 0) return new Map();
    const rows = this.store.db
      .prepare(
        `SELECT k.id, k.document_id, d.collection_id FROM chunks k JOIN documents d ON d.id = k.document_id WHERE k.id IN (${chunkIds.join(',')})`,
      )
      .all() as { id: number; document_id: number; collection_id: number }[];
    return new Map(rows.map((r) => [r.id, { document: r.document_id, collection: r.collection_id }]));
  }

  /** Stored vectors of the pool's chunks, from each collection embedded with the configured model. */
  private vectorsFor(
    pool: readonly { id: number }[],
    rows: ReadonlyMap<number, HitRow>,
    collections: readonly Collection[],
  ): Map<number, Float32Array> {
    const vectors = new Map<number, Float32Array>();
    const byCollection = new Map<number, number[]>();
    for (const p of pool) {
      const row = rows.get(p.id)!;
      const c = collections.find((x) => x.id === row.collection_id);
      if (c && c.embedder === this.embedder.id) byCollection.set(c.id, [...(byCollection.get(c.id) ?? []), p.id]);
    }
    for (const [cid, chunkIds] of byCollection) {
      // Large collections answer from their in-memory index; vec0 point lookups are slow there.
      const index = this.indexes.get(cid);
      const c = collections.find((x) => x.id === cid)!;
      if (index && this.sizeOf(c) >= this.tuning.exactBelow) index.sync(this.store.db, c.revision, c.dimensions);
      if (index?.size)
        for (const id of chunkIds) {
          const v = index.vector(id);
          if (v) vectors.set(id, v);
        }
      else for (const [id, v] of vectorsOf(this.store.db, cid, chunkIds)) vectors.set(id, v);
    }
    return vectors;
  }
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
