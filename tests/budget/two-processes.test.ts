// Two budget server processes sharing one ledger cannot overspend together: every reservation is
// a BEGIN IMMEDIATE transaction on the shared SQLite file, so only one process at a time decides.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';

import { FakeLlm } from '../fixtures/llm/fake-llm.js';
import { connectStdio, type StdioConnection } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

const PER_PROCESS = 60;
const K = 23;
const MAX_TOKENS = 1000; // 1 µ$ per output token: a call's worst case is 1000 µ$
const LIMIT_MICROS = K * MAX_TOKENS + 400;

let home: TempHome;
let fake: FakeLlm;
const conns: StdioConnection[] = [];
afterEach(async () => {
  await Promise.all(conns.splice(0).map((c) => c.close()));
  await fake?.close();
  home?.cleanup();
});

it('two processes sharing one database together run exactly the k calls that fit', async () => {
  fake = await FakeLlm.start();
  home = tempHome('hearth-budget-2p-');
  home.policy({
    llm: { providers: ['openai'], limits: { day: { usd: LIMIT_MICROS / 1e6 }, month: { usd: 100 }, task: {} } },
    rateLimits: { perClient: { callsPerMinute: 1_000_000, burst: 100_000 } },
  });
  writeFileSync(
    join(home.dir, 'config.json'),
    JSON.stringify({
      log: { level: 'warn' },
      servers: {
        budget: {
          providers: { openai: { baseUrl: fake.baseUrl('openai') } },
          tiers: { fast: ['openai/gpt-4o-mini'], smart: ['openai/gpt-4o-mini'] },
          prices: { 'openai/gpt-4o-mini': { inputPerMTok: 0, outputPerMTok: 1 } },
          timeouts: { attemptMs: 120_000, idleMs: 60_000, holdGraceMs: 1_000 },
        },
      },
    }),
  );
  const env = { HEARTH_HOME: home.dir, OPENAI_API_KEY: 'sk-proj-twoprocesses0123456789abcdef' };
  conns.push(await connectStdio('tests/fixtures/budget-stdio.ts', [], env), await connectStdio('tests/fixtures/budget-stdio.ts', [], env));

  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  fake.fallback = () => ({ gate, answer: { text: 'ok', usage: { inputTokens: 1, outputTokens: MAX_TOKENS } } });
  let refused = 0;
  const decided = () => {
    if (refused === 2 * PER_PROCESS - K && fake.requests.length === K) open();
  };
  fake.onRequest(() => setImmediate(decided));
  const safety = setTimeout(open, 60_000);

  const results = await Promise.all(
    conns.flatMap((conn, p) =>
      Array.from({ length: PER_PROCESS }, async (_, i) => {
        const r = await conn.client.callTool(
          {
            name: 'llm_generate',
            arguments: { messages: [{ role: 'user', content: `p${p} call ${i}` }], tier: 'fast', maxTokens: MAX_TOKENS },
          },
          { timeout: 120_000 },
        );
        if (r.isError) refused++;
        decided();
        return { process: p, r };
      }),
    ),
  );
  clearTimeout(safety);

  const ok = results.filter((x) => !x.r.isError);
  const codes = new Set(results.filter((x) => x.r.isError).map((x) => (x.r.structuredContent as { error: { code: string } }).error.code));
  expect(fake.requests).toHaveLength(K);
  expect(ok).toHaveLength(K);
  expect([...codes]).toEqual(['LIMIT_EXCEEDED']);

  const db = new Database(join(home.dir, 'budget.db'), { readonly: true });
  const row = db.prepare("SELECT SUM(micros) AS spent, SUM(state = 'held') AS held FROM ledger").get() as { spent: number; held: number };
  db.close();
  expect(row.held).toBe(0);
  expect(row.spent).toBe(K * MAX_TOKENS);
  expect(row.spent).toBeLessThanOrEqual(LIMIT_MICROS);
});
