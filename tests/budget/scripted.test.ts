// The scripted provider drives a client's tool loop offline: each turn matches the conversation and
// answers text and/or tool calls; every answer says it is scripted; a script that runs out or does
// not match says so clearly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, expect, it } from 'vitest';

import { type BudgetHarness, errorOf, startBudget } from './harness.js';

let h: BudgetHarness;
afterEach(async () => {
  await h?.close();
});
const scripts = mkdtempSync(join(tmpdir(), 'hearth-scripts-'));
afterAll(() => rmSync(scripts, { recursive: true, force: true }));

let written = 0;
function writeScript(script: unknown): string {
  const file = join(scripts, `script-${written++}.json`);
  writeFileSync(file, JSON.stringify(script));
  return file;
}

const SCRIPT = {
  name: 'job application',
  turns: [
    {
      match: { lastUser: 'apply' },
      text: 'Let me read your CV first.',
      toolCalls: [{ name: 'memory_search', arguments: { query: 'CV' } }],
    },
    {
      match: { lastToolName: 'memory_search', lastToolResult: 'cv.md' },
      toolCalls: [{ id: 'fill-1', name: 'web_fill_form', arguments: { fields: [{ ref: 'e3', value: 'Ada Lovelace' }] } }],
    },
    { match: { lastToolResult: 'submitted' }, text: 'Your application was submitted.' },
    { match: { contains: 'how are you' }, text: 'Scripted and well.', repeat: true },
  ],
};

it('runs a multi-turn tool loop from the script, saying every answer is scripted', async () => {
  h = await startBudget({
    settings: {
      providers: { scripted: { script: writeScript(SCRIPT) } },
      tiers: { fast: ['scripted/demo'], smart: ['scripted/demo'] },
    },
  });
  const tools = [
    { name: 'memory_search', parameters: { type: 'object' } },
    { name: 'web_fill_form', parameters: { type: 'object' } },
  ];
  const messages: Record<string, unknown>[] = [{ role: 'user', content: 'Please apply for the job at Example Ltd.' }];
  const progress: string[] = [];
  const first = await h.call('llm_generate', { messages, tools }, { onprogress: (p) => progress.push(p.message ?? '') });
  expect(first.structured).toMatchObject({
    scripted: true,
    provider: 'scripted',
    script: { turn: 0 },
    text: 'Let me read your CV first.',
    cost: { usdMicros: 0 },
  });
  expect(first.text).toContain('[scripted answer]');
  expect(progress.join('')).toBe('Let me read your CV first.');
  const call1 = (first.structured.toolCalls as { id: string; name: string }[])[0]!;
  expect(call1.name).toBe('memory_search');

  messages.push({ role: 'assistant', content: first.structured.text, toolCalls: first.structured.toolCalls });
  messages.push({ role: 'tool', toolCallId: call1.id, content: '{"hits": [{"path": "notes/cv.md"}]}' });
  const second = await h.call('llm_generate', { messages, tools });
  expect(second.structured).toMatchObject({ scripted: true, script: { turn: 1 }, toolCalls: [{ id: 'fill-1', name: 'web_fill_form' }] });

  messages.push({ role: 'assistant', content: '', toolCalls: second.structured.toolCalls });
  messages.push({ role: 'tool', toolCallId: 'fill-1', content: 'form submitted, confirmation 1234' });
  const third = await h.call('llm_generate', { messages, tools });
  expect(third.structured).toMatchObject({
    scripted: true,
    script: { turn: 2 },
    text: 'Your application was submitted.',
    finishReason: 'stop',
  });

  // A repeatable turn answers again and again.
  for (let i = 0; i < 2; i++) {
    const r = await h.call('llm_generate', { messages: [{ role: 'user', content: 'How are you?' }] });
    expect(r.structured).toMatchObject({ text: 'Scripted and well.', script: { turn: 3 } });
  }

  // Nothing left for a new application: the error says the script has no matching turn and lists what is open.
  const again = await h.call('llm_generate', { messages: [{ role: 'user', content: 'Please apply again.' }] });
  expect(errorOf(again).code).toBe('UNAVAILABLE');
  expect(errorOf(again).message).toContain('no turn of the script');
  expect(errorOf(again).message).toContain('#3 when contains "how are you"');
});

it('says when the script has run out', async () => {
  h = await startBudget({
    settings: {
      providers: { scripted: { script: writeScript({ turns: [{ text: 'only once' }] }) } },
      tiers: { fast: ['scripted/x'], smart: ['scripted/x'] },
    },
  });
  expect((await h.call('llm_generate', { messages: [{ role: 'user', content: 'a' }] })).structured.text).toBe('only once');
  const out = await h.call('llm_generate', { messages: [{ role: 'user', content: 'b' }] });
  expect(errorOf(out).message).toContain('has run out: all 1 turns have answered');
});

it('refuses to start with a script that is not valid, naming the file and the field', async () => {
  await expect(
    startBudget({ settings: { providers: { scripted: { script: writeScript({ turns: [{ txt: 'typo' }] }) } } } }),
  ).rejects.toThrow(/script file .*turns\.0.*Unrecognized key/);
});
