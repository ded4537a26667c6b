// The measuring tools the search is tuned with: the plain BM25 baseline, the metrics, and how a
// keyword weight is chosen and checked on held-out queries.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect, it } from 'vitest';

import { beirMissing, loadBeir } from '../../bench/memory/beir.js';
import type { QueryScore } from '../../bench/memory/evaluate.js';
import { mrrAt, ndcgAt, recallAt } from '../../bench/memory/metrics.js';
import { PlainBm25 } from '../../bench/memory/plain-bm25.js';
import { chooseWeight, splitHalf } from '../../bench/memory/weights.js';

it('plain BM25 ranks by rare shared words, stems, and drops stop words', () => {
  const bm25 = new PlainBm25(
    ['a', 'b', 'c', 'd'],
    ['The glacier is melting fast', 'Glaciers and rivers', 'The the the and of', 'Melting cheese on toast'],
  );
  expect(bm25.search('melting glaciers', 10)).toEqual(['a', 'b', 'd']);
  expect(bm25.search('the and', 10)).toEqual([]);
});

it('nDCG, recall and MRR at 10', () => {
  expect(ndcgAt(['x', 'r1'], ['r1'], 10)).toBeCloseTo(1 / Math.log2(3), 12);
  expect(ndcgAt(['r1', 'r2'], ['r1', 'r2'], 10)).toBe(1);
  expect(recallAt(['r1', 'x'], ['r1', 'r2'], 10)).toBe(0.5);
  expect(mrrAt(['x', 'y', 'r2'], ['r1', 'r2'], 10)).toBeCloseTo(1 / 3, 12);
  expect(mrrAt(['x'], ['r1'], 10)).toBe(0);
});

it('chooses the best mean weight (ties to more keyword weight) and checks it on the other half', () => {
  const q = (...ndcg: number[]): QueryScore[] => ndcg.map((n) => ({ ndcg: n, recall: n, mrr: n }));
  // Even-numbered queries like 0.5, odd ones like 1; 0.8 is best on average.
  const byWeight = new Map([
    [0.5, q(0.9, 0.2, 0.9, 0.2)],
    [0.8, q(0.8, 0.8, 0.8, 0.8)],
    [1, q(0.3, 0.9, 0.3, 0.9)],
  ]);
  expect(chooseWeight(byWeight, [0, 1, 2, 3])).toEqual({ weight: 0.8, ndcg: 0.8 });
  expect(
    chooseWeight(
      new Map([
        [0.4, q(0.5)],
        [0.9, q(0.5)],
      ]),
      [0],
    ).weight,
  ).toBe(0.9);
  const [onEven, onOdd] = splitHalf(byWeight, q(0.3, 0.9, 0.3, 0.9), 4);
  expect(onEven).toMatchObject({ weight: 0.5, heldOut: 0.2, heldOutBest: 0.9, heldOutKeyword: 0.9 });
  expect(onOdd).toMatchObject({ weight: 1, heldOut: 0.3, heldOutBest: 0.9, heldOutKeyword: 0.3 });
});

it('reads a BEIR folder, keeping only judged queries, and says what is missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-beir-'));
  try {
    expect(beirMissing(dir)).toMatch(/corpus.jsonl, queries.jsonl, qrels.tsv/);
    writeFileSync(join(dir, 'corpus.jsonl'), '{"_id": "d1", "title": "T", "text": "x"}\n{"_id": 2, "text": "y"}\n');
    writeFileSync(join(dir, 'queries.jsonl'), '{"_id": "q1", "text": "x?"}\n{"_id": "q2", "text": "unjudged"}\n');
    writeFileSync(join(dir, 'qrels.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\t2\t0\n');
    expect(beirMissing(dir)).toBeUndefined();
    const set = loadBeir(dir, 'tiny');
    expect(set.documents).toEqual([
      { id: 'd1', title: 'T', text: 'x' },
      { id: '2', title: '', text: 'y' },
    ]);
    expect(set.queries).toEqual([{ id: 'q1', text: 'x?', relevant: ['d1'] }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
