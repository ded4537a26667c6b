// Each provider adapter, through its real SDK, against a fake server speaking that provider's wire
// format: streamed text, tool calls both ways, structured answers, and every failure classified —
// with exactly one HTTP request per attempt (the SDKs' own retries are off).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ChatMessage } from '../../servers/budget/messages.js';
import { AnthropicProvider } from '../../servers/budget/providers/anthropic.js';
import { GeminiProvider } from '../../servers/budget/providers/gemini.js';
import { OllamaProvider } from '../../servers/budget/providers/ollama.js';
import { OpenAiProvider } from '../../servers/budget/providers/openai.js';
import { type Provider, ProviderFailure, type ProviderRequest } from '../../servers/budget/providers/provider.js';
import { FakeLlm, type Wire } from '../fixtures/llm/fake-llm.js';

let fake: FakeLlm;
beforeAll(async () => {
  fake = await FakeLlm.start();
});
afterAll(async () => {
  await fake.close();
});

const KEY = 'sk-test-0123456789abcdefghijklmnop';

function provider(wire: Wire): Provider {
  switch (wire) {
    case 'openai':
      return new OpenAiProvider({ name: 'openai', kind: 'openai', baseUrl: fake.baseUrl('openai'), apiKey: KEY });
    case 'anthropic':
      return new AnthropicProvider({ name: 'anthropic', baseUrl: fake.baseUrl('anthropic'), apiKey: KEY });
    case 'gemini':
      return new GeminiProvider({ name: 'gemini', baseUrl: fake.baseUrl('gemini'), apiKey: KEY });
    case 'ollama':
      return new OllamaProvider({ name: 'ollama', baseUrl: fake.baseUrl('ollama') });
  }
}

function request(model: string, overrides: Partial<ProviderRequest> = {}): ProviderRequest & { streamed: string[] } {
  const streamed: string[] = [];
  return {
    model,
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hello.' },
    ],
    tools: [],
    toolChoice: 'auto',
    maxTokens: 100,
    temperature: 0,
    jsonSchema: undefined,
    signal: new AbortController().signal,
    onText: (d) => streamed.push(d),
    onActivity: () => undefined,
    ...overrides,
    streamed,
  };
}

async function failure(promise: Promise<unknown>): Promise<ProviderFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderFailure);
    return error as ProviderFailure;
  }
  throw new Error('expected the call to fail');
}

const WIRES: Wire[] = ['openai', 'anthropic', 'gemini', 'ollama'];

