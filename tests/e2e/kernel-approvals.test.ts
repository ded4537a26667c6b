// Draft mode on a client without elicitation: the call is queued, a person approves it with the
// CLI, and the approved call runs exactly once.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, expect, it } from 'vitest';

import { connectStdio, type StdioConnection } from '../helpers/mcp-client.js';
import { runCli } from '../helpers/run-cli.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

const ENTRY = 'tests/fixtures/kernel-stdio.ts';
let home: TempHome;
let conns: StdioConnection[] = [];

beforeEach(() => (home = tempHome()));
afterEach(async () => {
  await Promise.all(conns.map((c) => c.close()));
  conns = [];
  home.cleanup();
});

async function connect(): Promise<StdioConnection> {
  const conn = await connectStdio(ENTRY, [], { HEARTH_HOME: home.dir });
  conns.push(conn);
  return conn;
}

type Structured = { error?: { code: string; approvalId?: string }; approval?: { id: string; status: string } };

it('queues the call, runs it once after `hearth approvals approve`, then asks again', async () => {
  const conn = await connect();
  const call = () => conn.client.callTool({ name: 'test_send', arguments: { to: 'ana@example.com', body: 'hello' } });
  const sent = join(home.dir, 'sent.txt');

  const first = await call();
  const s1 = first.structuredContent as Structured;
  expect(first.isError).toBe(true);
  expect(s1.error?.code).toBe('APPROVAL_REQUIRED');
  const id = s1.approval!.id;
  expect(existsSync(sent)).toBe(false);

  // Asking again before a decision neither runs nor queues a second request.
  const again = await call();
  expect((again.structuredContent as Structured).approval?.id).toBe(id);
  const listed = await runCli(['approvals', 'list', '--json'], { HEARTH_HOME: home.dir });
  expect(listed.code).toBe(0);
  expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(1);

  // Without a terminal and without --yes, approve refuses.
  const refused = await runCli(['approvals', 'approve', id], { HEARTH_HOME: home.dir });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('--yes');

  const approved = await runCli(['approvals', 'approve', id, '--yes'], { HEARTH_HOME: home.dir });
  expect(approved.code).toBe(0);

  const ran = await call();
  expect(ran.isError).toBeFalsy();
  expect(ran.structuredContent).toEqual({ sent: true });
  expect(readFileSync(sent, 'utf8')).toBe('ana@example.com: hello\n');

  // The approval is spent: the same call needs a new one.
  const after = await call();
  expect((after.structuredContent as Structured).error?.code).toBe('APPROVAL_REQUIRED');
  expect((after.structuredContent as Structured).approval?.id).not.toBe(id);
  expect(readFileSync(sent, 'utf8')).toBe('ana@example.com: hello\n');
});

it('two clients racing on one approved call: exactly one runs it', async () => {
  const [a, b] = [await connect(), await connect()];
  const args = { name: 'test_append', arguments: { line: 'once' } };
  const queued = await a.client.callTool(args);
  const id = (queued.structuredContent as Structured).approval!.id;
  expect((await runCli(['approvals', 'approve', id, '--yes'], { HEARTH_HOME: home.dir })).code).toBe(0);

  const results = await Promise.all([a.client.callTool(args), b.client.callTool(args), a.client.callTool(args), b.client.callTool(args)]);
  const ran = results.filter((r) => !r.isError);
  expect(ran).toHaveLength(1);
  for (const r of results.filter((x) => x.isError)) expect((r.structuredContent as Structured).error?.code).toBe('APPROVAL_REQUIRED');
  expect(readFileSync(join(home.dir, 'notes.txt'), 'utf8')).toBe('once\n');
});

it('a denied call does not run and is reported once', async () => {
  const conn = await connect();
  const args = { name: 'test_append', arguments: { line: 'no' } };
  const id = ((await conn.client.callTool(args)).structuredContent as Structured).approval!.id;
  expect((await runCli(['approvals', 'deny', id, '--reason', 'not today'], { HEARTH_HOME: home.dir })).code).toBe(0);
  const denied = await conn.client.callTool(args);
  expect((denied.structuredContent as Structured).error?.code).toBe('APPROVAL_DENIED');
  expect(JSON.stringify(denied.content)).toContain('not today');
  expect(existsSync(join(home.dir, 'notes.txt'))).toBe(false);
  // Deciding twice is refused.
  const twice = await runCli(['approvals', 'approve', id, '--yes'], { HEARTH_HOME: home.dir });
  expect(twice.code).toBe(2);
  expect(twice.stderr).toContain('not pending');
});

it('an approval cannot be used for different arguments', async () => {
  const conn = await connect();
  const id = ((await conn.client.callTool({ name: 'test_append', arguments: { line: 'approved text' } })).structuredContent as Structured)
    .approval!.id;
  await runCli(['approvals', 'approve', id, '--yes'], { HEARTH_HOME: home.dir });
  const swapped = await conn.client.callTool({ name: 'test_append', arguments: { line: 'rm -rf /' }, _meta: { 'hearth/approvalId': id } });
  expect((swapped.structuredContent as Structured).error?.code).toBe('CONFLICT');
  expect(existsSync(join(home.dir, 'notes.txt'))).toBe(false);
});

it('autopilot runs write tools without asking', async () => {
  home.policy({ mode: 'autopilot' });
  const conn = await connect();
  const result = await conn.client.callTool({ name: 'test_append', arguments: { line: 'auto' } });
  expect(result.isError).toBeFalsy();
  expect(readFileSync(join(home.dir, 'notes.txt'), 'utf8')).toBe('auto\n');
});
