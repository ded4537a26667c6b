import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { connectStdio, type Era } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let home: TempHome;
beforeEach(() => (home = tempHome()));
afterEach(() => home.cleanup());

const ENTRY = 'tests/fixtures/kernel-stdio.ts';

describe.each<Era>(['legacy', 'modern'])('kernel over stdio (%s era)', (era) => {
  it('lists tools with output schemas and annotations that match their effect', async () => {
    const conn = await connectStdio(ENTRY, [], { HEARTH_HOME: home.dir }, { era });
    try {
      const { tools } = await conn.client.listTools();
      const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
      expect(Object.keys(byName).sort()).toEqual(['test_append', 'test_echo', 'test_report', 'test_send']);
      for (const t of tools) expect(t.outputSchema).toBeDefined();
      expect(byName.test_echo!.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: false });
      expect(byName.test_append!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, openWorldHint: false });
      expect(byName.test_send!.annotations).toMatchObject({ readOnlyHint: false, openWorldHint: true });
      const result = await conn.client.callTool({ name: 'test_echo', arguments: { text: 'hi', times: 2 } });
      expect(result.structuredContent).toEqual({ echoed: 'hi hi' });
    } finally {
      await conn.close();
    }
  });

  it('draft: an accepted elicitation runs the call, a declined one does not', async () => {
    let answer: 'accept' | 'decline' = 'accept';
    const asked: string[] = [];
    const conn = await connectStdio(
      ENTRY,
      [],
      { HEARTH_HOME: home.dir },
      {
        era,
        onElicit: (message) => {
          asked.push(message);
          return answer === 'accept' ? { action: 'accept', content: { approve: true } } : { action: 'decline' };
        },
      },
    );
    try {
      const ok = await conn.client.callTool({ name: 'test_append', arguments: { line: 'first' } });
      expect(ok.isError).toBeFalsy();
      expect(asked[0]).toContain('+first');
      expect(readFileSync(join(home.dir, 'notes.txt'), 'utf8')).toBe('first\n');
      answer = 'decline';
      const no = await conn.client.callTool({ name: 'test_append', arguments: { line: 'second' } });
      expect(no.isError).toBe(true);
      expect((no.structuredContent as { error: { code: string } }).error.code).toBe('APPROVAL_DENIED');
      expect(readFileSync(join(home.dir, 'notes.txt'), 'utf8')).toBe('first\n');
    } finally {
      await conn.close();
    }
  });
});

it('observe mode: a write tool returns its preview and changes nothing', async () => {
  home.policy({ mode: 'observe' });
  const conn = await connectStdio(ENTRY, [], { HEARTH_HOME: home.dir });
  try {
    const result = await conn.client.callTool({ name: 'test_append', arguments: { line: 'x' } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      dryRun: true,
      reason: 'observe',
      preview: { summary: expect.stringContaining('notes.txt') },
    });
    expect(existsSync(join(home.dir, 'notes.txt'))).toBe(false);
  } finally {
    await conn.close();
  }
});

it('a client that goes away mid-call lets a keyed external call finish and record its result: the retry replays it', async () => {
  home.policy({ mode: 'autopilot' });
  const sent = join(home.dir, 'sent.txt');
  const call = { name: 'test_send', arguments: { to: 'delayed', body: 'once' }, _meta: { 'hearth/idempotencyKey': 'gone:1' } };
  const first = await connectStdio(ENTRY, [], { HEARTH_HOME: home.dir });
  let begun!: () => void;
  const started = new Promise<void>((resolve) => (begun = resolve));
  // The answer never comes: the client closes (stdin ends) as soon as the call says it has begun.
  void first.client.callTool(call, { onprogress: () => begun() }).catch(() => undefined);
  await started;
  await first.close();
  for (let i = 0; i < 200 && !existsSync(sent); i++) await new Promise((r) => setTimeout(r, 50));
  expect(existsSync(sent) ? readFileSync(sent, 'utf8') : '').toBe('delayed: once\n');

  const second = await connectStdio(ENTRY, [], { HEARTH_HOME: home.dir });
  try {
    // The first server may still be closing: the key is running until it has recorded the result.
    const retry = await second.client.callTool(call);
    expect(retry.isError, JSON.stringify(retry.structuredContent)).toBeFalsy();
    expect(retry.structuredContent).toEqual({ sent: true });
  } finally {
    await second.close();
  }
  expect(readFileSync(sent, 'utf8')).toBe('delayed: once\n');
});
