// Idempotency keys and signed plan grants in the kernel, through a real MCP client and the kernel's
// test server in-process: a key runs a call once and replays its result; another call under the same
// key is refused; a grant lets exactly the granted call run unasked in draft mode — a forged,
// expired or re-aimed grant does not.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { InMemoryTransport } from '@modelcontextprotocol/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { callHash } from '../../policies/approvals.js';
import type { AuditRow } from '../../policies/audit.js';
import { GrantSigner, loadGrantKey } from '../../policies/grants.js';
import { loadConfig } from '../../shared/config.js';
import type { HearthServer } from '../../shared/server.js';
import { createServer } from '../fixtures/kernel-server.js';
import { newClient } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let home: TempHome;
let server: HearthServer;
let client: ReturnType<typeof newClient>;

async function start(mode: 'draft' | 'autopilot'): Promise<void> {
  home = tempHome('hearth-idem-');
  home.policy({ mode });
  const { config } = loadConfig({ home: home.dir, logLevel: 'silent' }, { HEARTH_HOME: home.dir });
  server = createServer(config);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect('in-process').connect(serverSide);
  client = newClient();
  await client.connect(clientSide);
}

afterEach(async () => {
  await client.close().catch(() => undefined);
  await server.close();
  home.cleanup();
});

const notes = () => (existsSync(join(home.dir, 'notes.txt')) ? readFileSync(join(home.dir, 'notes.txt'), 'utf8') : '');
// The closing rows: a write also has a row saying it started.
const audit = () => server.kernel.db.prepare(`SELECT * FROM audit WHERE outcome != 'started' ORDER BY id`).all() as AuditRow[];
const append = (line: string, meta: Record<string, unknown>) => client.callTool({ name: 'test_append', arguments: { line }, _meta: meta });
type Err = { error?: { code: string; message: string; hint: string; outcomeUnknown?: boolean } };

