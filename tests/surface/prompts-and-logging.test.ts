// The protocol features beyond tools: each server's prompts (listed, rendered, a missing argument
// refused with its name), and the client's log — one message per tool call at the level the client
// set with logging/setLevel, and nothing before it sets one (over HTTP too, where each request is a new
// protocol instance).
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { findServer, serverNames } from '../../orchestrator/registry.js';
import { loadConfig } from '../../shared/config.js';
import { startHttp } from '../../shared/http.js';
import { resolveCredentials } from '../../shared/http-credentials.js';
import { type InProcess, startInProcess } from '../helpers/in-process.js';
import { newClient } from '../helpers/mcp-client.js';
import { tempHome } from '../helpers/temp-home.js';

const TOKEN = 'test-token-logging-0123456789';

const servers = new Map<string, InProcess>();

beforeAll(async () => {
  for (const name of serverNames()) servers.set(name, await startInProcess(name, { policy: { mode: 'autopilot' } }));
});
afterAll(async () => {
  for (const s of servers.values()) await s.close();
});

describe('prompts', () => {
  it('lists a few useful prompts on every server', async () => {
    const names: Record<string, string[]> = {};
    for (const [name, s] of servers) names[name] = (await s.client.listPrompts()).prompts.map((p) => p.name);
    expect(names).toEqual({
      memory: ['search_notes', 'how_did_it_go'],
      code: ['analyze_csv'],
      web: ['fill_form_from_cv', 'read_page'],
      budget: ['spending'],
      plan: ['plan_task'],
    });
  });

  it('renders a prompt with its arguments into a message naming the tools', async () => {
    const got = await servers.get('web')!.client.getPrompt({
      name: 'fill_form_from_cv',
      arguments: { url: 'https://jobs.example.com/apply', cv: 'cv.pdf' },
    });
    const message = got.messages[0]!;
    expect(message.role).toBe('user');
    expect(message.content).toMatchObject({ type: 'text' });
    const text = (message.content as { text: string }).text;
    expect(text).toContain('https://jobs.example.com/apply');
    expect(text).toContain('my CV at cv.pdf');
    expect(text).toContain('web_fill_form');
  });

  it('refuses a missing required argument by name, and an unknown prompt with the list', async () => {
    const memory = servers.get('memory')!.client;
    await expect(memory.getPrompt({ name: 'search_notes', arguments: {} })).rejects.toThrow(/topic: the search_notes prompt needs it/);
    await expect(memory.getPrompt({ name: 'nope' })).rejects.toThrow(/no prompt named nope; this server has search_notes, how_did_it_go/);
  });
});

describe('logging', () => {
  it('sends one message per tool call at or above the level the client set', async () => {
    const memory = servers.get('memory')!;
    const messages: { level: string; data: unknown }[] = [];
    memory.client.setNotificationHandler(
      'notifications/message',
      (n) => void messages.push({ level: n.params.level, data: n.params.data }),
    );

    await memory.client.setLoggingLevel('info');
    await memory.call('memory_recall', { namespace: 'user' });
    await memory.call('memory_list', {});
    await memory.call('memory_get', {}); // invalid: neither documentId nor chunkId
    await until(() => messages.length >= 3);
    expect(messages.map((m) => m.level)).toEqual(['info', 'info', 'warning']);
    expect(messages[2]!.data).toMatchObject({ tool: 'memory_get', outcome: 'error', errorCode: 'INVALID_ARGUMENT' });

    await memory.client.setLoggingLevel('error');
    await memory.call('memory_recall', { namespace: 'user' });
    await memory.call('memory_get', {});
    await memory.call('memory_list', {});
    expect(messages).toHaveLength(3);
  });
});

describe('logging before a level is set', () => {
  it('sends a client nothing until it sets a level, then from that level up', async () => {
    const code = servers.get('code')!;
    const messages: string[] = [];
    code.client.setNotificationHandler('notifications/message', (n) => void messages.push(n.params.level));
    await code.call('code_session_list');
    await code.call('code_files_read', {}); // invalid: a warning, were a level set
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(messages).toEqual([]);

    await code.client.setLoggingLevel('warning');
    await code.call('code_session_list');
    await code.call('code_files_read', {});
    await until(() => messages.length >= 1);
    expect(messages).toEqual(['warning']);
  });

  it('refuses a level that is not one, with the list', async () => {
    const budget = servers.get('budget')!;
    await expect(budget.client.request({ method: 'logging/setLevel', params: { level: 'banana' } } as never)).rejects.toThrow(
      /-32602|banana|level/i,
    );
  });

  it('keeps an HTTP client’s level across its requests (each request is a new protocol instance)', async () => {
    const home = tempHome('hearth-http-log-');
    home.policy({ mode: 'autopilot' });
    const { config } = loadConfig({ home: home.dir, port: '0', logLevel: 'warn' }, { HEARTH_HOME: home.dir, HEARTH_HTTP_TOKEN: TOKEN });
    const credentials = resolveCredentials(config);
    if (credentials.token) config.http.token = credentials.token;
    const memory = await (await findServer('memory')!.load())(config);
    const http = await startHttp({ config, servers: [memory], log: memory.kernel.log, passphraseHash: credentials.passphraseHash });
    const client = newClient();
    try {
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${http.url}/mcp/memory`), {
          requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
        }),
      );
      const messages: string[] = [];
      client.setNotificationHandler('notifications/message', (n) => void messages.push(n.params.level));
      await client.callTool({ name: 'memory_list', arguments: {} });
      expect(messages).toEqual([]);
      await client.setLoggingLevel('info');
      await client.callTool({ name: 'memory_list', arguments: {} });
      await until(() => messages.length >= 1);
      expect(messages).toEqual(['info']);
    } finally {
      await client.close().catch(() => undefined);
      await http.close();
      await memory.close();
      home.cleanup();
    }
  });
});

async function until(done: () => boolean): Promise<void> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > 10_000) throw new Error('no log messages');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
