// A bad budget setting or policy llm section stops the server at start, naming the field and the fix.
import { expect, it } from 'vitest';

import { parsePolicy } from '../../policies/load.js';
import { BudgetSettings, resolveSettings } from '../../servers/budget/settings.js';

const resolve = (raw: unknown) => resolveSettings(BudgetSettings.parse(raw), '/home/x');

it('fills in the built-in providers and lets the config override them', () => {
  const s = resolve({
    providers: { ollama: { baseUrl: 'http://10.0.0.2:11434' }, lm: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:1234/v1' } },
  });
  expect(s.providers.ollama).toMatchObject({ kind: 'ollama', baseUrl: 'http://10.0.0.2:11434' });
  expect(s.providers.openai).toMatchObject({ kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' });
  expect(s.providers.lm).toMatchObject({ kind: 'openai-compatible', apiKeyEnv: undefined });
  expect(s.database).toBe('/home/x/budget.db');
});

it('names the field of a bad provider or tier', () => {
  expect(() => resolve({ providers: { mine: { baseUrl: 'http://127.0.0.1:1/v1' } } })).toThrow(
    /servers\.budget\.providers\.mine\.kind: missing/,
  );
  expect(() => resolve({ providers: { mine: { kind: 'openai-compatible' } } })).toThrow(/providers\.mine\.baseUrl: missing/);
  expect(() => resolve({ tiers: { fast: ['nowhere/model'] } })).toThrow(
    /servers\.budget\.tiers\.fast\.0: nowhere\/model names a provider that is not configured/,
  );
  expect(BudgetSettings.safeParse({ tiers: { fast: ['no-slash'] } }).error?.issues[0]?.message).toContain('provider/model');
});

it('checks the policy llm section: time zone, amounts and provider names', () => {
  expect(() => parsePolicy(JSON.stringify({ version: 1, llm: { timeZone: 'Mars/Olympus' } }), 'p.json', '/')).toThrow(
    /llm\.timeZone: not an IANA time zone/,
  );
  expect(() => parsePolicy(JSON.stringify({ version: 1, llm: { limits: { day: { usd: -1 } } } }), 'p.json', '/')).toThrow(
    /llm\.limits\.day\.usd/,
  );
  expect(() => parsePolicy(JSON.stringify({ version: 1, llm: { providers: ['Open AI'] } }), 'p.json', '/')).toThrow(/llm\.providers\.0/);
  const defaults = parsePolicy(JSON.stringify({ version: 1 }), 'p.json', '/').llm;
  expect(defaults).toMatchObject({
    providers: ['ollama'],
    approval: 'within-limits',
    limits: { task: { usd: 0.5 }, day: { usd: 2 }, month: { usd: 20 } },
  });
});
