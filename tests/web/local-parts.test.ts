// The parts that need no browser: finding Chromium, saved-session files, Set-Cookie parsing, the
// audit masks, and the filter proxy against real local servers.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FilterProxy, type ProxyBlock } from '../../servers/web/filter-proxy.js';
import { parseSetCookie } from '../../servers/web/http-request.js';
import { SavedSessions } from '../../servers/web/saved-sessions.js';
import { findChromium, SYSTEM_CHROMIUM_PATHS } from '../../shared/chromium.js';
import { tempHome } from '../helpers/temp-home.js';

describe('findChromium', () => {
  const exists = (present: string[]) => (p: string) => present.includes(p);

  it('prefers the setting, then HEARTH_CHROMIUM, then system paths, then Playwright’s browser', () => {
    expect(findChromium({ executablePath: '/opt/c', env: { HEARTH_CHROMIUM: '/env/c' }, exists: exists(['/opt/c', '/env/c']) })).toEqual({
      path: '/opt/c',
      source: 'setting',
    });
    expect(findChromium({ env: { HEARTH_CHROMIUM: '/env/c' }, exists: exists(['/env/c', SYSTEM_CHROMIUM_PATHS[0]!]) })).toEqual({
      path: '/env/c',
      source: 'HEARTH_CHROMIUM',
    });
    expect(findChromium({ env: {}, exists: exists([SYSTEM_CHROMIUM_PATHS[1]!]) })).toEqual({
      path: SYSTEM_CHROMIUM_PATHS[1],
      source: 'system',
    });
    expect(findChromium({ env: {}, exists: exists(['/pw/chrome']), playwrightPath: () => '/pw/chrome' })).toEqual({
      path: '/pw/chrome',
      source: 'playwright',
    });
  });

  it('fails with UNAVAILABLE and says to run make chromium', () => {
    expect(() =>
      findChromium({
        env: {},
        exists: () => false,
        playwrightPath: () => {
          throw new Error('none');
        },
      }),
    ).toThrow(expect.objectContaining({ code: 'UNAVAILABLE', hint: expect.stringContaining('make chromium') }));
    expect(() => findChromium({ executablePath: '/nope', env: {}, exists: () => false })).toThrow(
      expect.objectContaining({ code: 'UNAVAILABLE', message: expect.stringContaining('servers.web.executablePath') }),
    );
  });
});

