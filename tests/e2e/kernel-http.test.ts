// Streamable HTTP: authentication, Host/Origin validation, rate limiting, and a real MCP client in
// both protocol eras, including a person's approval through elicitation (a 2025 client over its
// session) and sessions bound to the credential that opened them.
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { hash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type RunningServer, startHttpEntry } from '../helpers/http-server.js';
import { type ClientOptions, type Era, newClient } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

const ENTRY = 'tests/fixtures/kernel-http.ts';
const TOKEN = 'test-token-0123456789abcdef';
const PASSPHRASE = 'correct horse battery staple';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(
  url: string,
  headers: Record<string, string>,
  body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  method = 'POST',
): Promise<RawResponse> {
  return new Promise((done, fail) => {
    const req = request(
      url,
      { method, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', fail);
    req.end(method === 'POST' ? body : undefined);
  });
}

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

async function connect(base: string, era: Era, credential: string, onElicit?: ClientOptions['onElicit']) {
  const client = newClient({ era, ...(onElicit ? { onElicit } : {}) });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp/kernel-test`), {
      requestInit: { headers: { authorization: `Bearer ${credential}` } },
    }),
  );
  return client;
}

describe('HTTP with a bearer token and a passphrase', () => {
  let home: TempHome;
  let server: RunningServer;
  beforeAll(async () => {
    home = tempHome();
    server = await startHttpEntry(ENTRY, [], {
      HEARTH_HOME: home.dir,
      HEARTH_HTTP_TOKEN: TOKEN,
      HEARTH__http__passphraseHash: await hash(PASSPHRASE),
      HEARTH__http__rateLimit__burst: '1000',
    });
  });
  afterAll(async () => {
    await server.stop();
    home.cleanup();
  });

  it('no or wrong credentials get 401 with a Bearer challenge', async () => {
    const none = await raw(`${server.url}/mcp/kernel-test`, {});
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    const wrong = await raw(`${server.url}/mcp/kernel-test`, { authorization: 'Bearer not-the-token-at-all' });
    expect(wrong.status).toBe(401);
    const ok = await raw(`${server.url}/mcp/kernel-test`, { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
  });

  it('a foreign Origin or Host gets 403 even with the right token', async () => {
    const origin = await raw(`${server.url}/mcp/kernel-test`, { authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' });
    expect(origin.status).toBe(403);
    const host = await raw(`${server.url}/mcp/kernel-test`, { authorization: `Bearer ${TOKEN}`, host: 'evil.example:80' });
    expect(host.status).toBe(403);
    const localOrigin = await raw(`${server.url}/mcp/kernel-test`, { authorization: `Bearer ${TOKEN}`, origin: 'http://localhost:3000' });
    expect(localOrigin.status).toBe(200);
  });

  it.each<Era>(['legacy', 'modern'])('a real client lists and calls tools (%s era), with the token or the passphrase', async (era) => {
    for (const credential of [TOKEN, PASSPHRASE]) {
      const client = await connect(server.url, era, credential);
      try {
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name).sort()).toEqual(['test_append', 'test_echo', 'test_report', 'test_send']);
        const result = await client.callTool({ name: 'test_echo', arguments: { text: era } });
        expect(result.structuredContent).toEqual({ echoed: era });
      } finally {
        await client.close();
      }
    }
  });

  it('draft over HTTP: a client of either era approves through elicitation; one that cannot be asked gets a queued approval', async () => {
    const asked: string[] = [];
    const approve = (message: string) => {
      asked.push(message);
      return { action: 'accept' as const, content: { approve: true } };
    };
    const modern = await connect(server.url, 'modern', TOKEN, approve);
    try {
      const result = await modern.callTool({ name: 'test_append', arguments: { line: 'over http' } });
      expect(result.isError).toBeFalsy();
      expect(asked).toHaveLength(1);
      expect(readFileSync(join(home.dir, 'notes.txt'), 'utf8')).toBe('over http\n');
    } finally {
      await modern.close();
    }
    // A 2025 client has a session, which carries the server's question to it.
    const legacy = await connect(server.url, 'legacy', PASSPHRASE, approve);
    try {
      const result = await legacy.callTool({ name: 'test_append', arguments: { line: 'from a session' } });
      expect(result.isError, JSON.stringify(result.structuredContent)).toBeFalsy();
      expect(asked).toHaveLength(2);
      expect(readFileSync(join(home.dir, 'notes.txt'), 'utf8')).toBe('over http\nfrom a session\n');
    } finally {
      await legacy.close();
    }
    const mute = await connect(server.url, 'legacy', TOKEN);
    try {
      const queued = await mute.callTool({ name: 'test_send', arguments: { to: 'bo', body: 'hi' } });
      expect((queued.structuredContent as { error: { code: string } }).error.code).toBe('APPROVAL_REQUIRED');
      expect(existsSync(join(home.dir, 'sent.txt'))).toBe(false);
    } finally {
      await mute.close();
    }
  });

  it('a 2025 session answers only the credential that opened it, and ends on DELETE', async () => {
    const url = `${server.url}/mcp/kernel-test`;
    const opened = await raw(url, { authorization: `Bearer ${TOKEN}` }, INITIALIZE);
    expect(opened.status).toBe(200);
    const id = opened.headers['mcp-session-id'];
    expect(typeof id).toBe('string');
    const session = { 'mcp-session-id': id as string, 'mcp-protocol-version': '2025-11-25' };
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });

    const own = await raw(url, { authorization: `Bearer ${TOKEN}`, ...session }, list);
    expect(own.status).toBe(200);
    expect(own.body).toContain('test_echo');
    // Another valid credential cannot use it, and is told no more than for an id never issued.
    const other = await raw(url, { authorization: `Bearer ${PASSPHRASE}`, ...session }, list);
    const never = await raw(url, { authorization: `Bearer ${TOKEN}`, ...session, 'mcp-session-id': 'not-a-session' }, list);
    expect(other.status).toBe(404);
    expect(never.status).toBe(404);
    expect(other.body.replace(id as string, 'not-a-session')).toBe(never.body);
    expect(other.body).not.toContain('test_echo');

    const ended = await raw(url, { authorization: `Bearer ${TOKEN}`, ...session }, '', 'DELETE');
    expect(ended.status).toBe(200);
    expect((await raw(url, { authorization: `Bearer ${TOKEN}`, ...session }, list)).status).toBe(404);
    // A request without a session is still answered on its own, as before.
    expect((await raw(url, { authorization: `Bearer ${TOKEN}` }, list)).status).toBe(200);
  });
});

describe('HTTP rate limiting and the generated token', () => {
  let home: TempHome;
  let server: RunningServer;
  beforeAll(async () => {
    home = tempHome();
    server = await startHttpEntry(ENTRY, [], {
      HEARTH_HOME: home.dir,
      HEARTH__http__rateLimit__burst: '5',
      HEARTH__http__rateLimit__requestsPerMinute: '6',
    });
  });
  afterAll(async () => {
    await server.stop();
    home.cleanup();
  });

  it('generates a private token file when none is configured', async () => {
    const file = join(home.dir, 'http-token');
    expect(existsSync(file)).toBe(true);
    const { statSync } = await import('node:fs');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(server.stderr()).not.toContain(readFileSync(file, 'utf8').trim());
  });

  it('a burst over the limit gets 429 with Retry-After', async () => {
    const token = readFileSync(join(home.dir, 'http-token'), 'utf8').trim();
    const statuses: RawResponse[] = [];
    for (let i = 0; i < 8; i++) statuses.push(await raw(`${server.url}/mcp/kernel-test`, { authorization: `Bearer ${token}` }));
    const codes = statuses.map((s) => s.status);
    expect(codes.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(codes.slice(5)).toContain(429);
    const limited = statuses.find((s) => s.status === 429)!;
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('repeated wrong credentials are throttled before they are checked', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 25; i++) codes.push((await raw(`${server.url}/mcp/kernel-test`, { authorization: `Bearer guess-${i}` })).status);
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes.slice(20)).toContain(429);
  });
});

describe('HTTP under a flood of wrong passphrases', () => {
  let home: TempHome;
  let server: RunningServer;
  beforeAll(async () => {
    home = tempHome();
    server = await startHttpEntry(ENTRY, [], {
      HEARTH_HOME: home.dir,
      HEARTH_HTTP_TOKEN: TOKEN,
      HEARTH__http__passphraseHash: await hash(PASSPHRASE),
      HEARTH__http__rateLimit__burst: '1000',
      HEARTH__http__rateLimit__requestsPerMinute: '6000',
    });
  });
  afterAll(async () => {
    await server.stop();
    home.cleanup();
  });

  it('checks at most the allowance of 300 parallel guesses, and still lets the token and a known passphrase in', async () => {
    const url = `${server.url}/mcp/kernel-test`;
    // The person logs in with the passphrase before the flood starts.
    expect((await raw(url, { authorization: `Bearer ${PASSPHRASE}` })).status).toBe(200);
    const flood = await Promise.all(Array.from({ length: 300 }, (_, i) => raw(url, { authorization: `Bearer wrong passphrase ${i}` })));
    const codes = flood.map((r) => r.status);
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(20);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(280);
    expect(codes.every((c) => c === 401 || c === 429)).toBe(true);
    // Wrong guesses do not lock the holder of the right credential out.
    expect((await raw(url, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await raw(url, { authorization: `Bearer ${PASSPHRASE}` })).status).toBe(200);
    // Guesses turned away while the checks were busy did not use up the allowance; what is left
    // of it (and what refills meanwhile) is all a guesser gets.
    const after: RawResponse[] = [];
    for (let i = 0; i < 25; i++) after.push(await raw(url, { authorization: `Bearer yet another guess ${i}` }));
    expect(after.some((r) => r.status === 429)).toBe(true);
    const limited = after.at(-1)!;
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});

describe('HTTP: a keyed call whose client drops the connection', () => {
  let home: TempHome;
  let server: RunningServer;
  beforeAll(async () => {
    home = tempHome();
    home.policy({ mode: 'autopilot' });
    server = await startHttpEntry(ENTRY, [], { HEARTH_HOME: home.dir, HEARTH_HTTP_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await server.stop();
    home.cleanup();
  });

  it('runs to the end and records its result, so the retry replays it instead of finding the outcome unknown', async () => {
    const sent = join(home.dir, 'sent.txt');
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: {
        name: 'test_send',
        arguments: { to: 'delayed', body: 'once' },
        _meta: { progressToken: 'p7', 'hearth/idempotencyKey': 'dropped:1' },
      },
    });
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${TOKEN}`,
    };
    // The client goes away (no cancellation sent) as soon as the call says it has begun.
    await new Promise<void>((done, fail) => {
      const req = request(`${server.url}/mcp/kernel-test`, { method: 'POST', headers }, (res) =>
        res.once('data', (chunk: Buffer) => {
          expect(chunk.toString('utf8')).toContain('sending');
          req.destroy();
          done();
        }),
      );
      req.on('error', (error) => (req.destroyed ? undefined : fail(error)));
      req.end(body);
    });
    for (let i = 0; i < 200 && !existsSync(sent); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(sent) ? readFileSync(sent, 'utf8') : '').toBe('delayed: once\n');
    // The retry may find the key still running; it waits for the first call, then replays its result.
    const retry = await raw(`${server.url}/mcp/kernel-test`, { authorization: `Bearer ${TOKEN}` }, body);
    expect(retry.body).toContain('"sent":true');
    expect(retry.body).not.toContain('outcomeUnknown');
    expect(readFileSync(sent, 'utf8')).toBe('delayed: once\n');
  });
});
