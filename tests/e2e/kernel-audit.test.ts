// The audit log records every call, and `hearth audit verify` catches an edited or deleted row.
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { connectStdio } from '../helpers/mcp-client.js';
import { runCli } from '../helpers/run-cli.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let home: TempHome;
beforeEach(() => (home = tempHome()));
afterEach(() => home.cleanup());

it('every call is audited; editing or deleting a row makes verify fail and name the row', async () => {
  home.policy({ mode: 'observe' });
  const conn = await connectStdio('tests/fixtures/kernel-stdio.ts', [], { HEARTH_HOME: home.dir });
  try {
    await conn.client.callTool({ name: 'test_echo', arguments: { text: 'one' } });
    await conn.client.callTool({ name: 'test_append', arguments: { line: 'two' } });
    await conn.client.callTool({ name: 'test_echo', arguments: { times: 'bad' } });
    await expect(conn.client.callTool({ name: 'test_missing', arguments: {} })).rejects.toThrow(/no tool named/);
    await conn.client.callTool({ name: 'test_send', arguments: { to: 'x', body: 'y' } });
  } finally {
    await conn.close();
  }
  const env = { HEARTH_HOME: home.dir };
  const tail = await runCli(['audit', 'tail', '--json'], env);
  const rows = JSON.parse(tail.stdout) as { id: number; tool: string; decision: string; outcome: string }[];
  expect(rows.map((r) => [r.tool, r.decision, r.outcome])).toEqual([
    ['test_echo', 'ran', 'ok'],
    ['test_append', 'previewed', 'ok'],
    ['test_echo', 'rejected', 'error'],
    ['test_missing', 'rejected', 'error'],
    ['test_send', 'previewed', 'ok'],
  ]);
  expect((await runCli(['audit', 'verify'], env)).stdout).toContain('5 rows');

  const db = new Database(join(home.dir, 'hearth.db'));
  db.prepare("UPDATE audit SET summary = 'nothing to see' WHERE id = 3").run();
  db.close();
  const edited = await runCli(['audit', 'verify'], env);
  expect(edited.code).toBe(1);
  expect(edited.stderr).toContain('row 3');

  const db2 = new Database(join(home.dir, 'hearth.db'));
  const original = db2.prepare('SELECT * FROM audit WHERE id = 2').get();
  expect(original).toBeDefined();
  db2.prepare('UPDATE audit SET summary = (SELECT summary FROM audit WHERE id = 2) WHERE id = 3').run();
  db2.prepare('DELETE FROM audit WHERE id = 2').run();
  db2.close();
  const deleted = await runCli(['audit', 'verify'], env);
  expect(deleted.code).toBe(1);
  expect(deleted.stderr).toMatch(/row 2 is missing/);
});
