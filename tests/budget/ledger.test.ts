// The ledger with an injected clock: calendar days and months in the configured time zone (DST
// included) start at 0 with no reset job; holds reserve the worst case, settle at what was used,
// and a hold whose process died settles at its reserved amount once it expires.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type BudgetLimits, Ledger } from '../../servers/budget/ledger/ledger.js';
import { Calendar } from '../../servers/budget/periods.js';
import { type BudgetHarness, startBudget, user } from './harness.js';

let dir: string;
let clock: { now: number };
let ledger: Ledger;

function open(timeZone: string, limits: Partial<BudgetLimits> = {}, file = join(dir, 'budget.db')): Ledger {
  return new Ledger({ file, calendar: new Calendar(timeZone), limits: { task: {}, day: {}, month: {}, ...limits }, now: () => clock.now });
}

/** Reserves and settles one call that used `micros`. */
function spend(l: Ledger, micros: number, task?: string): void {
  const hold = l.reserve({
    callId: 'c',
    attempt: 1,
    task,
    provider: 'openai',
    model: 'm',
    amounts: { tokens: 10, micros, ms: 1000 },
    expiresAt: clock.now + 60_000,
  });
  if (!hold.ok) throw new Error(`refused: ${JSON.stringify(hold.refusal)}`);
  l.settle(hold.id, { tokens: 10, micros, ms: 500, inputTokens: 5, outputTokens: 5 }, 'ok');
}