describe.each(WIRES)('%s', (wire) => {
  const model = `model-${wire}`;

  it('streams text and reports usage', async () => {
    fake.script(model, { answer: { text: 'Hello there, friend.', usage: { inputTokens: 12, outputTokens: 5 } } });
    const req = request(model);
    const answer = await provider(wire).generate(req);
    expect(answer.text).toBe('Hello there, friend.');
    expect(req.streamed.length).toBeGreaterThan(1);
    expect(req.streamed.join('')).toBe('Hello there, friend.');
    expect(answer.usage).toEqual({ inputTokens: 12, outputTokens: 5 });
    expect(answer.finishReason).toBe('stop');
    const seen = fake.requests.at(-1)!;
    expect(seen.wire).toBe(wire);
    expect(seen.stream).toBe(true);
    expect(JSON.stringify(seen.body)).toContain('Be brief.');
  });

  it('returns tool calls structurally and sends tool results back in its own format', async () => {
    fake.script(model, { answer: { toolCalls: [{ id: 'call_a', name: 'memory_search', arguments: { query: 'cv', k: 3 } }] } });
    const tools = [
      { name: 'memory_search', description: 'Search.', parameters: { type: 'object', properties: { query: { type: 'string' } } } },
    ];
    const first = await provider(wire).generate(request(model, { tools }));
    expect(first.finishReason).toBe('tool_calls');
    expect(first.toolCalls).toHaveLength(1);
    expect(first.toolCalls[0]).toMatchObject({ name: 'memory_search', arguments: { query: 'cv', k: 3 } });
    const declared = JSON.stringify(fake.requests.at(-1)!.body);
    expect(declared).toContain('memory_search');

    // Ollama and Gemini give no call ids; the gateway assigns them, as here.
    const call = { ...first.toolCalls[0]!, id: first.toolCalls[0]!.id || 'call_x' };
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Find my CV.' },
      { role: 'assistant', content: '', toolCalls: [call] },
      { role: 'tool', toolCallId: call.id, content: '{"hits":["cv.md"]}' },
    ];
    fake.script(model, { answer: { text: 'Found cv.md.' } });
    const second = await provider(wire).generate(request(model, { tools, messages }));
    expect(second.text).toBe('Found cv.md.');
    const sent = JSON.stringify(fake.requests.at(-1)!.body);
    expect(sent).toContain('cv.md');
    expect(sent).toContain('memory_search');
    if (wire === 'openai') expect(sent).toContain(`"tool_call_id":"${call.id}"`);
    if (wire === 'openai' || wire === 'anthropic') expect(call.id).toBe('call_a');
    if (wire === 'anthropic') expect(sent).toContain(`"tool_use_id":"${call.id}"`);
    if (wire === 'gemini') expect(sent).toContain('"functionResponse"');
    if (wire === 'ollama') expect(sent).toContain('"tool_name":"memory_search"');
  });

  it('asks for a structured answer in its own way', async () => {
    fake.script(model, { answer: { text: '{"ok":true}' } });
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
    const answer = await provider(wire).generate(request(model, { jsonSchema: schema }));
    expect(answer.text).toBe('{"ok":true}');
    const body = fake.requests.at(-1)!.body;
    const where = { openai: 'response_format', anthropic: 'output_config', gemini: 'generationConfig', ollama: 'format' }[wire];
    expect(JSON.stringify(body[where])).toContain('"ok"');
  });

  it('classifies 429 with Retry-After, with exactly one request', async () => {
    const before = fake.requests.length;
    fake.script(model, { status: 429, retryAfter: '7' });
    const f = await failure(provider(wire).generate(request(model)));
    expect(f.kind).toBe('rate-limited');
    expect(f.options.status).toBe(429);
    expect(f.options.retryAfterMs).toBe(7000);
    expect(f.retryable).toBe(true);
    expect(fake.requests.length).toBe(before + 1);
  });

  it('classifies a 500 as overloaded and a 404 as rejected, with one request each', async () => {
    const before = fake.requests.length;
    fake.script(model, { status: 500 }, { status: 404, message: 'model not found' });
    expect((await failure(provider(wire).generate(request(model)))).kind).toBe('overloaded');
    const rejected = await failure(provider(wire).generate(request(model)));
    expect(rejected.kind).toBe('rejected');
    expect(rejected.retryable).toBe(false);
    expect(fake.requests.length).toBe(before + 2);
  });

  it('classifies malformed JSON', async () => {
    fake.script(model, { malformed: true });
    expect((await failure(provider(wire).generate(request(model)))).kind).toBe('malformed');
  });

  it('classifies a dropped connection', async () => {
    fake.script(model, { drop: { afterEvents: 2 }, answer: { text: 'one two three four five' } });
    expect((await failure(provider(wire).generate(request(model)))).kind).toBe('network');
  });

  it('stops a hung request and a stalled stream when its signal is aborted, with the reason given', async () => {
    fake.script(model, { hang: true });
    const hung = new AbortController();
    setTimeout(() => hung.abort('timeout'), 100);
    expect((await failure(provider(wire).generate(request(model, { signal: hung.signal })))).kind).toBe('timeout');

    // Three events: at least one piece of text in every format, then silence.
    fake.script(model, { stall: { afterEvents: 3 }, answer: { text: 'one two three four five six' } });
    const stalled = new AbortController();
    const req = request(model, { signal: stalled.signal });
    req.onActivity = () => void setTimeout(() => stalled.abort('stalled'), 100);
    expect((await failure(provider(wire).generate(req))).kind).toBe('stalled');
    expect(req.streamed.length).toBeGreaterThan(0);
    // The provider's side of the stream is closed, not left hanging.
    for (let i = 0; i < 100 && fake.active() > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(fake.active()).toBe(0);
  });

  it('sends the key only in its header and never to another host', async () => {
    if (wire === 'ollama')
      return expect(fake.requests.some((r) => JSON.stringify(r.headers).includes(KEY) && r.wire === 'ollama')).toBe(false);
    const seen = fake.requests.filter((r) => r.wire === wire);
    expect(seen.length).toBeGreaterThan(0);
    for (const r of seen) expect(JSON.stringify(r.body)).not.toContain(KEY);
    const headers = { openai: ['authorization'], anthropic: ['x-api-key', 'authorization'], gemini: ['x-goog-api-key'] }[wire];
    expect(headers.some((h) => String(seen[0]!.headers[h]).includes(KEY))).toBe(true);
  });
});