describe('idempotency keys', () => {
  beforeEach(() => start('autopilot'));

  it('runs a keyed call once and replays its first result, audited as a replay', async () => {
    const first = await append('once', { 'hearth/idempotencyKey': 'run1:s1' });
    const second = await append('once', { 'hearth/idempotencyKey': 'run1:s1' });
    expect(first.isError).toBeFalsy();
    expect(second.structuredContent).toEqual(first.structuredContent);
    expect(second._meta?.['hearth/replayed']).toBe(true);
    expect(notes()).toBe('once\n');
    const decisions = audit().map((r) => r.decision);
    expect(decisions).toEqual(['ran', 'replayed']);
    expect(audit()[1]!.summary).toContain('replayed idempotency key run1:s1');
    // Without a key the same call runs again: the key is what deduplicates.
    await append('once', {});
    expect(notes()).toBe('once\nonce\n');
  });

  it('refuses the same key for other arguments or another tool, and changes nothing', async () => {
    await append('a', { 'hearth/idempotencyKey': 'k1' });
    const other = await append('b', { 'hearth/idempotencyKey': 'k1' });
    expect(other.isError).toBe(true);
    const error = (other.structuredContent as Err).error!;
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('already used for other arguments');
    const tool = await client.callTool({ name: 'test_send', arguments: { to: 'x', body: 'y' }, _meta: { 'hearth/idempotencyKey': 'k1' } });
    expect((tool.structuredContent as Err).error!.message).toContain('another tool (test_append)');
    expect(notes()).toBe('a\n');
    expect(existsSync(join(home.dir, 'sent.txt'))).toBe(false);
  });

  it('rejects a malformed key naming the field, and ignores a key on a dry-run', async () => {
    const bad = await append('x', { 'hearth/idempotencyKey': 'has spaces and ✓' });
    expect((bad.structuredContent as Err).error!.message).toContain('_meta.hearth/idempotencyKey');
    const dry = await append('x', { 'hearth/idempotencyKey': 'k2', 'hearth/dryRun': true });
    expect(dry.structuredContent).toMatchObject({ dryRun: true });
    const real = await append('x', { 'hearth/idempotencyKey': 'k2' });
    expect(real._meta?.['hearth/replayed']).toBeUndefined();
    expect(notes()).toBe('x\n');
  });

  it('concurrent calls with one key run the handler once', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => append('race', { 'hearth/idempotencyKey': 'k3' })));
    expect(results.every((r) => !r.isError)).toBe(true);
    expect(notes()).toBe('race\n');
  });

  it('an external call cancelled mid-way keeps its key as outcome unknown: a retry is refused, not run again', async () => {
    const controller = new AbortController();
    const call = client.callTool(
      { name: 'test_send', arguments: { to: 'slow', body: 'hi' }, _meta: { 'hearth/idempotencyKey': 'k5' } },
      { signal: controller.signal },
    );
    for (let i = 0; i < 200 && !existsSync(join(home.dir, 'sent.txt')); i++) await new Promise((r) => setTimeout(r, 10));
    controller.abort('stop');
    await expect(call).rejects.toThrow();
    let retry: Awaited<typeof call> | undefined;
    for (let i = 0; i < 100; i++) {
      retry = await client.callTool({ name: 'test_send', arguments: { to: 'slow', body: 'hi' }, _meta: { 'hearth/idempotencyKey': 'k5' } });
      // Until the cancelled handler has ended, the key is still running; then it is unknown.
      if ((retry.structuredContent as Err).error?.outcomeUnknown) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const error = (retry!.structuredContent as Err).error!;
    expect(error.code).toBe('CONFLICT');
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toContain('stopped mid-way (it was cancelled)');
    expect(readFileSync(join(home.dir, 'sent.txt'), 'utf8')).toBe('slow: hi\n');
  });

  it('a write call that fails frees its key: it changed nothing, so the retry runs', async () => {
    const failed = await client.callTool({
      name: 'test_send',
      arguments: { to: 'unreachable', body: 'x' },
      _meta: { 'hearth/idempotencyKey': 'k6' },
    });
    expect((failed.structuredContent as Err).error?.code).toBe('UNAVAILABLE');
    const again = await client.callTool({
      name: 'test_send',
      arguments: { to: 'unreachable', body: 'x' },
      _meta: { 'hearth/idempotencyKey': 'k6' },
    });
    expect((again.structuredContent as Err).error?.code).toBe('UNAVAILABLE');
    expect(server.kernel.db.prepare(`SELECT count(*) AS n FROM audit WHERE tool = 'test_send' AND outcome = 'started'`).get()).toEqual({
      n: 2,
    });
  });

  it('a key whose first call died mid-way is reported as outcome unknown, never re-run', async () => {
    // A claim left running by a process that no longer exists: what a kill -9 mid-call leaves.
    server.kernel.db
      .prepare(`INSERT INTO idempotency (server, key, tool, args_hash, state, pid, created_at) VALUES (?,?,?,?, 'running', ?, ?)`)
      .run(
        'kernel-test',
        'k4',
        'test_append',
        callHash('kernel-test', 'test_append', { line: 'maybe' }),
        2 ** 22 + 7,
        new Date().toISOString(),
      );
    const after = await append('maybe', { 'hearth/idempotencyKey': 'k4' });
    const error = (after.structuredContent as Err).error!;
    expect(error.code).toBe('CONFLICT');
    expect(error.outcomeUnknown).toBe(true);
    expect(notes()).toBe('');
  });
});

