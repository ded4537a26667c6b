// The piece that keeps vector search on large collections fast, checked for correctness on a few
// thousand chunks: the binary index against exact KNN (and following writes from another
// connection). The keyword term budget is checked in keyword.test.ts.
import { afterEach, beforeEach, expect, it } from 'vitest';

import { normalize } from '../../servers/memory/embed/embedder.js';
import { BinaryIndex } from '../../servers/memory/search/binary-index.js';
import { vectorTable } from '../../servers/memory/store/schema.js';
import { MemoryStore } from '../../servers/memory/store/store.js';
import { dot, floatBlob } from '../../servers/memory/store/vectors.js';
import { openMemory, type TestMemory } from './helpers.js';

let t: TestMemory;
beforeEach(() => (t = openMemory()));
afterEach(() => t.close());

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296) * 2 - 1;
}

/** Clustered unit vectors: 40 centres, each vector a centre plus noise. */
function clustered(n: number, dims: number, rand: () => number): Float32Array[] {
  const centres = Array.from({ length: 40 }, () => normalize(Float32Array.from({ length: dims }, rand)));
  return Array.from({ length: n }, (_v, i) => normalize(Float32Array.from(centres[i % 40]!, (x) => x + 0.6 * rand())));
}

function fill(store: MemoryStore, collectionId: number, vectors: Float32Array[], from: number, embedder: string): void {
  for (let i = 0; i < vectors.length; i += 100) {
    const batch = vectors.slice(i, i + 100);
    store.putDocument(
      {
        collectionId,
        sourceKey: `d${from + i}`,
        kind: 'inline',
        path: null,
        title: 't',
        format: 'text',
        contentHash: 'h',
        chunking: 'c',
        bytes: 0,
        pages: null,
        metadata: {},
      },
      batch.map((_v, j) => ({ text: `chunk ${from + i + j}` })),
      batch,
      embedder,
    );
  }
}

it('the binary index finds what exact KNN finds, and follows inserts and deletes made by another connection', () => {
  const dims = 64;
  const rand = seeded(3);
  const { store } = t.memory;
  const c = store.ensureCollection('big', 'test-embedder', dims);
  fill(store, c.id, clustered(3000, dims, rand), 0, 'test-embedder');
  const index = new BinaryIndex(c.id);
  const exact = (q: Float32Array) =>
    (
      store.db.prepare(`SELECT rowid AS id FROM "${vectorTable(c.id)}" WHERE embedding MATCH ? AND k = 10`).all(floatBlob(q)) as {
        id: number;
      }[]
    ).map((r) => r.id);
  const queries = clustered(50, dims, rand);
  const recall = () => {
    const now = store.collection('big')!;
    index.sync(store.db, now.revision, dims);
    let hit = 0;
    for (const q of queries) {
      const truth = new Set(exact(q));
      hit += index.search(q, 300, 10).filter((h) => truth.has(h.id)).length;
    }
    return hit / (queries.length * 10);
  };
  expect(recall()).toBeGreaterThan(0.9);
  expect(index.size).toBe(3000);

  // Another connection (another process, as far as SQLite is concerned) adds and deletes.
  const other = new MemoryStore(t.memory.settings.database);
  try {
    fill(other, c.id, clustered(500, dims, rand), 3000, 'test-embedder');
    const victims = (
      other.db.prepare('SELECT id FROM documents WHERE collection_id = ? ORDER BY id LIMIT 5').all(c.id) as { id: number }[]
    ).map((d) => d.id);
    other.deleteDocuments(victims);
  } finally {
    other.close();
  }
  expect(recall()).toBeGreaterThan(0.9);
  expect(index.size).toBe(3000);
  const live = new Set((store.db.prepare('SELECT id FROM chunks').all() as { id: number }[]).map((r) => r.id));
  for (const q of queries) for (const h of index.search(q, 300, 10)) expect(live.has(h.id)).toBe(true);
  // The int8 copy is close to the stored vector.
  const [first] = store.db.prepare(`SELECT rowid AS id, embedding FROM "${vectorTable(c.id)}" LIMIT 1`).all() as {
    id: number;
    embedding: Buffer;
  }[];
  const stored = new Float32Array(
    first!.embedding.buffer.slice(first!.embedding.byteOffset, first!.embedding.byteOffset + first!.embedding.byteLength),
  );
  expect(dot(index.vector(first!.id)!, stored)).toBeGreaterThan(0.999);
});

it('search uses the binary index above exactBelow and still finds the right passage', async () => {
  await t.close();
  t = openMemory({ search: { exactBelow: 10, candidateShare: 0.5 } });
  const texts = Array.from({ length: 30 }, (_v, i) => ({
    title: `note ${i}`,
    text:
      i === 17
        ? 'The violinist tuned her instrument before the concert.'
        : `Quarterly figure ${i} for the warehouse inventory and shipping costs.`,
  }));
  await t.memory.ingester.run({ collection: 'c', paths: [], texts, metadata: {}, recursive: true, prune: false });
  const r = await t.memory.searcher.search({ query: 'musician preparing a fiddle for a performance', k: 3, mode: 'vector', lambda: 1 });
  expect(r.hits[0]!.title).toBe('note 17');
});
