import { homedir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { HearthError } from '../../lib/errors.js';
import { PolicyEngine } from '../../policies/engine.js';
import { loadPolicy, parsePolicy } from '../../policies/load.js';
import { narrow } from '../../policies/modes.js';
import { hostMatches, originMatches } from '../../policies/patterns.js';
import { Policy } from '../../policies/schema.js';

const parse = (json: unknown) => parsePolicy(JSON.stringify(json), '/etc/hearth/policy.json', '/etc/hearth');

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HearthError);
    return (error as HearthError).message;
  }
  throw new Error('expected an error');
}

describe('policy files', () => {
  it('the built-in default is valid and denies by default', () => {
    const { policy, source } = loadPolicy(undefined, '/nonexistent-home');
    expect(source).toBe('built-in default');
    expect(policy.mode).toBe('draft');
    expect(policy.roots).toEqual([]);
    expect(policy.web.origins).toEqual([]);
    expect(policy.outbound.hosts).toEqual([]);
  });

  it('names the file, the field and the problem', () => {
    expect(message(() => parse({ version: 1, mode: 'yolo' }))).toMatch(/^policy file \/etc\/hearth\/policy\.json: mode: /);
    expect(message(() => parse({ version: 1, tools: { allow: [3] } }))).toContain('tools.allow.0');
    expect(message(() => parse({ version: 2 }))).toContain('version');
    expect(message(() => parse({ version: 1, rootz: [] }))).toContain('rootz');
    expect(message(() => parse({ version: 1, web: { origins: ['example.com'] } }))).toContain('web.origins.0');
    expect(message(() => parse({ version: 1, redact: { patterns: ['(unclosed'] } }))).toContain('redact.patterns.0');
    expect(message(() => parsePolicy('{ nope', '/p.json', '/'))).toContain('not valid JSON');
  });

  it('expands ~ and resolves relative roots against the policy file', () => {
    const policy = parse({ version: 1, roots: ['~/Documents', 'notes', '/abs'] });
    expect(policy.roots).toEqual([join(homedir(), 'Documents'), '/etc/hearth/notes', '/abs']);
  });
});

describe('policy engine', () => {
  const engine = (json: object, override?: 'observe' | 'draft' | 'autopilot') =>
    new PolicyEngine(Policy.parse({ version: 1, ...json }), 'test policy', override);

  it('modes: per server, overridden by the person, only narrowed per call', () => {
    const e = engine({ mode: 'draft', servers: { code: { mode: 'autopilot' } } });
    expect(e.modeFor('memory')).toBe('draft');
    expect(e.modeFor('code')).toBe('autopilot');
    expect(e.modeFor('code', 'observe')).toBe('observe');
    expect(e.modeFor('memory', 'autopilot')).toBe('draft'); // a call cannot widen
    expect(engine({ mode: 'draft' }, 'observe').modeFor('memory')).toBe('observe');
    expect(narrow('observe', 'autopilot')).toBe('observe');
  });

  it('tool allow and deny lists, deny winning', () => {
    const e = engine({ tools: { allow: ['memory_*', 'web_snapshot'], deny: ['memory_delete'] } });
    expect(() => e.assertToolAllowed('memory_search')).not.toThrow();
    expect(() => e.assertToolAllowed('web_snapshot')).not.toThrow();
    expect(() => e.assertToolAllowed('memory_delete')).toThrow(/does not allow/);
    expect(() => e.assertToolAllowed('code_run')).toThrow(/does not allow/);
  });

  it('web origins: scheme, host and port must all match; hostile URLs are refused', () => {
    // The web server's URL checks (servers/web/url-policy.ts) build on this match; their hostile cases are in tests/web.
    const e = engine({ web: { origins: ['https://example.com', 'http://127.0.0.1:*', 'https://*.docs.example.org'] } });
    expect(e.originAllowed(new URL('https://example.com/a?b'))).toBe(true);
    for (const bad of [
      'http://example.com/',
      'https://example.com:8443/',
      'https://example.com.evil.net/',
      'https://evil.net/?https://example.com',
      'https://example.com@evil.net/',
      'https://docs.example.org/',
    ]) {
      expect(e.originAllowed(new URL(bad)), bad).toBe(false);
    }
    expect(e.originAllowed(new URL('https://a.docs.example.org/x'))).toBe(true);
    expect(e.originAllowed(new URL('http://127.0.0.1:5173/'))).toBe(true);
    expect(e.originAllowed(new URL('ws://127.0.0.1:9/'))).toBe(true);
  });

  it('outbound hosts and their wildcards', () => {
    expect(hostMatches('*.example.com', 'api.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'example.com')).toBe(false);
    expect(hostMatches('*.example.com', 'evilexample.com')).toBe(false);
    expect(hostMatches('example.com', 'EXAMPLE.com.')).toBe(true);
    expect(originMatches('https://[::1]:*', new URL('https://[::1]:8080/'))).toBe(true);
    const e = engine({ outbound: { hosts: ['api.example.com'] } });
    expect(e.outboundAllowed('api.example.com')).toBe(true);
    expect(e.outboundAllowed('example.com')).toBe(false);
  });

  it('rate limits per client and per tool', () => {
    let now = 0;
    const e = new PolicyEngine(
      Policy.parse({
        version: 1,
        rateLimits: { perClient: { callsPerMinute: 60, burst: 3 }, perTool: { 'web_*': { callsPerMinute: 60, burst: 1 } } },
      }),
      'test',
      undefined,
      () => now,
    );
    expect([1, 2, 3, 4].map(() => e.checkRate('a', 'memory_ingest', 'write').ok)).toEqual([true, true, true, false]);
    expect(e.checkRate('b', 'web_click', 'external').ok).toBe(true);
    expect(e.checkRate('b', 'web_click', 'external')).toEqual({ ok: false, retryAfterSeconds: 1, retryAfterMs: 1000 });
    now += 1000;
    expect(e.checkRate('b', 'web_click', 'external').ok).toBe(true);
  });

  it('read tools draw on their own, larger bucket; the wait is given to the millisecond', () => {
    let now = 0;
    const e = new PolicyEngine(Policy.parse({ version: 1 }), 'test', undefined, () => now);
    // The default: 600 writes a minute (burst 60), 6000 reads a minute (burst 600).
    const writes = Array.from({ length: 61 }, () => e.checkRate('a', 'memory_ingest', 'write').ok);
    expect(writes.filter(Boolean)).toHaveLength(60);
    // Writes running out leaves reads alone, and 2,400 back-to-back searches at 100 a second pass.
    expect(e.checkRate('a', 'memory_ingest', 'write').ok).toBe(false);
    let refused = 0;
    for (let i = 0; i < 2400; i++) {
      if (!e.checkRate('a', 'memory_search', 'read').ok) refused++;
      now += 10;
    }
    expect(refused).toBe(0);
    // Past the burst, a read is refused with the exact wait, and passes once that wait is over.
    for (let i = 0; i < 600; i++) e.checkRate('b', 'memory_get', 'read');
    const refusal = e.checkRate('b', 'memory_get', 'read');
    expect(refusal).toEqual({ ok: false, retryAfterSeconds: 1, retryAfterMs: 10 });
    now += refusal.retryAfterMs;
    expect(e.checkRate('b', 'memory_get', 'read').ok).toBe(true);
  });
});