const spent = (l: Ledger, scope: string) => l.status('t').find((s) => s.scope === scope)!.spent.micros;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-ledger-'));
  clock = { now: 0 };
});
afterEach(() => {
  ledger?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('periods', () => {
  it('starts a new day at 0 at local midnight, and a new month at local midnight of the 1st', () => {
    ledger = open('Europe/Berlin');
    clock.now = Date.parse('2026-01-31T22:59:30Z'); // 23:59:30 in Berlin (UTC+1), last day of January
    spend(ledger, 700);
    expect(spent(ledger, 'day')).toBe(700);
    expect(spent(ledger, 'month')).toBe(700);
    clock.now = Date.parse('2026-01-31T23:00:30Z'); // 00:00:30 on 1 February in Berlin; still January in UTC
    expect(spent(ledger, 'day')).toBe(0);
    expect(spent(ledger, 'month')).toBe(0);
    const day = ledger.status().find((s) => s.scope === 'day')!;
    expect(day.period).toBe('2026-02-01');
    expect(new Date(day.resetsAt!).toISOString()).toBe('2026-02-01T23:00:00.000Z');
    spend(ledger, 300);
    expect(spent(ledger, 'month')).toBe(300);
  });

  it('keeps a 23-hour DST day together and resets at the next local midnight', () => {
    ledger = open('America/New_York');
    clock.now = Date.parse('2026-03-08T06:30:00Z'); // 01:30 EST, before the clocks jump
    spend(ledger, 100);
    clock.now = Date.parse('2026-03-08T07:30:00Z'); // 03:30 EDT, the same local day
    spend(ledger, 50);
    expect(spent(ledger, 'day')).toBe(150);
    const day = ledger.status().find((s) => s.scope === 'day')!;
    expect(new Date(day.resetsAt!).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    clock.now = Date.parse('2026-03-09T03:59:59Z'); // 23:59:59 EDT
    expect(spent(ledger, 'day')).toBe(150);
    clock.now = Date.parse('2026-03-09T04:00:00Z'); // midnight
    expect(spent(ledger, 'day')).toBe(0);
    expect(spent(ledger, 'month')).toBe(150);
  });

  it('refuses at the day limit and allows the same call the next day', () => {
    ledger = open('Asia/Tokyo', { day: { micros: 1_000 } });
    clock.now = Date.parse('2026-05-01T14:59:00Z'); // 23:59 in Tokyo
    spend(ledger, 900);
    const refused = ledger.reserve({
      callId: 'c',
      attempt: 1,
      task: undefined,
      provider: 'openai',
      model: 'm',
      amounts: { tokens: 1, micros: 200, ms: 1 },
      expiresAt: clock.now + 1000,
    });
    expect(refused).toMatchObject({
      ok: false,
      refusal: { scope: 'day', unit: 'micros', limit: 1000, used: 900, needed: 200, period: '2026-05-01' },
    });
    if (!refused.ok) expect(new Date(refused.refusal.resetsAt!).toISOString()).toBe('2026-05-01T15:00:00.000Z');
    clock.now = Date.parse('2026-05-01T15:00:01Z');
    spend(ledger, 200);
    expect(spent(ledger, 'day')).toBe(200);
  });

  it('reads the same ledger in another time zone with that zone’s days', () => {
    ledger = open('UTC');
    clock.now = Date.parse('2026-06-10T23:30:00Z');
    spend(ledger, 40);
    ledger.close();
    ledger = open('America/Los_Angeles'); // 16:30 on 10 June there
    clock.now = Date.parse('2026-06-11T06:00:00Z'); // 23:00 on 10 June in Los Angeles
    expect(spent(ledger, 'day')).toBe(40);
    clock.now = Date.parse('2026-06-11T07:00:00Z'); // midnight in Los Angeles
    expect(spent(ledger, 'day')).toBe(0);
  });
});

describe('holds', () => {
  it('counts held amounts against the limit until they settle, then only what was used', () => {
    ledger = open('UTC', { day: { micros: 1_000 } });
    clock.now = Date.parse('2026-07-01T10:00:00Z');
    const a = ledger.reserve({
      callId: 'a',
      attempt: 1,
      task: undefined,
      provider: 'p',
      model: 'm',
      amounts: { tokens: 1, micros: 600, ms: 1 },
      expiresAt: clock.now + 10_000,
    });
    expect(a.ok).toBe(true);
    const b = ledger.reserve({
      callId: 'b',
      attempt: 1,
      task: undefined,
      provider: 'p',
      model: 'm',
      amounts: { tokens: 1, micros: 600, ms: 1 },
      expiresAt: clock.now + 10_000,
    });
    expect(b).toMatchObject({ ok: false, refusal: { held: 600, used: 600 } });
    if (a.ok) ledger.settle(a.id, { tokens: 1, micros: 100, ms: 1, inputTokens: 1, outputTokens: 0 }, 'ok');
    const c = ledger.reserve({
      callId: 'c',
      attempt: 1,
      task: undefined,
      provider: 'p',
      model: 'm',
      amounts: { tokens: 1, micros: 600, ms: 1 },
      expiresAt: clock.now + 10_000,
    });
    expect(c.ok).toBe(true);
    const day = ledger.status().find((s) => s.scope === 'day')!;
    expect(day.spent.micros).toBe(100);
    expect(day.held.micros).toBe(600);
    expect(day.left.micros).toBe(300);
  });

  it('settles a hold whose process died at its reserved amount once it expires', () => {
    ledger = open('UTC', { day: { micros: 10_000 } });
    clock.now = Date.parse('2026-07-01T10:00:00Z');
    const dead = ledger.reserve({
      callId: 'dead',
      attempt: 1,
      task: 't',
      provider: 'p',
      model: 'm',
      amounts: { tokens: 50, micros: 800, ms: 60_000 },
      expiresAt: clock.now + 90_000,
    });
    expect(ledger.openHolds()).toBe(1);
    clock.now += 90_001;
    expect(ledger.status().find((s) => s.scope === 'day')!.held.micros).toBe(0); // no longer in flight…
    expect(spent(ledger, 'day')).toBe(800); // …but spent, at its worst case
    expect(ledger.expireHolds()).toBe(1);
    expect(ledger.openHolds()).toBe(0);
    // A late settlement of the expired hold changes nothing.
    if (dead.ok) expect(ledger.settle(dead.id, { tokens: 1, micros: 1, ms: 1, inputTokens: 1, outputTokens: 0 }, 'ok')).toBe(false);
    expect(spent(ledger, 'day')).toBe(800);
    expect(ledger.status('t').find((s) => s.scope === 'task')!.spent.micros).toBe(800);
  });

  it('tightens a task limit for good and ignores attempts to raise it', () => {
    ledger = open('UTC', { task: { micros: 5_000 } });
    clock.now = Date.parse('2026-07-01T10:00:00Z');
    const base = {
      callId: 'x',
      attempt: 1,
      task: 'job',
      provider: 'p',
      model: 'm',
      amounts: { tokens: 1, micros: 1_500, ms: 1 },
      expiresAt: clock.now + 1000,
    };
    expect(ledger.reserve({ ...base, tightenTask: { micros: 2_000 } }).ok).toBe(true);
    expect(ledger.taskLimits('job')).toEqual({ micros: 2_000 });
    expect(ledger.reserve({ ...base, tightenTask: { micros: 9_000 } })).toMatchObject({
      ok: false,
      refusal: { scope: 'task', limit: 2_000 },
    });
    expect(ledger.taskLimits('job')).toEqual({ micros: 2_000 });
    expect(ledger.taskLimits('other-job')).toEqual({ micros: 5_000 });
  });
});

describe('through the tools', () => {
  let h: BudgetHarness;
  afterEach(async () => {
    await h?.close();
  });

  it('budget_status shows a fresh day after local midnight, from the same ledger', async () => {
    h = await startBudget({
      start: Date.parse('2026-10-24T21:59:00Z'), // 23:59 in Berlin (CEST)
      policy: {
        llm: { providers: ['openai'], timeZone: 'Europe/Berlin', limits: { day: { usd: 1 }, month: { usd: 10 } } },
        rateLimits: { perClient: { callsPerMinute: 100_000, burst: 10_000 } },
      },
    });
    h.fake.script('gpt-4o-mini', { answer: { text: 'ok', usage: { inputTokens: 100_000, outputTokens: 0 } } });
    await h.call('llm_generate', { messages: user('hi'), tier: 'smart' });
    const day = async () =>
      ((await h.call('budget_status')).structured.scopes as { scope: string; period: string; spent: { usdMicros: number } }[])[0]!;
    expect(await day()).toMatchObject({ period: '2026-10-24', spent: { usdMicros: 15_000 } });
    h.clock.now = Date.parse('2026-10-24T22:00:00Z'); // midnight in Berlin
    expect(await day()).toMatchObject({ period: '2026-10-25', spent: { usdMicros: 0 } });
  });
});
