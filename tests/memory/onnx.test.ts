// The ONNX embedder on a model the test builds (a real ONNX graph run by ONNX Runtime), and its
// refusals when the folder is missing or incomplete. No model is downloaded.
import { mkdtempSync, realpathSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, expect, it } from 'vitest';

import { OnnxEmbedder } from '../../servers/memory/embed/onnx.js';
import type { OnnxSettings } from '../../servers/memory/settings.js';
import { type TinyModel, writeTinyModel } from '../fixtures/memory/onnx-model.js';
import { openMemory } from './helpers.js';

let dir: string;
let model: TinyModel;

beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'hearth-onnx-')));
  model = writeTinyModel(join(dir, 'model'), ['cat', 'kitten', 'dog', 'car', 'engine', 'wheel'], 8);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const settings = (extra: Partial<OnnxSettings> = {}): OnnxSettings => ({
  provider: 'onnx',
  dir: model.dir,
  pooling: 'mean',
  maxTokens: 256,
  batchSize: 2,
  queryPrefix: '',
  documentPrefix: '',
  ...extra,
});

function expected(words: string[], pooling: 'mean' | 'cls'): number[] {
  const rows = words.map((w) => model.vocab[w] ?? 0);
  const v = new Array<number>(model.dims).fill(0);
  const use = pooling === 'cls' ? rows.slice(0, 1) : rows;
  for (const r of use) for (let d = 0; d < model.dims; d++) v[d]! += model.table[r * model.dims + d]! / use.length;
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

it('tokenizes, runs the graph, mean-pools over real tokens only (padding ignored) and normalizes', async () => {
  const e = new OnnxEmbedder(settings());
  expect(await e.ready()).toEqual({ dimensions: model.dims });
  // One batch of texts with different lengths: the shorter one is padded.
  const [a, b, c] = await e.embed(['cat kitten dog', 'car', 'Engine WHEEL unknownword'], 'document');
  expect([...a!].map((x) => +x.toFixed(5))).toEqual(expected(['cat', 'kitten', 'dog'], 'mean').map((x) => +x.toFixed(5)));
  expect([...b!].map((x) => +x.toFixed(5))).toEqual(expected(['car'], 'mean').map((x) => +x.toFixed(5)));
  expect([...c!].map((x) => +x.toFixed(5))).toEqual(expected(['engine', 'wheel', '[UNK]'], 'mean').map((x) => +x.toFixed(5)));
  await e.close();
  const cls = new OnnxEmbedder(settings({ pooling: 'cls', maxTokens: 2 }));
  const [d] = await cls.embed(['dog cat car'], 'query');
  expect([...d!].map((x) => +x.toFixed(5))).toEqual(expected(['dog'], 'cls').map((x) => +x.toFixed(5)));
  await cls.close();
});

it("works as the memory server's embedder", async () => {
  const t = openMemory({}, new OnnxEmbedder(settings()));
  try {
    await t.memory.ingester.run({
      collection: 'c',
      paths: [],
      texts: [
        { title: 'pets', text: 'cat kitten' },
        { title: 'cars', text: 'engine wheel' },
      ],
      metadata: {},
      recursive: true,
      prune: false,
    });
    const hits = (await t.memory.searcher.search({ query: 'kitten cat', k: 2, mode: 'vector', lambda: 1 })).hits;
    expect(hits[0]!.title).toBe('pets');
  } finally {
    await t.close();
  }
});

it('refuses clearly when the folder or its files are missing, and never downloads', async () => {
  await expect(new OnnxEmbedder(settings({ dir: join(dir, 'nowhere') })).ready()).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message: expect.stringContaining('does not exist'),
    hint: expect.stringContaining('never downloaded'),
  });
  unlinkSync(join(model.dir, 'tokenizer.json'));
  await expect(new OnnxEmbedder(settings()).ready()).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message: expect.stringContaining('tokenizer.json'),
  });
  unlinkSync(join(model.dir, 'onnx', 'model.onnx'));
  await expect(new OnnxEmbedder(settings()).ready()).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message: expect.stringContaining('model.onnx'),
  });
});
