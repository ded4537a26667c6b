// The bounded loop of `hearth run`, with the model and the tools as plain functions: it ends when
// the model answers, at each bound, at a person's no, on a provider failure and on cancellation —
// and never runs a tool the run was not given.
import { expect, it } from 'vitest';

import { type LoopDeps, type Message, type ModelOutcome, runLoop, type ToolCall, type ToolOutcome } from '../../orchestrator/run/loop.js';

const call = (name: string, id = name): ToolCall => ({ id, name, arguments: {} });
const turn = (toolCalls: ToolCall[], text = '', tokens = 10, usdMicros = 100): ModelOutcome => ({
  ok: true,
  turn: { text, toolCalls, inputTokens: tokens, outputTokens: 0, usdMicros, model: 'fake/m', scripted: false },
});
const ok = (summary = 'done'): ToolOutcome => ({ ok: true, content: summary, summary, ms: 1 });

function deps(answers: ModelOutcome[], tool: (c: ToolCall) => ToolOutcome = () => ok(), extra: Partial<LoopDeps> = {}) {
  const ran: string[] = [];
  const seen: Message[][] = [];
  const d: LoopDeps = {
    model: async (messages) => {
      seen.push([...messages]);
      return answers.shift() ?? turn([], 'fallback answer');
    },
    tool: async (c) => {
      ran.push(c.name);
      return tool(c);
    },
    known: (name) => name !== 'not_given',
    events: { modelStart: () => {}, modelEnd: () => {}, toolStart: () => {}, toolEnd: () => {} },
    limits: { rounds: 10, tokens: 10_000, usdMicros: 1_000_000 },
    signal: new AbortController().signal,
    ...extra,
  };
  return { d, ran, seen };
}

const start = (): Message[] => [{ role: 'user', content: 'task' }];

it('runs the tools the model asks for, sends their results back, and ends with its answer', async () => {
  const { d, ran, seen } = deps([turn([call('a'), call('b')]), turn([], 'all done')]);
  const r = await runLoop(start(), d);
  expect(r).toMatchObject({ outcome: 'answered', answer: 'all done', rounds: 2, inputTokens: 20, usdMicros: 200 });
  expect(ran).toEqual(['a', 'b']);
  expect(seen[1]!.slice(-2)).toEqual([
    { role: 'tool', toolCallId: 'a', name: 'a', content: 'done' },
    { role: 'tool', toolCallId: 'b', name: 'b', content: 'done' },
  ]);
});

it('never runs a tool the run was not given, and tells the model', async () => {
  const { d, ran } = deps([turn([call('not_given')]), turn([], 'ok')]);
  const r = await runLoop(start(), d);
  expect(ran).toEqual([]);
  expect(r.calls[0]).toMatchObject({ name: 'not_given', ok: false, code: 'UNKNOWN_TOOL' });
});

it.each([
  ['rounds', { rounds: 2, tokens: 1e9, usdMicros: 1e12 }, /2 model rounds \(--max-rounds\)/],
  ['tokens', { rounds: 99, tokens: 25, usdMicros: 1e12 }, /30 tokens used, the limit is 25 \(--max-tokens\)/],
  ['money', { rounds: 99, tokens: 1e9, usdMicros: 250 }, /\$0\.0003 spent, the limit is \$0\.0003 \(--max-cost\)/],
])('stops at the %s bound', async (_name, limits, reason) => {
  const { d } = deps(
    Array.from({ length: 10 }, () => turn([call('a')])),
    undefined,
    { limits },
  );
  const r = await runLoop(start(), d);
  expect(r.outcome).toBe('limit');
  expect(r.reason).toMatch(reason);
});

it('stops at a person’s no without asking the model again', async () => {
  const { d, ran, seen } = deps([turn([call('submit'), call('after')]), turn([], 'never')], (c) =>
    c.name === 'submit' ? { ok: false, code: 'APPROVAL_DENIED', content: 'no', summary: 'no', ms: 1 } : ok(),
  );
  const r = await runLoop(start(), d);
  expect(r.outcome).toBe('denied');
  expect(ran).toEqual(['submit']);
  expect(seen).toHaveLength(1);
});

it('ends with the provider’s failure, said plainly', async () => {
  const { d } = deps([turn([call('a')]), { ok: false, code: 'PROVIDER_FAILED', message: 'ollama answered 500', hint: 'Is it running?' }]);
  const r = await runLoop(start(), d);
  expect(r.outcome).toBe('failed');
  expect(r.reason).toBe('the model call failed (PROVIDER_FAILED): ollama answered 500 — Is it running?');
});

it('stops when cancelled during a tool call, running nothing after it', async () => {
  const controller = new AbortController();
  const { d, ran } = deps(
    [turn([call('slow'), call('next')])],
    (c) => {
      if (c.name === 'slow') controller.abort();
      return { ok: false, code: 'CANCELLED', content: 'cancelled', summary: 'cancelled', ms: 1 };
    },
    { signal: controller.signal },
  );
  const r = await runLoop(start(), d);
  expect(r.outcome).toBe('cancelled');
  expect(ran).toEqual(['slow']);
});