describe('SavedSessions', () => {
  const home = tempHome('hearth-web-saved-');
  afterAll(() => home.cleanup());
  const saved = new SavedSessions(join(home.dir, 'web', 'sessions'));
  const state = {
    cookies: [
      { name: 'sid', value: 'abc', domain: '127.0.0.1', path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Lax' as const },
    ],
    origins: [{ origin: 'http://127.0.0.1:8080', localStorage: [{ name: 'k', value: 'v' }] }],
  };

  it('writes a private file (0600) in a private folder (0700) and reads it back', () => {
    const out = saved.save('jobs', state);
    expect(out).toMatchObject({ cookies: 1, origins: ['127.0.0.1', '127.0.0.1:8080'] });
    expect(statSync(out.path).mode & 0o777).toBe(0o600);
    expect(statSync(saved.dir).mode & 0o777).toBe(0o700);
    expect(saved.load('jobs')).toEqual(state);
    expect(saved.list().map((s) => s.name)).toEqual(['jobs']);
  });

  it('refuses names that could escape the folder, and explains missing and damaged files', () => {
    for (const bad of ['../x', 'a/b', '.hidden', '', 'x'.repeat(65)])
      expect(() => saved.file(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => saved.load('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', hint: expect.stringContaining('jobs') }));
    mkdirSync(saved.dir, { recursive: true });
    writeFileSync(join(saved.dir, 'broken.json'), '{not json');
    expect(() => saved.load('broken')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    writeFileSync(join(saved.dir, 'wrong.json'), '{"cookies": 3}');
    expect(() => saved.load('wrong')).toThrow(expect.objectContaining({ message: expect.stringContaining('not a storage state') }));
    expect(saved.list().map((s) => s.name)).toEqual(['jobs']);
  });
});

describe('parseSetCookie', () => {
  const url = new URL('http://shop.example.com/account/login');

  it('reads the attributes into Playwright’s cookie shape', () => {
    expect(parseSetCookie('sid=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60', url)).toMatchObject({
      name: 'sid',
      value: 'abc',
      domain: 'shop.example.com',
      path: '/',
      httpOnly: true,
      sameSite: 'Strict',
      expires: expect.any(Number),
    });
    expect(parseSetCookie('a=1', url)).toMatchObject({ path: '/account', domain: 'shop.example.com' });
    expect(parseSetCookie('a=1; Domain=example.com', url)).toMatchObject({ domain: '.example.com' });
  });

  it('drops cookies for other domains and malformed headers', () => {
    expect(parseSetCookie('a=1; Domain=evil.test', url)).toBeUndefined();
    expect(parseSetCookie('novalue', url)).toBeUndefined();
  });
});

describe('FilterProxy', () => {
  let upstream: Server;
  let port = 0;
  const hits: string[] = [];
  const blocks: ProxyBlock[] = [];
  let proxy: FilterProxy;
  let proxyPort = 0;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('upstream says hi');
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    port = (upstream.address() as { port: number }).port;
    proxy = new FilterProxy({
      verdict: (url) =>
        new URL(url).port === String(port) && new URL(url).protocol !== 'https:' && new URL(url).protocol !== 'wss:'
          ? { allowed: true }
          : { allowed: false, reason: 'not allowed' },
      onBlocked: (b) => blocks.push(b),
    });
    proxyPort = Number(new URL(await proxy.start()).port);
  });
  afterAll(async () => {
    await proxy.close();
    upstream.close();
  });

  function viaProxy(url: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: proxyPort, path: url, headers: { host: new URL(url).host, 'sec-fetch-dest': 'document' } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  function tunnel(authority: string, first: Buffer): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(proxyPort, '127.0.0.1', () => socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`));
      let seen = '';
      let sent = false;
      socket.on('data', (c: Buffer) => {
        seen += c.toString('latin1');
        if (!sent && seen.includes('\r\n\r\n') && seen.startsWith('HTTP/1.1 200')) {
          sent = true;
          socket.write(first);
        }
      });
      socket.on('close', () => resolve(seen));
      setTimeout(() => socket.destroy(), 1_500);
    });
  }

  it('forwards allowed plain HTTP and refuses the rest with a readable page', async () => {
    expect(await viaProxy(`http://127.0.0.1:${port}/ok`)).toEqual({ status: 200, body: 'upstream says hi' });
    const blocked = await viaProxy('http://127.0.0.1:1/secret');
    expect(blocked.status).toBe(403);
    expect(blocked.body).toContain('Blocked by Hearth');
    expect(hits).toEqual(['/ok']);
    expect(blocks).toContainEqual({ url: 'http://127.0.0.1:1/secret', method: 'GET', reason: 'not allowed', destination: 'document' });
  });

  it('opens a tunnel only for the scheme the first bytes reveal', async () => {
    // Plaintext (a ws:// upgrade) to the allowed port goes through.
    const plain = await tunnel(`127.0.0.1:${port}`, Buffer.from(`GET /through-tunnel HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
    expect(plain).toContain('upstream says hi');
    expect(hits).toContain('/through-tunnel');
    // A TLS hello to the same port would be https/wss, which this policy does not allow.
    const before = hits.length;
    await tunnel(`127.0.0.1:${port}`, Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05]));
    expect(hits.length).toBe(before);
    expect(blocks.some((b) => b.url === `https://127.0.0.1:${port}` && b.method === 'CONNECT')).toBe(true);
    // A port allowed for neither scheme is refused before any tunnel opens.
    expect(await tunnel('127.0.0.1:1', Buffer.from('x'))).toMatch(/^HTTP\/1\.1 403/);
  });

  it('refuses requests that are not proxy requests', async () => {
    const res = await new Promise<number>((resolve) =>
      request({ host: '127.0.0.1', port: proxyPort, path: '/relative' }, (r) => resolve(r.statusCode ?? 0)).end(),
    );
    expect(res).toBe(400);
  });
});
