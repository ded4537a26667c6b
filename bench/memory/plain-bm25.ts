// The baseline keyword search is measured against: standard BM25 (Robertson et al.; k1 = 0.9,
// b = 0.4, Lucene's idf) over each document's title and text as one field, words split on anything
// but letters and digits, lower-cased, Lucene's English stop words removed, Porter-stemmed — the
// usual BEIR/Anserini set-up, independent of Hearth's code, computed in the same run.
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

export class PlainBm25 {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: number[] = [];
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
    const n = this.lengths.length;
    const scores = new Map<number, number>();
    for (const term of new Set(plainTokens(query))) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const norm = tf + this.k1 * (1 - this.b + (this.b * this.lengths[doc]!) / this.average);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (this.k1 + 1)) / norm);
      }
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([doc]) => this.ids[doc]!);
  }
}
