// Subscriptions for a 2025-era client over HTTP: `hearth serve` gives it a session, so it can
// subscribe to a workspace file and hear, over the session's stream, when a tool changes it — as
// over stdio. A stateless request (no session) still has no subscriptions to offer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { type RunningServer, startHttpEntry } from '../helpers/http-server.js';
import { newClient } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

const URI = 'hearth://code/workspace/scratch/notes/todo.md';
let home: TempHome;
let server: RunningServer;

beforeAll(async () => {
  home = tempHome('hearth-http-subscriptions-');
  home.policy({ mode: 'autopilot' });
  server = await startHttpEntry('orchestrator/cli.ts', ['serve', '--port', '0', '--servers', 'code'], { HEARTH_HOME: home.dir });
});

afterAll(async () => {
  await server?.stop();
  home?.cleanup();
});

it('a 2025 client subscribes over its HTTP session and hears a tool change the file; nothing after unsubscribing', async () => {
  const token = readFileSync(join(home.dir, 'http-token'), 'utf8').trim();
  const client = newClient({ era: 'legacy' });
  const updated: string[] = [];
  client.setNotificationHandler('notifications/resources/updated', (n) => void updated.push(n.params.uri));
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp/code`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  const heard = async (count: number): Promise<string[]> => {
    const start = Date.now();
    while (updated.length < count && Date.now() - start < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 150)); // and no more than that
    return [...updated];
  };
  const write = async (content: string) => {
    const r = await client.callTool({ name: 'code_files_write', arguments: { files: [{ path: 'notes/todo.md', content }] } });
    expect(r.isError, JSON.stringify(r.structuredContent)).toBeFalsy();
  };
  try {
    expect(transport.sessionId).toBeTruthy();
    expect(client.getServerCapabilities()?.resources).toMatchObject({ subscribe: true });
    await write('- one\n');
    await client.subscribeResource({ uri: URI });
    await write('- one\n- two\n');
    expect(await heard(1)).toEqual([URI]);
    await client.unsubscribeResource({ uri: URI });
    await write('- one\n- two\n- three\n');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // a notification follows the answer within ms
    expect(updated).toEqual([URI]);
  } finally {
    await transport.terminateSession();
    await client.close();
  }
});
