// The Ollama embedder against a local HTTP server that speaks Ollama's /api/embed wire format.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, beforeEach, expect, it } from 'vitest';

import { OllamaEmbedder } from '../../servers/memory/embed/ollama.js';
import type { OllamaSettings } from '../../servers/memory/settings.js';
import { openMemory } from './helpers.js';

interface Seen {
  model: string;
  input: string[];
}

let server: Server;
let base: string;
let seen: Seen[];
let mode: 'ok' | 'missing-model' | 'wrong-count';

/** A deterministic "model": a 8-d bag of character classes, so similar texts get similar vectors. */
function fakeVector(text: string): number[] {
  const v = new Array<number>(8).fill(0);
  for (const ch of text.toLowerCase()) v[ch.charCodeAt(0) % 8]! += 1;
  return v;
}

beforeEach(async () => {
  seen = [];
  mode = 'ok';
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/api/embed') {
        res.writeHead(404).end('404 page not found');
        return;
      }
      const parsed = JSON.parse(body) as Seen;
      seen.push(parsed);
      res.setHeader('content-type', 'application/json');
      if (mode === 'missing-model') {
        res.writeHead(404).end(JSON.stringify({ error: `model "${parsed.model}" not found, try pulling it first` }));
        return;
      }
      const embeddings = parsed.input.map(fakeVector);
      res.end(
        JSON.stringify({
          model: parsed.model,
          embeddings: mode === 'wrong-count' ? embeddings.slice(1) : embeddings,
          total_duration: 1000,
          load_duration: 10,
          prompt_eval_count: 3,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function settings(extra: Partial<OllamaSettings> = {}): OllamaSettings {
  return {
    provider: 'ollama',
    model: 'nomic-embed-text',
    baseUrl: base,
    batchSize: 2,
    timeoutMs: 5000,
    queryPrefix: 'search_query: ',
    documentPrefix: 'search_document: ',
    ...extra,
  };
}

it("sends batches in Ollama's format, with prefixes, and returns unit vectors", async () => {
  const e = new OllamaEmbedder(settings());
  expect(await e.ready()).toEqual({ dimensions: 8 });
  const vectors = await e.embed(['alpha', 'beta', 'gamma'], 'document');
  expect(vectors).toHaveLength(3);
  for (const v of vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
  const batches = seen.slice(1);
  expect(batches.map((b) => b.input)).toEqual([['search_document: alpha', 'search_document: beta'], ['search_document: gamma']]);
  expect(batches.every((b) => b.model === 'nomic-embed-text')).toBe(true);
  await e.embed(['where'], 'query');
  expect(seen.at(-1)!.input).toEqual(['search_query: where']);
  expect(e.id).toContain('ollama:nomic-embed-text');
});

it('says what is wrong when the model is missing, the answer is malformed, or Ollama is down', async () => {
  mode = 'missing-model';
  await expect(new OllamaEmbedder(settings()).ready()).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    hint: expect.stringContaining('ollama pull nomic-embed-text'),
  });
  mode = 'wrong-count';
  await expect(new OllamaEmbedder(settings()).embed(['a', 'b'], 'document')).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message: expect.stringContaining('1 embeddings for 2 inputs'),
  });
  await new Promise((resolve) => server.close(resolve));
  await expect(new OllamaEmbedder(settings()).ready()).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message: expect.stringContaining('cannot reach Ollama'),
  });
  server.listen(0);
});

it('ingests and searches through Ollama; switching embedders re-embeds the collection instead of mixing', async () => {
  const { mkdtempSync, realpathSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'hearth-reembed-')));
  const first = openMemory({}, undefined, dir);
  await first.memory.ingester.run({
    collection: 'c',
    paths: [],
    texts: [{ title: 'old', text: 'written with the builtin embedder' }],
    metadata: {},
    recursive: true,
    prune: false,
  });
  const builtinId = first.memory.store.collection('c')!.embedder;
  expect(builtinId).toContain('builtin');
  await first.close();

  const t = openMemory({}, new OllamaEmbedder(settings()), dir);
  try {
    const before = await t.memory.searcher.search({ query: 'builtin', k: 2, mode: 'hybrid', lambda: 1 });
    expect(before.warnings.join(' ')).toContain('searched by keyword only');
    expect(before.hits[0]!.title).toBe('old');
    const texts = [
      { title: 'a', text: 'aaaa aaaa' },
      { title: 'b', text: 'bbbb bbbb' },
    ];
    const report = await t.memory.ingester.run({ collection: 'c', paths: [], texts, metadata: {}, recursive: true, prune: false });
    expect(report.reembedded).toMatchObject({ from: builtinId, chunks: 1 });
    expect(t.memory.store.collection('c')!.dimensions).toBe(8);
    const hits = (await t.memory.searcher.search({ query: 'aaaa', k: 2, mode: 'vector', lambda: 1 })).hits;
    expect(hits[0]!.title).toBe('a');
    expect(t.memory.store.collection('c')!.embedder).toBe(new OllamaEmbedder(settings()).id);
    expect((await t.memory.searcher.search({ query: 'builtin', k: 3, mode: 'vector', lambda: 1 })).warnings).toEqual([]);
  } finally {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
