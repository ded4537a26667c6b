// 2025-era HTTP sessions on their own, with the SDK's real transport and server: a session is
// opened by initialize and used by its id; past the cap the least recently used one is closed; one
// idle past the limit is closed; closing ends them all.
import { type AuthInfo, Server } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';

import { HttpSessions } from '../../shared/http-sessions.js';

const URL_ = 'http://127.0.0.1/mcp/test';
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const AUTH: AuthInfo = { token: 't', clientId: 'token:abc', scopes: ['mcp'] };

function post(body: unknown, session?: string): Request {
  return new Request(URL_, {
    method: 'POST',
    headers: { ...HEADERS, ...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' } : {}) },
    body: JSON.stringify(body),
  });
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
};
const ping = { jsonrpc: '2.0', id: 2, method: 'ping' };

let clock = 0;
let closedServers = 0;
let sessions: HttpSessions;

function make(limits: { max: number; idleMs: number }): HttpSessions {
  return new HttpSessions(
    () => {
      const server = new Server({ name: 't', version: '1' }, { capabilities: {} });
      server.onclose = () => void closedServers++;
      return server;
    },
    { maxRequestBodySize: 1 << 20, limits, now: () => clock },
  );
}

async function open(): Promise<string> {
  const response = await sessions.handle(post(initialize), AUTH, initialize);
  await response.text();
  expect(response.status).toBe(200);
  const id = response.headers.get('mcp-session-id');
  expect(id).toBeTruthy();
  return id!;
}

async function status(id: string): Promise<number> {
  const response = await sessions.handle(post(ping, id), AUTH, ping);
  await response.text();
  return response.status;
}

afterEach(async () => {
  await sessions.close();
  clock = 0;
  closedServers = 0;
});

describe('HttpSessions', () => {
  it('knows which 2025 requests are for a session', () => {
    sessions = make({ max: 1, idleMs: 1_000 });
    expect(HttpSessions.wants(post(initialize), initialize)).toBe(true);
    expect(HttpSessions.wants(post(ping, 'abc'), ping)).toBe(true);
    expect(HttpSessions.wants(post(ping), ping)).toBe(false);
    expect(HttpSessions.wants(post([ping, initialize]), [ping, initialize])).toBe(true);
  });

  it('past the cap, closes the least recently used session', async () => {
    sessions = make({ max: 2, idleMs: 60_000 });
    const a = await open();
    clock = 1;
    const b = await open();
    clock = 2;
    expect(await status(a)).toBe(200); // a is now the more recent
    clock = 3;
    const c = await open();
    expect(sessions.size).toBe(2);
    expect(closedServers).toBe(1);
    expect(await status(b)).toBe(404);
    expect(await status(a)).toBe(200);
    expect(await status(c)).toBe(200);
  });

  it('closes a session idle past the limit, and keeps one in use', async () => {
    sessions = make({ max: 10, idleMs: 1_000 });
    const idle = await open();
    const busy = await open();
    clock = 900;
    expect(await status(busy)).toBe(200);
    clock = 1_500;
    expect(await status(busy)).toBe(200);
    expect(await status(idle)).toBe(404);
    expect(sessions.size).toBe(1);
  });

  it('an initialize that fails opens no session', async () => {
    sessions = make({ max: 10, idleMs: 1_000 });
    const bad = { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} };
    const response = await sessions.handle(post(bad), AUTH, bad);
    await response.text();
    expect(response.headers.get('mcp-session-id')).toBeNull();
    expect(sessions.size).toBe(0);
  });

  it('close ends every session', async () => {
    sessions = make({ max: 10, idleMs: 60_000 });
    await open();
    await open();
    await sessions.close();
    expect(sessions.size).toBe(0);
    expect(closedServers).toBe(2);
  });
});
