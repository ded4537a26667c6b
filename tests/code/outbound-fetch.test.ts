// fetch for sandboxed code, against a local server: the allowlist on every hop, size and time caps,
// credentials dropped on a cross-origin redirect.
import { createServer, type Server } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { outboundFetch, type OutboundPolicy } from '../../servers/code/net/outbound-fetch.js';

let server: Server;
let base = '';
const seen: { url: string; auth: string | undefined }[] = [];
const allowBoth: OutboundPolicy = { allowed: (h: string) => h === '127.0.0.1' || h === 'localhost' };
const allowIp: OutboundPolicy = { allowed: (h: string) => h === '127.0.0.1' };
const limits = { timeoutMs: 1_000, maxBytes: 1_000, maxRedirects: 2 };
const req = (url: string, headers: [string, string][] = []) => ({ url, method: 'GET', headers });
const go = (url: string, policy = allowIp, headers: [string, string][] = []) =>
  outboundFetch(req(url, headers), policy, limits, Date.now() + 5_000, new AbortController().signal);

beforeAll(async () => {
  server = createServer((r, res) => {
    seen.push({ url: r.url ?? '', auth: r.headers.authorization });
    const port = (server.address() as { port: number }).port;
    if (r.url === '/to-localhost') res.writeHead(302, { location: `http://localhost:${port}/ok` }).end();
    else if (r.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
    else if (r.url === '/big') res.writeHead(200).end('x'.repeat(2_000));
    else if (r.url === '/slow') setTimeout(() => res.writeHead(200).end('late'), 3_000);
    else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('outboundFetch', () => {
  it('fetches from an allowed host', async () => {
    const r = await go(`${base}/ok`);
    expect(r.status).toBe(200);
    expect(Buffer.from(r.body).toString()).toBe('ok');
    expect(r.headers).toContainEqual(['content-type', 'text/plain']);
  });

  it('refuses a host off the list before connecting, naming where to change it', async () => {
    const before = seen.length;
    await expect(go('http://localhost:1/ok')).rejects.toThrow(
      'fetch: localhost is not on the outbound allowlist; a person can add it to outbound.hosts in the policy file',
    );
    expect(seen.length).toBe(before);
  });

  it('checks every redirect hop', async () => {
    await expect(go(`${base}/to-localhost`)).rejects.toThrow(/localhost is not on the outbound allowlist/);
    const r = await go(`${base}/to-localhost`, allowBoth, [['authorization', 'Bearer secret']]);
    expect(r.redirected).toBe(true);
    expect(seen.at(-1)).toEqual({ url: '/ok', auth: undefined });
  });

  it('caps redirects, body size and time, and refuses other schemes', async () => {
    await expect(go(`${base}/loop`)).rejects.toThrow(/more than 2 redirects/);
    await expect(go(`${base}/big`)).rejects.toThrow(/1000-byte limit/);
    await expect(go(`${base}/slow`)).rejects.toThrow(/no answer within 1000 ms/);
    await expect(go('ftp://127.0.0.1/x')).rejects.toThrow(/ftp: scheme is not allowed/);
    await expect(go('not a url')).rejects.toThrow(/not an absolute URL/);
  });
});
