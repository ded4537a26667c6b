// llm_generate end to end through a real MCP client: fallback order, retries that honour
// Retry-After, circuit breakers opening, half-opening and closing, auto escalation and stepping
// down, the cache, the policy's provider list, tool loops and clear errors.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import { type BudgetHarness, errorOf, startBudget, TEST_KEYS, user } from './harness.js';

let h: BudgetHarness;
afterEach(async () => {
  await h?.close();
});

function ledgerRows(
  harness: BudgetHarness,
): { provider: string; model: string; state: string; outcome: string; micros: number; kind: string }[] {
  const db = new Database(join(harness.home.dir, 'budget.db'), { readonly: true });
  try {
    return db.prepare('SELECT provider, model, state, outcome, micros, kind FROM ledger ORDER BY id').all() as never;
  } finally {
    db.close();
  }
}

describe('answers', () => {
  it('answers from the first model, streams text as progress and settles the ledger', async () => {
    h = await startBudget();
    h.fake.script('small', { answer: { text: 'Dear hiring manager, hello.', usage: { inputTokens: 20, outputTokens: 6 } } });
    const progress: string[] = [];
    const r = await h.call(
      'llm_generate',
      { messages: user('Write a greeting.'), tier: 'fast' },
      { onprogress: (p) => progress.push(p.message ?? '') },
    );
    expect(r.isError).toBe(false);
    expect(r.structured).toMatchObject({
      text: 'Dear hiring manager, hello.',
      provider: 'ollama',
      model: 'small',
      tier: 'fast',
      scripted: false,
      cached: false,
      usage: { inputTokens: 20, outputTokens: 6, estimated: false },
      cost: { usdMicros: 0 },
    });
    expect(progress.join('')).toBe('Dear hiring manager, hello.');
    expect(ledgerRows(h)).toEqual([{ provider: 'ollama', model: 'small', state: 'settled', outcome: 'ok', micros: 0, kind: 'call' }]);
  });

  it('prices a cloud answer from the price table in micro-dollars', async () => {
    h = await startBudget();
    h.fake.script('gpt-4o-mini', { answer: { text: 'ok', usage: { inputTokens: 1_000_000, outputTokens: 100_000 } } });
    const r = await h.call('llm_generate', { messages: user('hi'), tier: 'smart' });
    // gpt-4o-mini: $0.15 per million input tokens, $0.60 per million output tokens.
    expect(r.structured.cost).toEqual({ usd: '$0.21', usdMicros: 210_000 });
    expect(ledgerRows(h)[0]!.micros).toBe(210_000);
  });

  it('returns tool calls with ids for a tool loop, and takes the results back', async () => {
    h = await startBudget();
    const tools = [
      { name: 'memory_search', description: 'Search notes', parameters: { type: 'object', properties: { query: { type: 'string' } } } },
    ];
    h.fake.script('small', { answer: { toolCalls: [{ name: 'memory_search', arguments: { query: 'cv' } }] } });
    const first = await h.call('llm_generate', { messages: user('Find my CV.'), tools, tier: 'fast' });
    const calls = first.structured.toolCalls as { id: string; name: string; arguments: unknown }[];
    expect(first.structured.finishReason).toBe('tool_calls');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.id).toMatch(/^call_/);
    h.fake.script('small', { answer: { text: 'Your CV is cv.md.' } });
    const second = await h.call('llm_generate', {
      tier: 'fast',
      tools,
      messages: [
        ...user('Find my CV.'),
        { role: 'assistant', content: '', toolCalls: calls },
        { role: 'tool', toolCallId: calls[0]!.id, content: 'cv.md' },
      ],
    });
    expect(second.structured.text).toBe('Your CV is cv.md.');
    const sent = h.fake.requests.at(-1)!.body as { messages: { role: string; tool_name?: string }[] };
    expect(sent.messages.at(-1)).toMatchObject({ role: 'tool', tool_name: 'memory_search' });

    const orphan = await h.call('llm_generate', { messages: [...user('x'), { role: 'tool', toolCallId: 'call_nope', content: 'r' }] });
    expect(errorOf(orphan)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'messages.1.toolCallId' });
  });

  it('validates a structured answer and repairs it once on the same model', async () => {
    h = await startBudget();
    const schema = { type: 'object', properties: { title: { type: 'string' } }, required: ['title'], additionalProperties: false };
    h.fake.script('small', { answer: { text: '{"name": "x"}' } }, { answer: { text: '```json\n{"title": "Engineer"}\n```' } });
    const r = await h.call('llm_generate', { messages: user('Extract the title.'), schema, tier: 'fast' });
    expect(r.structured.json).toEqual({ title: 'Engineer' });
    const repair = JSON.stringify(h.fake.requests.at(-1)!.body);
    expect(repair).toContain('does not match the required JSON Schema');
    expect((r.structured.attempts as { outcome: string }[]).map((a) => a.outcome)).toEqual(['invalid', 'ok']);
  });
});

