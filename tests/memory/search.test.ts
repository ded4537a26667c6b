// Search as a program uses it: hits name their document as the caller did (key, metadata), k
// distinct documents on request, and hybrid fusion that follows each collection's keyword weight
// (measured for its embedder, or measured on the collection and stored with it).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { minMax, weightedFusion } from '../../servers/memory/search/fusion.js';
import { keywordWeightOf, MEASURED_WEIGHTS, UNMEASURED_WEIGHT } from '../../servers/memory/search/fusion-weights.js';
import { openMemory, type TestMemory } from './helpers.js';

let t: TestMemory;
beforeEach(() => (t = openMemory()));
afterEach(() => t.close());

const BUILTIN = 'builtin:wink-sg100d-sif-v1';

async function ingest(
  collection: string,
  texts: { title: string; text: string; key?: string; metadata?: Record<string, string | number | boolean> }[],
  metadata = {},
): Promise<void> {
  await t.memory.ingester.run({ collection, paths: [], texts, metadata, recursive: true, prune: false });
}

describe('hits a program can use', () => {
  it('carry the key and metadata given at ingest, for inline texts, facts and tasks', async () => {
    await ingest(
      'notes',
      [
        { title: 'Boiler service', text: 'The boiler was serviced in March; the engineer replaced the pressure valve.', key: 'crm-4711' },
        { title: 'Untitled key', text: 'The pressure valve of the greenhouse sprinkler leaks.', metadata: { room: 'garden' } },
      ],
      { project: 'house', year: 2026 },
    );
    await t.memory.facts.remember('home', 'boiler-brand', 'The boiler pressure valve is a Vaillant part');
    const task = await t.memory.tasks.log({ task: 'Replace the pressure valve', steps: [], outcome: 'succeeded' });
    const r = await t.memory.searcher.search({ query: 'pressure valve', k: 10, mode: 'hybrid', lambda: 1 });
    const byTitle = new Map(r.hits.map((h) => [h.title, h]));
    expect(byTitle.get('Boiler service')).toMatchObject({ key: 'crm-4711', metadata: { project: 'house', year: 2026 } });
    expect(byTitle.get('Untitled key')).toMatchObject({ key: 'Untitled key', metadata: { project: 'house', year: 2026, room: 'garden' } });
    expect(byTitle.get('home: boiler-brand')).toMatchObject({ key: 'boiler-brand', metadata: { namespace: 'home', key: 'boiler-brand' } });
    const logged = r.hits.find((h) => h.kind === 'task')!;
    expect(logged.documentId).toBe(task.documentId);
    expect(logged.key).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('perDocument caps passages per document, so k distinct documents come back', async () => {
    const long = (topic: string) =>
      Array.from({ length: 40 }, (_v, i) => `Paragraph ${i} on ${topic}: tides, harbours and the moon pull the sea.`).join('\n\n');
    await ingest(
      'sea',
      ['tides', 'harbours', 'moon', 'currents', 'waves'].map((topic) => ({ title: topic, text: long(topic), key: topic })),
    );
    const chunks = (await t.memory.searcher.search({ query: 'tides harbours moon sea', k: 10, mode: 'hybrid', lambda: 1 })).hits;
    expect(new Set(chunks.map((h) => h.documentId)).size).toBeLessThan(chunks.length);
    const documents = (
      await t.memory.searcher.search({ query: 'tides harbours moon sea', k: 5, mode: 'hybrid', lambda: 0.8, perDocument: 1 })
    ).hits;
    expect(documents).toHaveLength(5);
    expect(new Set(documents.map((h) => h.key)).size).toBe(5);
    const two = (await t.memory.searcher.search({ query: 'tides harbours moon sea', k: 6, mode: 'keyword', lambda: 1, perDocument: 2 }))
      .hits;
    const perDoc = new Map<number, number>();
    for (const h of two) perDoc.set(h.documentId, (perDoc.get(h.documentId) ?? 0) + 1);
    expect(Math.max(...perDoc.values())).toBe(2);
  });
});

describe('weighted fusion', () => {
  it('scales each ranking to 0..1 and adds them with the keyword weight; a missing hit scores 0', () => {
    expect([
      ...minMax([
        { id: 1, score: 9 },
        { id: 2, score: 5 },
        { id: 3, score: 1 },
      ]),
    ]).toEqual([
      [1, 1],
      [2, 0.5],
      [3, 0],
    ]);
    expect([...minMax([{ id: 4, score: 2 }])]).toEqual([[4, 1]]);
    const keyword = [
      { id: 1, score: 12 },
      { id: 2, score: 8 },
      { id: 3, score: 2 },
    ];
    const vector = [
      { id: 3, score: 0.9 },
      { id: 4, score: 0.7 },
      { id: 1, score: 0.5 },
    ];
    const order = (w: number) => [...weightedFusion(keyword, vector, () => w)].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    expect(order(1)).toEqual([1, 2, 3, 4]);
    expect(order(0).slice(0, 3)).toEqual([3, 4, 1]);
    expect(weightedFusion(keyword, vector, () => 0.5).get(2)).toBeCloseTo(0.5 * 0.6, 12);
  });

  it("a collection's own measured weight wins over its embedder's, which wins over the even split", async () => {
    expect(keywordWeightOf({ embedder: BUILTIN, keywordWeight: null })).toEqual({
      weight: MEASURED_WEIGHTS[BUILTIN]!.keywordWeight,
      source: 'embedder',
    });
    expect(keywordWeightOf({ embedder: 'ollama:some-model', keywordWeight: null })).toEqual({
      weight: UNMEASURED_WEIGHT,
      source: 'unmeasured',
    });
    expect(keywordWeightOf({ embedder: 'constructor', keywordWeight: null }).source).toBe('unmeasured');
    expect(keywordWeightOf({ embedder: BUILTIN, keywordWeight: 0.3 })).toEqual({ weight: 0.3, source: 'collection' });

    await ingest('c', [{ title: 'a', text: 'alpha' }]);
    const c = t.memory.store.collection('c')!;
    expect(c.keywordWeight).toBeNull();
    t.memory.store.setKeywordWeight(c.id, 0.25);
    expect(t.memory.store.collection('c')!.keywordWeight).toBe(0.25);
    expect(() => t.memory.store.setKeywordWeight(c.id, 1.5)).toThrow(/outside 0..1/);
    // Re-embedding with another model forgets a weight measured with the old one.
    const chunkIds = (t.memory.store.db.prepare('SELECT id FROM chunks').all() as { id: number }[]).map((r) => r.id);
    t.memory.store.replaceVectors(c.id, 'other-model', 3, new Map(chunkIds.map((id) => [id, Float32Array.of(1, 0, 0)])));
    expect(t.memory.store.collection('c')!.keywordWeight).toBeNull();
  });

  it("hybrid search follows the collection's weight: 1 ranks as keyword search does, 0 as vector search does", async () => {
    // Keyword search prefers the note with the literal words; vector search the one about the same idea.
    await ingest('w', [
      { title: 'literal', text: 'automobile automobile repair shop invoice', key: 'literal' },
      { title: 'related', text: 'The car mechanic fixed the vehicle engine and the brakes at the garage.', key: 'related' },
      { title: 'other', text: 'Recipes for lemon cake and apple pie.', key: 'other' },
    ]);
    const c = t.memory.store.collection('w')!;
    const keys = async (mode: 'keyword' | 'vector' | 'hybrid') =>
      (await t.memory.searcher.search({ query: 'automobile repair', k: 3, mode, lambda: 1 })).hits.map((h) => h.key);
    t.memory.store.setKeywordWeight(c.id, 1);
    expect(await keys('hybrid')).toEqual(
      (await keys('keyword'))
        .concat(await keys('vector'))
        .filter((k, i, a) => a.indexOf(k) === i)
        .slice(0, 3),
    );
    t.memory.store.setKeywordWeight(c.id, 0);
    expect(await keys('hybrid')).toEqual(await keys('vector'));
  });
});