describe('signed plan grants in draft mode', () => {
  beforeEach(() => start('draft'));
  const signer = () => new GrantSigner(loadGrantKey(home.dir));
  const grant = (over: Partial<Parameters<GrantSigner['sign']>[0]> = {}, line = 'granted') =>
    signer().sign({
      server: 'kernel-test',
      tool: 'test_append',
      argsHash: callHash('kernel-test', 'test_append', { line }),
      run: 'run_1',
      key: 'run_1:s1',
      approval: 'apr_plan1',
      expiresAt: Date.now() + 60_000,
      ...over,
    });

  it('runs exactly the granted call without asking, and the audit names the plan approval', async () => {
    const result = await append('granted', { 'hearth/idempotencyKey': 'run_1:s1', 'hearth/grant': grant() });
    expect(result.isError).toBeFalsy();
    expect(notes()).toBe('granted\n');
    const row = audit().at(-1)!;
    expect(row.decision).toBe('ran-granted');
    expect(row.summary).toContain('plan approval apr_plan1');
    // The same grant replayed: the key deduplicates, nothing runs twice.
    const again = await append('granted', { 'hearth/idempotencyKey': 'run_1:s1', 'hearth/grant': grant() });
    expect(again._meta?.['hearth/replayed']).toBe(true);
    expect(notes()).toBe('granted\n');
  });

  it('a granted call whose handler fails keeps the grant as its decision in the finishing row', async () => {
    const token = grant({ tool: 'test_send', argsHash: callHash('kernel-test', 'test_send', { to: 'unreachable', body: 'hi' }) });
    const result = await client.callTool({
      name: 'test_send',
      arguments: { to: 'unreachable', body: 'hi' },
      _meta: { 'hearth/idempotencyKey': 'run_1:s1', 'hearth/grant': token },
    });
    expect((result.structuredContent as Err).error?.code).toBe('UNAVAILABLE');
    const rows = server.kernel.db.prepare(`SELECT decision, outcome FROM audit WHERE tool = 'test_send' ORDER BY id`).all();
    expect(rows).toEqual([
      { decision: 'ran-granted', outcome: 'started' },
      { decision: 'ran-granted', outcome: 'error' },
    ]);
  });

  const hostile: [string, () => Record<string, unknown>][] = [
    ['replayed for other arguments', () => ({ line: 'other', meta: { 'hearth/idempotencyKey': 'run_1:s1', 'hearth/grant': grant() } })],
    [
      'expired',
      () => ({ line: 'granted', meta: { 'hearth/idempotencyKey': 'run_1:s1', 'hearth/grant': grant({ expiresAt: Date.now() - 1 }) } }),
    ],
    [
      'forged (signed with another key)',
      () => ({
        line: 'granted',
        meta: {
          'hearth/idempotencyKey': 'run_1:s1',
          'hearth/grant': new GrantSigner(Buffer.alloc(32, 7)).sign({
            server: 'kernel-test',
            tool: 'test_append',
            argsHash: callHash('kernel-test', 'test_append', { line: 'granted' }),
            run: 'run_1',
            key: 'run_1:s1',
            approval: 'apr_forged',
            expiresAt: Date.now() + 60_000,
          }),
        },
      }),
    ],
    [
      'payload edited after signing',
      () => {
        const [body, mac] = grant().split('.');
        const payload = JSON.parse(Buffer.from(body!, 'base64url').toString()) as Record<string, unknown>;
        payload.argsHash = callHash('kernel-test', 'test_append', { line: 'evil' });
        const edited = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${mac}`;
        return { line: 'evil', meta: { 'hearth/idempotencyKey': 'run_1:s1', 'hearth/grant': edited } };
      },
    ],
    [
      'for another tool',
      () => ({ line: 'granted', meta: { 'hearth/idempotencyKey': 'run_1:s1', 'hearth/grant': grant({ tool: 'test_send' }) } }),
    ],
    ['without the idempotency key it was bound to', () => ({ line: 'granted', meta: { 'hearth/grant': grant() } })],
    ['not a token at all', () => ({ line: 'granted', meta: { 'hearth/grant': { approve: true } } })],
  ];

  it.each(hostile)('a grant %s is ignored: the call asks as usual and nothing runs', async (_name, make) => {
    const { line, meta } = make() as { line: string; meta: Record<string, unknown> };
    const result = await append(line, meta);
    expect((result.structuredContent as Err).error?.code).toBe('APPROVAL_REQUIRED');
    expect(notes()).toBe('');
    expect(audit().at(-1)!.decision).toBe('approval-queued');
  });

  it('the grant key is private to the user', () => {
    signer();
    expect(statSync(join(home.dir, 'grant.key')).mode & 0o777).toBe(0o600);
  });
});