describe('faults', () => {
  it('falls back in the configured order, retrying each model first', async () => {
    h = await startBudget({
      settings: { tiers: { fast: ['ollama/small', 'local/qwen', 'anthropic/claude-haiku-4-5'], smart: ['openai/gpt-4o-mini'] } },
    });
    h.fake.script('small', { status: 500 }, { status: 500 }, { status: 500 });
    h.fake.script('qwen', { malformed: true }, { drop: { afterEvents: 1 }, answer: { text: 'a b c' } }, { status: 503 });
    h.fake.script('claude-haiku-4-5', { answer: { text: 'from claude' } });
    const r = await h.call('llm_generate', { messages: user('hi'), tier: 'fast' });
    expect(r.structured.text).toBe('from claude');
    expect(h.fake.requests.map((q) => q.model)).toEqual(['small', 'small', 'small', 'qwen', 'qwen', 'qwen', 'claude-haiku-4-5']);
    const attempts = r.structured.attempts as { model: string; outcome: string }[];
    expect(attempts.map((a) => `${a.model}:${a.outcome}`)).toEqual([
      'ollama/small:failed',
      'ollama/small:failed',
      'ollama/small:failed',
      'local/qwen:failed',
      'local/qwen:failed',
      'local/qwen:failed',
      'anthropic/claude-haiku-4-5:ok',
    ]);
    // Every attempt has its own settled ledger row; none is left held.
    expect(ledgerRows(h).map((row) => row.state)).toEqual(Array(7).fill('settled'));
  });

  it('waits as long as Retry-After says, and moves on when it says too long', async () => {
    h = await startBudget({ settings: { retry: { attempts: 3, initialDelayMs: 1, maxDelayMs: 10, maxRetryAfterMs: 1500 } } });
    const arrivals: number[] = [];
    h.fake.onRequest(() => arrivals.push(Date.now()));
    h.fake.script('small', { status: 429, retryAfter: '1' }, { answer: { text: 'after the wait' } });
    const r = await h.call('llm_generate', { messages: user('hi'), tier: 'fast' });
    expect(r.structured.text).toBe('after the wait');
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(950);

    h.fake.script('small', { status: 429, retryAfter: '3600' });
    h.fake.script('gpt-4o-mini', { answer: { text: 'from the smart tier' } });
    const before = h.fake.requests.length;
    const moved = await h.call('llm_generate', { messages: user('hi'), tier: 'auto' });
    expect(moved.structured.text).toBe('from the smart tier');
    expect(h.fake.requests.slice(before).map((q) => q.model)).toEqual(['small', 'gpt-4o-mini']);
  });

  it('times out a hung provider and a stalled stream, then falls back', async () => {
    h = await startBudget({
      settings: {
        tiers: { fast: ['ollama/small', 'gemini/gemini-2.5-flash'], smart: ['openai/gpt-4o-mini'] },
        retry: { attempts: 1, initialDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
        timeouts: { attemptMs: 400, idleMs: 200, holdGraceMs: 100 },
      },
    });
    h.fake.script('small', { hang: true });
    h.fake.script('gemini-2.5-flash', { stall: { afterEvents: 1 }, answer: { text: 'half of an answer that never ends' } });
    h.fake.script('gpt-4o-mini', { answer: { text: 'done' } });
    const r = await h.call('llm_generate', { messages: user('hi'), tier: 'auto' });
    expect(r.structured.text).toBe('done');
    expect(r.structured.escalated).toBe('no fast model answered');
    const reasons = (r.structured.attempts as { reason?: string }[]).map((a) => a.reason ?? '');
    expect(reasons[0]).toContain('time limit');
    expect(reasons[1]).toContain('stopped sending');
    expect(ledgerRows(h).every((row) => row.state === 'settled')).toBe(true);
  });

  it('opens a breaker after repeated failures, half-opens it after the delay and closes it on a good probe', async () => {
    h = await startBudget({
      settings: {
        breaker: { failures: 2, halfOpenAfterMs: 300 },
        retry: { attempts: 1, initialDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
      },
    });
    const health = async () =>
      ((await h.call('llm_models')).structured.models as { model: string; health: { breaker: string } }[]).find(
        (m) => m.model === 'ollama/small',
      )!.health.breaker;
    h.fake.script('small', { status: 500 }, { status: 500 });
    for (let i = 0; i < 2; i++) await h.call('llm_generate', { messages: user('hi'), tier: 'auto' });
    expect(await health()).toBe('open');
    const whileOpen = h.fake.requests.length;
    const skipped = await h.call('llm_generate', { messages: user('hi'), tier: 'auto' });
    expect((skipped.structured.attempts as { outcome: string; reason?: string }[])[0]).toMatchObject({ outcome: 'skipped' });
    expect((skipped.structured.attempts as { reason?: string }[])[0]!.reason).toContain('circuit breaker is open');
    expect(h.fake.requests.slice(whileOpen).map((q) => q.model)).toEqual(['gpt-4o-mini']);

    await new Promise((r) => setTimeout(r, 350));
    expect(await health()).toBe('half-open');
    h.fake.script('small', { answer: { text: 'back' } });
    const probe = await h.call('llm_generate', { messages: user('hi'), tier: 'auto' });
    expect(probe.structured.text).toBe('back');
    expect(await health()).toBe('closed');
  });

  it('re-opens a breaker whose probe fails', async () => {
    h = await startBudget({
      settings: {
        breaker: { failures: 1, halfOpenAfterMs: 200 },
        retry: { attempts: 1, initialDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
      },
    });
    h.fake.script('small', { status: 500 });
    await h.call('llm_generate', { messages: user('hi'), tier: 'auto' });
    await new Promise((r) => setTimeout(r, 250));
    h.fake.script('small', { status: 500 });
    await h.call('llm_generate', { messages: user('hi'), tier: 'auto' });
    const models = (await h.call('llm_models')).structured.models as { model: string; health: { breaker: string; failures: number } }[];
    expect(models.find((m) => m.model === 'ollama/small')!.health).toMatchObject({ breaker: 'open', failures: 2 });
  });
});

describe('auto', () => {
  const schema = { type: 'object', properties: { answer: { type: 'string' }, confidence: { type: 'number' } }, required: ['answer'] };

  it('escalates to the smart tier when the fast answer fails its schema after the repair', async () => {
    h = await startBudget();
    h.fake.script('small', { answer: { text: 'not json' } }, { answer: { text: 'still not json' } });
    h.fake.script('gpt-4o-mini', { answer: { text: '{"answer": "42"}' } });
    const r = await h.call('llm_generate', { messages: user('q'), schema, tier: 'auto' });
    expect(r.structured).toMatchObject({ json: { answer: '42' }, tier: 'smart', model: 'gpt-4o-mini' });
    expect(r.structured.escalated).toContain('did not match the schema');
  });

  it('escalates when the fast model reports low confidence', async () => {
    h = await startBudget();
    h.fake.script('small', { answer: { text: '{"answer": "maybe", "confidence": 0.2}' } });
    h.fake.script('gpt-4o-mini', { answer: { text: '{"answer": "surely", "confidence": 0.9}' } });
    const r = await h.call('llm_generate', { messages: user('q'), schema, tier: 'auto' });
    expect(r.structured).toMatchObject({ json: { answer: 'surely' }, tier: 'smart' });
    expect(r.structured.escalated).toContain('confidence 0.2');
  });

  it('steps back down to the fast answer when the smart tier does not fit the budget', async () => {
    h = await startBudget({
      policy: {
        llm: { providers: ['ollama', 'openai'], limits: { day: { usd: 0.0001 }, month: { usd: 10 }, task: {} } },
        rateLimits: { perClient: { callsPerMinute: 100_000, burst: 10_000 } },
      },
    });
    h.fake.script('small', { answer: { text: '{"answer": "maybe", "confidence": 0.2}' } });
    const r = await h.call('llm_generate', { messages: user('q'), schema, tier: 'auto', maxTokens: 4000 });
    expect(r.isError).toBe(false);
    expect(r.structured).toMatchObject({ json: { answer: 'maybe', confidence: 0.2 }, tier: 'fast' });
    expect(r.structured.steppedDown).toContain('day limit');
    expect(h.fake.requests.map((q) => q.model)).toEqual(['small']);
  });
});

describe('cache', () => {
  it('answers an identical temperature-0 request from the cache at no cost, recorded as a hit', async () => {
    h = await startBudget();
    h.fake.script('gpt-4o-mini', { answer: { text: 'cached answer', usage: { inputTokens: 1000, outputTokens: 1000 } } });
    const args = { messages: user('same question'), tier: 'smart', temperature: 0 };
    const first = await h.call('llm_generate', args);
    expect(first.structured.cached).toBe(false);
    expect((first.structured.cost as { usdMicros: number }).usdMicros).toBeGreaterThan(0);
    const second = await h.call('llm_generate', args);
    expect(second.structured).toMatchObject({ text: 'cached answer', cached: true, cost: { usdMicros: 0 } });
    expect(h.fake.requests).toHaveLength(1);
    const rows = ledgerRows(h);
    expect(rows.map((r) => r.kind)).toEqual(['call', 'cache-hit']);
    expect(rows[1]).toMatchObject({ outcome: 'cache-hit', micros: 0 });
    // A different temperature is a different request: no hit.
    await h.call('llm_generate', { ...args, temperature: 0.7 });
    expect(h.fake.requests).toHaveLength(2);
  });
});

describe('policy', () => {
  it('never calls a provider the policy does not allow, and says how to allow one', async () => {
    h = await startBudget({ policy: { llm: { providers: [] }, rateLimits: { perClient: { callsPerMinute: 100_000, burst: 10_000 } } } });
    const r = await h.call('llm_generate', { messages: user('hi') });
    expect(errorOf(r).code).toBe('UNAVAILABLE');
    expect(errorOf(r).message).toContain('not allowed by the policy');
    expect(errorOf(r).hint).toContain('llm.providers');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('refuses a cloud model with no known price instead of guessing', async () => {
    h = await startBudget({ settings: { tiers: { fast: ['openai/model-nobody-prices'], smart: ['openai/gpt-4o-mini'] } } });
    const r = await h.call('llm_generate', { messages: user('hi'), tier: 'fast' });
    expect(errorOf(r).message).toContain('no price is known');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('refuses a call over a limit, naming the limit and when it resets', async () => {
    h = await startBudget({
      policy: {
        llm: { providers: ['openai'], timeZone: 'Europe/Berlin', limits: { day: { usd: 0.0001 }, month: { usd: 10 } } },
        rateLimits: { perClient: { callsPerMinute: 100_000, burst: 10_000 } },
      },
    });
    const r = await h.call('llm_generate', { messages: user('hi'), tier: 'smart', maxTokens: 1000 });
    const error = errorOf(r);
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.message).toContain('the day limit (2026-03-10) of $0.0001 would be exceeded');
    expect(error.message).toContain('resets 2026-03-11 00:00 (Europe/Berlin)');
    expect(error.hint).toContain('llm.limits.day.usd');
    expect(error.limit).toMatchObject({ scope: 'day', unit: 'usd-micros', limit: 100, resetsAt: '2026-03-10T23:00:00.000Z' });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('lets a tool tighten a task limit but never raise it', async () => {
    h = await startBudget();
    h.fake.fallback = () => ({ answer: { text: 'ok', usage: { inputTokens: 100, outputTokens: 10 } } });
    await h.call('llm_generate', { messages: user('a'), tier: 'smart', task: 'job-1', limits: { usd: 0.01 }, maxTokens: 100 });
    await h.call('llm_generate', { messages: user('b'), tier: 'smart', task: 'job-1', limits: { usd: 50 }, maxTokens: 100 });
    const status = (await h.call('budget_status', { task: 'job-1' })).structured.scopes as {
      scope: string;
      limits: { usdMicros?: number };
    }[];
    expect(status.find((s) => s.scope === 'task')!.limits.usdMicros).toBe(10_000);
    // The task's tightened limit now refuses a call the policy alone would allow.
    const big = await h.call('llm_generate', { messages: user('c'), tier: 'smart', task: 'job-1', maxTokens: 30_000 });
    expect(errorOf(big)).toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(errorOf(big).message).toContain('task "job-1"');
  });
});

describe('bad input', () => {
  it('names the field and the fix, and calls no model', async () => {
    h = await startBudget();
    const badSchema = await h.call('llm_generate', { messages: user('x'), schema: { type: 'frob' } });
    expect(errorOf(badSchema)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'schema' });
    expect(errorOf(badSchema).hint).toContain('JSON Schema');
    const badRole = await h.call('llm_generate', { messages: [{ role: 'robot', content: 'x' }] });
    expect(errorOf(badRole).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(badRole).message).toContain('messages');
    const tooLong = await h.call('llm_generate', { messages: user('x'), maxTokens: 10_000_000 });
    expect(errorOf(tooLong)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'maxTokens' });
    const badTool = await h.call('llm_generate', { messages: user('x'), tools: [{ name: 'has spaces', parameters: {} }] });
    expect(errorOf(badTool).code).toBe('INVALID_ARGUMENT');
    const onlySystem = await h.call('llm_generate', { messages: [{ role: 'system', content: 'x' }] });
    expect(errorOf(onlySystem)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'messages' });
    const badCursor = await h.call('budget_ledger', { cursor: 'abc' });
    expect(errorOf(badCursor)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'cursor' });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('says which provider could not be reached and how often it was tried', async () => {
    // A port nothing listens on: bind one, then close it.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    h = await startBudget({
      settings: {
        providers: { local: { kind: 'openai-compatible', baseUrl: `http://127.0.0.1:${port}/v1` } },
        tiers: { fast: ['local/qwen'], smart: ['local/qwen'] },
      },
    });
    const r = await h.call('llm_generate', { messages: user('x'), tier: 'fast' });
    expect(errorOf(r).code).toBe('UNAVAILABLE');
    expect(errorOf(r).message).toMatch(/local\/qwen: failed 3× \(cannot reach local: .*ECONNREFUSED/);
  });

  it('does not try a model twice when it is in both tiers and failed', async () => {
    h = await startBudget({
      settings: {
        tiers: { fast: ['ollama/small'], smart: ['ollama/small', 'openai/gpt-4o-mini'] },
        retry: { attempts: 1, initialDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
      },
    });
    h.fake.script('small', { status: 500 });
    h.fake.script('gpt-4o-mini', { answer: { text: 'smart' } });
    const r = await h.call('llm_generate', { messages: user('x'), tier: 'auto' });
    expect(r.structured.text).toBe('smart');
    expect(h.fake.requests.map((q) => q.model)).toEqual(['small', 'gpt-4o-mini']);
  });
});

describe('security', () => {
  it('keeps API keys out of results, errors, progress and the audit log', async () => {
    h = await startBudget();
    h.fake.script('gpt-4o-mini', { status: 401, message: `Incorrect API key provided: ${TEST_KEYS.OPENAI_API_KEY}` });
    const r = await h.call('llm_generate', { messages: user(`repeat ${TEST_KEYS.ANTHROPIC_API_KEY}`), tier: 'smart' });
    const models = await h.call('llm_models');
    expect((models.structured.providers as { name: string; hasKey: boolean }[]).find((p) => p.name === 'openai')!.hasKey).toBe(true);
    const audit = new Database(join(h.home.dir, 'hearth.db'), { readonly: true });
    const rows = JSON.stringify(audit.prepare('SELECT * FROM audit').all());
    audit.close();
    for (const key of Object.values(TEST_KEYS)) {
      expect(JSON.stringify(r.raw)).not.toContain(key);
      expect(JSON.stringify(models.raw)).not.toContain(key);
      expect(rows).not.toContain(key);
    }
    expect(JSON.stringify(r.raw)).toContain('[REDACTED]');
  });
});
