// The baseline keyword search is measured against: standard BM25 (Robertson et al.; k1 = 0.9,
// b = 0.4, Lucene's idf) over each document's title and text as one field, words split on anything
// but letters and digits, lower-cased, Lucene's English stop words removed, Porter-stemmed — the
// usual BEIR/Anserini set-up, independent of Hearth's code, computed in the same run. `expanded`
// adds RM3 pseudo-relevance feedback (Lavrenko & Croft's relevance model, interpolated with the
// query as Anserini does) so the benchmark shows what query expansion would give on the same data.
import { stemmer } from 'stemmer';

const STOP = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(
    ' ',
  ),
);

export function plainTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) if (!STOP.has(m[0])) out.push(stemmer(m[0]));
  return out;
}

/** RM3's knobs: feedback documents, expansion terms, and the weight the original query keeps. */
export interface Rm3 {
  docs: number;
  terms: number;
  originalWeight: number;
}

export class PlainBm25 {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: number[] = [];
  private readonly termCounts: Map<string, number>[] = [];
  private readonly average: number;

  constructor(
    private readonly ids: readonly string[],
    texts: readonly string[],
    private readonly k1 = 0.9,
    private readonly b = 0.4,
  ) {
    texts.forEach((text, doc) => {
      const tokens = plainTokens(text);
      this.lengths.push(tokens.length);
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      this.termCounts.push(tf);
      for (const [t, n] of tf) {
        let list = this.postings.get(t);
        if (!list) this.postings.set(t, (list = []));
        list.push({ doc, tf: n });
      }
    });
    this.average = this.lengths.reduce((a, c) => a + c, 0) / Math.max(1, this.lengths.length);
  }

  /** Document ids, best first. */
  search(query: string, k: number): string[] {
    const terms = new Map([...new Set(plainTokens(query))].map((t) => [t, 1]));
    return this.ranked(terms, k).map(([doc]) => this.ids[doc]!);
  }

  /**
   * RM3: the top `docs` documents' word distributions, each weighted by its BM25 score, give the
   * `terms` likeliest words; they and the query's own words (each 1/n) are mixed with the query
   * keeping `originalWeight`, and the weighted query is searched again.
   */
  expanded(query: string, k: number, rm3: Rm3): string[] {
    const words = [...new Set(plainTokens(query))];
    const feedback = new Map<string, number>();
    for (const [doc, score] of this.ranked(new Map(words.map((t) => [t, 1])), rm3.docs)) {
      const counts = this.termCounts[doc]!;
      const length = Math.max(1, this.lengths[doc]!);
      for (const [t, n] of counts) feedback.set(t, (feedback.get(t) ?? 0) + (score * n) / length);
    }
    const top = [...feedback].sort((a, b) => b[1] - a[1]).slice(0, rm3.terms);
    const total = top.reduce((a, [, w]) => a + w, 0) || 1;
    const weights = new Map<string, number>();
    for (const t of words) weights.set(t, rm3.originalWeight / words.length);
    for (const [t, w] of top) weights.set(t, (weights.get(t) ?? 0) + ((1 - rm3.originalWeight) * w) / total);
    return this.ranked(weights, k).map(([doc]) => this.ids[doc]!);
  }

  /** [document, score] pairs, best first, for query words with weights. */
  private ranked(terms: ReadonlyMap<string, number>, k: number): [number, number][] {
    const n = this.lengths.length;
    const scores = new Map<number, number>();
    for (const [term, weight] of terms) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const norm = tf + this.k1 * (1 - this.b + (this.b * this.lengths[doc]!) / this.average);
        scores.set(doc, (scores.get(doc) ?? 0) + (weight * idf * tf * (this.k1 + 1)) / norm);
      }
    }
    return [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
  }
}
