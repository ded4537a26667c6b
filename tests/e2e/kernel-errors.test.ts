// Bad input, failing handlers, cancellation and progress over a real stdio connection: every
// failure is a tool error with a stable code, and the server keeps serving.
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { connectStdio, type StdioConnection } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

const ENTRY = 'tests/fixtures/kernel-stdio.ts';
let home: TempHome;
let conn: StdioConnection;

beforeEach(async () => {
  home = tempHome();
  conn = await connectStdio(ENTRY, [], { HEARTH_HOME: home.dir });
});
afterEach(async () => {
  await conn.close();
  home.cleanup();
});

type ErrorShape = { error: { code: string; message: string; hint: string; field?: string } };
const err = (r: { structuredContent?: unknown }) => (r.structuredContent as ErrorShape).error;

it('a wrong argument gets a tool error naming the field, with the field description as the hint', async () => {
  const r = await conn.client.callTool({ name: 'test_echo', arguments: { text: 'x', times: 99 } });
  expect(r.isError).toBe(true);
  expect(err(r)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'times' });
  expect(err(r).message).toContain('times');
  expect(err(r).hint).toContain('How many times');

  const missing = await conn.client.callTool({ name: 'test_echo', arguments: {} });
  expect(err(missing)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'text' });

  const typo = await conn.client.callTool({ name: 'test_echo', arguments: { text: 'x', tmes: 2 } });
  expect(err(typo).code).toBe('INVALID_ARGUMENT');
  expect(err(typo).hint).toContain('`tmes`');

  // An unknown tool is a protocol error (Invalid Params), as the MCP specification asks.
  await expect(conn.client.callTool({ name: 'test_nope', arguments: {} })).rejects.toThrow(/no tool named test_nope.*tools\/list/);
});

it('a handler that throws gets a coded tool error without a stack, and the server keeps serving', async () => {
  const hearth = await conn.client.callTool({ name: 'test_echo', arguments: { text: 'x', fail: 'hearth' } });
  expect(err(hearth)).toMatchObject({ code: 'NOT_FOUND', hint: 'Try another text.' });

  const crash = await conn.client.callTool({ name: 'test_echo', arguments: { text: 'x', fail: 'crash' } });
  expect(err(crash).code).toBe('INTERNAL');
  expect(JSON.stringify(crash)).not.toMatch(/\bat .*\.(ts|js):\d+/);

  const fine = await conn.client.callTool({ name: 'test_echo', arguments: { text: 'still here' } });
  expect(fine.structuredContent).toEqual({ echoed: 'still here' });
});

it('long calls report progress and stop when cancelled', async () => {
  const progress: number[] = [];
  const done = await conn.client.callTool(
    { name: 'test_echo', arguments: { text: 'slow', slowMs: 400 } },
    { onprogress: (p) => progress.push(p.progress) },
  );
  expect(done.structuredContent).toEqual({ echoed: 'slow' });
  expect(progress.length).toBeGreaterThan(2);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));

  const controller = new AbortController();
  const call = conn.client.callTool(
    { name: 'test_echo', arguments: { text: 'never', slowMs: 10_000 } },
    { signal: controller.signal, onprogress: () => controller.abort('stop') },
  );
  await expect(call).rejects.toThrow();
  // The handler notices the cancellation and its audit row says so.
  const db = new Database(join(home.dir, 'hearth.db'), { readonly: true });
  try {
    let row: { error_code: string } | undefined;
    for (let i = 0; i < 100 && !row; i++) {
      row = db.prepare("SELECT error_code FROM audit WHERE args LIKE '%never%'").get() as typeof row;
      if (!row) await new Promise((r) => setTimeout(r, 50));
    }
    expect(row?.error_code).toBe('CANCELLED');
  } finally {
    db.close();
  }
});
