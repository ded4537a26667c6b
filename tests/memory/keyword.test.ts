// Keyword search on a real FTS5 index: words are matched rarest first within a budget, and the
// commoner words left out of matching are still scored, exactly as FTS5's bm25() would have scored
// them; the index statistics read from FTS5's own tables agree with the rows stored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { countTokens, idf, TermCounter } from '../../servers/memory/search/bm25.js';
import { FtsStats, indexedForm, readVarints } from '../../servers/memory/search/fts-stats.js';
import { KeywordSearch } from '../../servers/memory/search/keyword.js';
import { openMemory, type TestMemory } from './helpers.js';

let t: TestMemory;
beforeEach(() => (t = openMemory()));
afterEach(() => t.close());

async function ingest(texts: { title: string; text: string; key?: string }[], collection = 'c'): Promise<void> {
  await t.memory.ingester.run({ collection, paths: [], texts, metadata: {}, recursive: true, prune: false });
}

const WORDS = ['river', 'stone', 'lantern', 'harvest', 'meadow', 'copper', 'falcon', 'orchard', 'glacier', 'thistle'];

/** 200 notes: "common" in all, "usual" in half, "seldom" in a tenth, rare words once each. */
function notes(): { title: string; text: string }[] {
  return Array.from({ length: 200 }, (_v, i) => ({
    title: `note ${i} about ${WORDS[i % WORDS.length]}`,
    text: [
      'common words appear in every note',
      i % 2 ? 'usual things happen usually' : '',
      i % 10 === 3 ? 'seldom seen seldom' : '',
      i === 77 ? 'a zymurgy brewing log' : '',
      i % 5 === 0 ? "it's a_b 3.14 — crème brûlée, or cre\u0300me bru\u0302le\u0301e" : '',
      `${WORDS[(i * 7) % WORDS.length]} ${WORDS[(i * 3) % WORDS.length]} ${'common '.repeat(i % 4)}`,
    ].join('. '),
  }));
}

describe('keyword search', () => {
  it('matches the rarest words first within the budget and still scores the rest exactly as FTS5 would', async () => {
    await ingest(notes());
    const search = new KeywordSearch(t.memory.store.db);
    const terms = ['common', 'usual', 'seldom', 'zymurgy', 'lantern'];
    // Rows per word: zymurgy 1, seldom 20, lantern 60, usual 100, common 200.
    const plan = search.plan(terms, 100);
    expect(plan.used).toEqual(['zymurgy', 'seldom', 'lantern']);
    expect(plan.dropped.sort()).toEqual(['common', 'usual']);

    // Everything matched (nothing left out) is FTS5's own ranking; with a small budget the rows
    // found must carry the same full-query scores.
    const full = new Map(search.search(terms, { limit: 500, budget: 1e9 }).hits.map((h) => [h.id, h.score]));
    const budgeted = search.search(terms, { limit: 20, budget: 100 });
    expect(budgeted.plan.dropped.length).toBe(2);
    expect(budgeted.hits).toHaveLength(20);
    for (const h of budgeted.hits) expect(h.score).toBeCloseTo(full.get(h.id)!, 9);
    // The order is by full score, best first, and the note with the rarest word comes first.
    expect(budgeted.hits.map((h) => h.score)).toEqual([...budgeted.hits.map((h) => h.score)].sort((a, b) => b - a));
    const first = t.memory.store.chunk(budgeted.hits[0]!.id)!;
    expect(first.text).toContain('zymurgy');
  });

  it('counts a word given twice twice, like FTS5 does', async () => {
    await ingest(notes());
    const search = new KeywordSearch(t.memory.store.db);
    const terms = ['seldom', 'common', 'commons'];
    const full = new Map(search.search(terms, { limit: 500, budget: 1e9 }).hits.map((h) => [h.id, h.score]));
    const budgeted = search.search(terms, { limit: 10, budget: 25 });
    expect(budgeted.plan.dropped.sort()).toEqual(['common', 'commons']);
    for (const h of budgeted.hits) expect(h.score).toBeCloseTo(full.get(h.id)!, 9);
  });

  it('honours a document filter and an empty result', async () => {
    await ingest(notes(), 'a');
    await ingest([{ title: 'elsewhere', text: 'zymurgy in another collection' }], 'b');
    const search = new KeywordSearch(t.memory.store.db);
    const b = t.memory.store.collection('b')!;
    const only = search.search(['zymurgy'], { limit: 10, budget: 1e9, where: { sql: 'd.collection_id = ?', params: [b.id] } });
    expect(only.hits).toHaveLength(1);
    expect(search.search(['nothingmatchesthis'], { limit: 10, budget: 1e9 }).hits).toEqual([]);
  });
});

describe('index statistics', () => {
  it('reads the row count and average length FTS5 keeps, and follows changes once refreshed', async () => {
    await ingest([
      { title: 'One', text: 'alpha beta gamma' },
      { title: 'Two words', text: 'delta epsilon' },
    ]);
    const stats = new FtsStats(t.memory.store.db);
    // Tokens per row over text, title and heading: 3 + 1 and 2 + 2.
    expect(stats.totals()).toEqual({ rows: 2, averageLength: 4 });
    expect(stats.documentFrequency(indexedForm('alpha'))).toBe(1);
    await ingest([{ title: 'Three', text: 'alpha again' }]);
    expect(stats.totals()).toEqual({ rows: 2, averageLength: 4 });
    stats.refresh();
    expect(stats.totals()).toEqual({ rows: 3, averageLength: 11 / 3 });
    expect(stats.documentFrequency(indexedForm('alpha'))).toBe(2);
  });

  it("stems and folds words the way the index's tokenizer does", async () => {
    const words = ['Running', 'happily', 'café', 'naïve', 'studies', 'go', 'agreed', 'relational', 'x'.repeat(70)];
    await ingest([{ title: 'words', text: words.join(' ') }]);
    const vocabulary = new Set(
      (t.memory.store.db.prepare('SELECT term FROM chunk_fts_terms').all() as { term: string }[]).map((r) => r.term),
    );
    for (const w of words) expect(vocabulary.has(indexedForm(w)), w).toBe(true);
  });

  it('decodes SQLite varints, including the 9-byte form, and refuses a truncated one', () => {
    expect(readVarints(Uint8Array.from([0x05, 0x81, 0x00, 0xc4, 0x00]))).toEqual([5, 128, 8704]);
    expect(readVarints(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))).toEqual([1]);
    expect(readVarints(Uint8Array.from([0x81]))).toBeUndefined();
  });
});

describe('term counting', () => {
  it('counts whole tokens by their indexed form, with column weights, across case and diacritics', () => {
    const counter = new TermCounter([indexedForm('happy'), indexedForm('cafe'), indexedForm('run')]);
    const counts = new Float64Array(3);
    counter.add('Happiness? HAPPY, happily; unhappy. Café and CAFE; running runs rerun', 1, counts);
    // happiness and happy stem to happi (happily to happili); unhappy and rerun are other words.
    expect([...counts]).toEqual([2, 2, 2]);
    counter.add('happy', 0.5, counts);
    expect(counts[0]).toBe(2.5);
  });

  it('counts tokens the way the tokenizer splits them', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens("it's a_b 3.14, x--y")).toBe(8);
    expect(countTokens('Crème brûlée – naïve café')).toBe(4);
  });

  it('gives a very common word a tiny positive weight, as FTS5 does', () => {
    expect(idf(100, 1)).toBeCloseTo(Math.log(99.5 / 1.5), 12);
    expect(idf(100, 90)).toBe(1e-6);
  });
});
