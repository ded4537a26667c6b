// 1,000 streams cancelled by the client mid-answer: every provider stream is stopped, every hold is
// settled (none left open), and each call paid for what it streamed — no more than it reserved.
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';

import { type BudgetHarness, startBudget, user } from './harness.js';

let h: BudgetHarness;
afterEach(async () => {
  await h?.close();
});

const STREAMS = 1000;
const BATCH = 50;
const MAX_TOKENS = 500;

it('1,000 cancelled streams leave no open holds, and each paid for what it streamed', async () => {
  h = await startBudget({
    settings: {
      // Two wire formats take turns: Anthropic (fast) and OpenAI (smart), both priced.
      tiers: { fast: ['anthropic/claude-haiku-4-5'], smart: ['openai/gpt-4o-mini'] },
      timeouts: { attemptMs: 60_000, idleMs: 30_000, holdGraceMs: 60_000 },
    },
  });
  // Each answer streams a few words and then goes silent, as a model would mid-answer.
  h.fake.fallback = () => ({ stall: { afterEvents: 4 }, answer: { text: 'Dear hiring manager, I am writing to apply for the role' } });

  let cancelledCalls = 0;
  for (let start = 0; start < STREAMS; start += BATCH) {
    await Promise.all(
      Array.from({ length: BATCH }, async (_, j) => {
        const controller = new AbortController();
        const call = h.call(
          'llm_generate',
          { messages: user(`letter ${start + j}`), tier: (start + j) % 2 ? 'smart' : 'fast', maxTokens: MAX_TOKENS },
          // Cancel as soon as the first words arrive.
          { signal: controller.signal, onprogress: () => controller.abort('enough') },
        );
        await call.then(
          () => undefined,
          () => cancelledCalls++,
        );
      }),
    );
  }
  expect(cancelledCalls).toBe(STREAMS);
  expect(h.fake.requests).toHaveLength(STREAMS);

  // The server finishes each cancelled call on its own after the client stopped listening.
  const db = new Database(join(h.home.dir, 'budget.db'), { readonly: true });
  const count = () => (db.prepare('SELECT COUNT(*) AS n FROM ledger').get() as { n: number }).n;
  for (let i = 0; i < 200 && (count() < STREAMS || h.fake.active() > 0); i++) await new Promise((r) => setTimeout(r, 50));
  const rows = db.prepare('SELECT state, outcome, output_tokens, micros, reserved_micros, reserved_tokens, tokens FROM ledger').all() as {
    state: string;
    outcome: string;
    output_tokens: number;
    micros: number;
    reserved_micros: number;
    reserved_tokens: number;
    tokens: number;
  }[];
  db.close();

  expect(rows).toHaveLength(STREAMS);
  expect(rows.filter((r) => r.state === 'held')).toHaveLength(0);
  expect(new Set(rows.map((r) => r.outcome))).toEqual(new Set(['cancelled']));
  for (const r of rows) {
    expect(r.output_tokens).toBeGreaterThan(0); // the streamed part is billed
    expect(r.micros).toBeGreaterThan(0);
    expect(r.micros).toBeLessThanOrEqual(r.reserved_micros);
    expect(r.tokens).toBeLessThanOrEqual(r.reserved_tokens);
  }
  // Every provider stream was closed, not left hanging on the provider.
  expect(h.fake.active()).toBe(0);
  const status = await h.call('budget_status');
  expect(status.structured.openHolds).toBe(0);
}, 300_000);
