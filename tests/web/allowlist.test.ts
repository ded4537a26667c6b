// The allowlist as Chromium sees it (route regex, proxy bypass rules) and as the tools see it
// (which URLs may be opened or requested). Hostile cases included: a compiled rule may be broader
// than the policy in the harmless direction only.
import { describe, expect, it } from 'vitest';

import { originMatches } from '../../policies/patterns.js';
import { blockedUrls, blockedWebSockets, bypassRules } from '../../servers/web/allowlist-rules.js';
import { assertNavigable, type OriginPolicy, verdictFor } from '../../servers/web/url-policy.js';

const ORIGINS = ['http://127.0.0.1:8080', 'https://example.com', 'https://*.shop.test', 'http://localhost:*', 'http://[::1]:9000'];

function policyOf(origins: string[]): OriginPolicy {
  return { source: 'test policy', policy: { web: { origins } }, originAllowed: (url) => origins.some((o) => originMatches(o, url)) };
}

const URLS = [
  'http://127.0.0.1:8080/',
  'http://127.0.0.1:8080/a?b#c',
  'http://127.0.0.1:8081/',
  'http://127.0.0.1/',
  'https://127.0.0.1:8080/',
  'http://127.0.0.1.evil.test:8080/',
  'http://user:pw@127.0.0.1:8080/',
  'http://evil.test/http://127.0.0.1:8080/',
  'https://example.com/',
  'https://example.com:443/x',
  'https://example.com:8443/',
  'http://example.com/',
  'https://www.example.com/',
  'https://example.com.evil.test/',
  'https://a.shop.test/',
  'https://a.b.shop.test/cart',
  'https://shop.test/',
  'https://evilshop.test/',
  'http://localhost:3000/',
  'http://localhost/',
  'https://localhost:3000/',
  'http://[::1]:9000/',
  'http://[::1]:9001/',
  'HTTPS://EXAMPLE.COM/',
];

describe('blockedUrls', () => {
  const regex = blockedUrls(ORIGINS);
  const policy = policyOf(ORIGINS);

  it.each(URLS)('routes %s to the handler whenever the policy would refuse it', (raw) => {
    const allowed = policy.originAllowed(new URL(raw)) && !new URL(raw).username;
    expect(allowed || regex.test(new URL(raw).href)).toBe(true);
  });

  it('lets the plainly allowed URLs through without a detour', () => {
    for (const raw of [
      'http://127.0.0.1:8080/',
      'https://example.com/x',
      'https://a.shop.test/',
      'http://localhost:3000/',
      'http://[::1]:9000/',
    ])
      expect(regex.test(new URL(raw).href)).toBe(false);
  });

  it('routes everything when nothing is allowed, and other schemes always', () => {
    expect(blockedUrls([]).test('http://127.0.0.1:8080/')).toBe(true);
    expect(regex.test('file:///etc/passwd')).toBe(true);
    expect(regex.test('ftp://example.com/')).toBe(true);
  });

  it('maps ws/wss onto the http/https entries', () => {
    const ws = blockedWebSockets(ORIGINS);
    expect(ws.test('ws://127.0.0.1:8080/socket')).toBe(false);
    expect(ws.test('wss://example.com/socket')).toBe(false);
    expect(ws.test('ws://example.com/socket')).toBe(true);
    expect(ws.test('ws://127.0.0.1:9999/socket')).toBe(true);
  });
});

describe('bypassRules', () => {
  it('names exact hosts only, with their port, never a wildcard host', () => {
    expect(bypassRules(ORIGINS)).toEqual(['http://127.0.0.1:8080', 'https://example.com:443', 'http://localhost', 'http://[::1]:9000']);
    expect(bypassRules(['https://*.example.com', 'not a pattern'])).toEqual([]);
  });
});

describe('assertNavigable and verdictFor', () => {
  const policy = policyOf(ORIGINS);

  it.each([
    'file:///etc/passwd',
    'chrome://settings',
    'javascript:alert(1)',
    'data:text/html,<h1>x</h1>',
    'about:config',
    'view-source:https://example.com/',
  ])('refuses %s', (raw) => {
    expect(() => assertNavigable(policy, raw, 'url')).toThrow(expect.objectContaining({ code: 'ORIGIN_NOT_ALLOWED' }));
  });

  it('refuses foreign origins, naming the origin and the policy file', () => {
    expect(() => assertNavigable(policy, 'https://evil.test/', 'url')).toThrow(
      expect.objectContaining({
        code: 'ORIGIN_NOT_ALLOWED',
        message: 'url: https://evil.test is not on the web origin allowlist',
        hint: expect.stringContaining('test policy'),
      }),
    );
  });

  it('refuses credentials in URLs and nonsense', () => {
    expect(() => assertNavigable(policy, 'http://a:b@127.0.0.1:8080/', 'url')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => assertNavigable(policy, 'not a url', 'url')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('url:') }),
    );
  });

  it('lets about:blank, data: and blob: subresources be (they never leave the browser)', () => {
    expect(assertNavigable(policy, 'about:blank', 'url')).toBe('about:blank');
    expect(verdictFor(policy, 'data:image/png;base64,AAAA').allowed).toBe(true);
    expect(verdictFor(policy, 'blob:http://127.0.0.1:8080/uuid').allowed).toBe(true);
    expect(verdictFor(policy, 'ws://127.0.0.1:8080/').allowed).toBe(true);
    expect(verdictFor(policy, 'wss://evil.test/').allowed).toBe(false);
    expect(verdictFor(policy, 'chrome-extension://abc/x').allowed).toBe(false);
  });
});
