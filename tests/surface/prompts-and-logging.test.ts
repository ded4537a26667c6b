// The protocol features beyond tools: each server's prompts (listed, rendered, a missing argument
// refused with its name), and the client's log — one message per tool call at the level the client
// set with logging/setLevel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { serverNames } from '../../orchestrator/registry.js';
import { type InProcess, startInProcess } from '../helpers/in-process.js';

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

async function until(done: () => boolean): Promise<void> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > 10_000) throw new Error('no log messages');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
