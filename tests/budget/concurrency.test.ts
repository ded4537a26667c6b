// 200 concurrent llm_generate calls against a day budget that fits exactly k worst cases. The
// provider holds every answer until all 200 calls are decided, so no settlement can free budget
// early: exactly k calls may reach it, the rest must be refused — never k+1, never fewer.
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';

import { type BudgetHarness, errorOf, type Outcome, startBudget, user } from './harness.js';

let h: BudgetHarness;
afterEach(async () => {
  await h?.close();
});

const CALLS = 200;
const K = 37;
const MAX_TOKENS = 1000;
// 1 µ$ per output token and nothing for input: one call's worst case is exactly MAX_TOKENS µ$.
const WORST = MAX_TOKENS;
const LIMIT_MICROS = K * WORST + WORST / 2;

it('200 concurrent calls against a budget that fits k: k run, the rest are refused, spend stays within the limit', async () => {
  h = await startBudget({
    policy: {
      llm: { providers: ['openai'], limits: { day: { usd: LIMIT_MICROS / 1e6 }, month: { usd: 100 }, task: {} } },
      rateLimits: { perClient: { callsPerMinute: 1_000_000, burst: 100_000 } },
    },
    settings: {
      tiers: { fast: ['openai/gpt-4o-mini'], smart: ['openai/gpt-4o-mini'] },
      prices: { 'openai/gpt-4o-mini': { inputPerMTok: 0, outputPerMTok: 1 } },
      timeouts: { attemptMs: 120_000, idleMs: 60_000, holdGraceMs: 1_000 },
    },
  });
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  // Every answer uses the full reservation, so a settled call frees nothing.
  h.fake.fallback = () => ({ gate, answer: { text: 'answer', usage: { inputTokens: 10, outputTokens: MAX_TOKENS } } });

  let refused = 0;
  // Every call is decided — k waiting at the provider, the rest refused — before any answer comes back.
  const decided = () => {
    if (refused === CALLS - K && h.fake.requests.length === K) open();
  };
  h.fake.onRequest(() => setImmediate(decided));
  const safety = setTimeout(open, 30_000); // if the counts never line up, let the assertions say why
  const outcomes = await Promise.all(
    Array.from({ length: CALLS }, async (_, i) => {
      const r: Outcome = await h.call('llm_generate', { messages: user(`call ${i}`), tier: 'fast', maxTokens: MAX_TOKENS });
      if (r.isError) refused++;
      decided();
      return r;
    }),
  );
  clearTimeout(safety);

  const ok = outcomes.filter((o) => !o.isError);
  const errors = outcomes.filter((o) => o.isError).map(errorOf);
  const codes = new Set(errors.map((e) => e.code));
  expect([...codes], errors.find((e) => e.code !== 'LIMIT_EXCEEDED')?.message).toEqual(['LIMIT_EXCEEDED']);
  expect(h.fake.requests).toHaveLength(K);
  expect(ok).toHaveLength(K);
  expect(errors).toHaveLength(CALLS - K);
  for (const e of errors) {
    expect(e.code).toBe('LIMIT_EXCEEDED');
    expect(e.message).toContain('day limit');
  }

  const db = new Database(join(h.home.dir, 'budget.db'), { readonly: true });
  const { spent, held } = db.prepare("SELECT SUM(micros) AS spent, SUM(state = 'held') AS held FROM ledger").get() as {
    spent: number;
    held: number;
  };
  db.close();
  expect(held).toBe(0);
  expect(spent).toBe(K * WORST);
  expect(spent).toBeLessThanOrEqual(LIMIT_MICROS);

  const status = (await h.call('budget_status')).structured.scopes as {
    scope: string;
    spent: { usdMicros: number };
    left: { usdMicros: number };
  }[];
  expect(status.find((s) => s.scope === 'day')).toMatchObject({
    spent: { usdMicros: K * WORST },
    left: { usdMicros: LIMIT_MICROS - K * WORST },
  });
});
