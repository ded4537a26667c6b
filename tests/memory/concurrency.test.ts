// Two server processes on one memory database, ingesting and searching at the same time.
import { join } from 'node:path';

import { afterEach, beforeEach, expect, it } from 'vitest';

import { writeCorpus } from '../fixtures/memory/corpus.js';
import { connectStdio, type StdioConnection } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';
import { SHARED_CACHE } from './helpers.js';

let home: TempHome;
const conns: StdioConnection[] = [];

beforeEach(() => {
  home = tempHome('hearth-memory-conc-');
});
afterEach(async () => {
  await Promise.all(conns.splice(0).map((c) => c.close()));
  home.cleanup();
});

type Result = { isError?: boolean; structuredContent: Record<string, unknown> };

it('two processes ingest and search the same database at once: nothing lost, no error', async () => {
  const docs = join(home.dir, 'docs');
  await writeCorpus(docs);
  home.policy({ mode: 'autopilot', roots: [docs] });
  const env = { HEARTH_HOME: home.dir, HEARTH__servers__memory__cacheDir: SHARED_CACHE, HEARTH_LOG_LEVEL: 'warn' };
  const [a, b] = await Promise.all([
    connectStdio('orchestrator/cli.ts', ['mcp', 'memory'], env),
    connectStdio('orchestrator/cli.ts', ['mcp', 'memory'], env),
  ]);
  conns.push(a, b);
  const errors: string[] = [];
  const call = async (c: StdioConnection, name: string, args: Record<string, unknown>) => {
    const r = (await c.client.callTool({ name, arguments: args })) as Result;
    if (r.isError) errors.push(JSON.stringify(r.structuredContent));
    return r;
  };
  const N = 12;
  const worker = async (c: StdioConnection, who: string) => {
    // Both ingest the same folder first: one adds each file, the other finds it unchanged (or adds
    // it first); either way each file ends up stored once.
    await call(c, 'memory_ingest', { collection: 'shared', paths: ['.'] });
    for (let i = 0; i < N; i++) {
      await call(c, 'memory_ingest', {
        collection: who,
        texts: [{ title: `${who} note ${i}`, key: `${who}-${i}`, text: `Note ${i} from ${who}: the ${who}${i}marker is here.` }],
      });
      const r = await call(c, 'memory_search', { query: `${who}${i}marker`, mode: 'keyword', collections: [who] });
      if ((r.structuredContent.hits as { title: string }[] | undefined)?.[0]?.title !== `${who} note ${i}`)
        errors.push(`${who}: note ${i} not found right after ingest`);
      await call(c, 'memory_remember', { namespace: who, key: `k${i}`, value: `value ${i}` });
      await call(c, 'memory_search', { query: 'tomato watering', k: 3 });
    }
  };
  await Promise.all([worker(a, 'alpha'), worker(b, 'beta')]);
  expect(errors).toEqual([]);

  const list = (await call(a, 'memory_list', { limit: 200 })).structuredContent as { collections: { name: string; documents: number }[] };
  const count = Object.fromEntries(list.collections.map((c) => [c.name, c.documents]));
  expect(count).toEqual({ shared: 7, alpha: N, beta: N, _facts: 2 * N });
  for (const who of ['alpha', 'beta']) {
    const recall = (await call(b, 'memory_recall', { namespace: who })).structuredContent as { total: number };
    expect(recall.total).toBe(N);
  }
});
