// The dangerous hostile cases through the real CLI and a real MCP client over stdio: each must be
// contained (a clear tool error or a bounded result, nothing outside the workspace touched) and the
// server process must keep serving the next call.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { connectStdio, type StdioConnection } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

type Result = { isError?: boolean; structuredContent?: Record<string, unknown>; content: { type: string; text?: string }[] };

let home: TempHome;
let conn: StdioConnection;
let secret: string;

async function call(name: string, args: Record<string, unknown>): Promise<Result> {
  return (await conn.client.callTool({ name, arguments: args })) as Result;
}

const code = (r: Result) => (r.structuredContent?.error as { code?: string } | undefined)?.code;

async function serves(): Promise<void> {
  const r = await call('code_run', { session: 'h', code: '"alive:" + (20 + 22)' });
  expect(r.isError).toBeFalsy();
  expect(r.structuredContent!.value).toBe('alive:42');
  const list = await call('code_session_list', {});
  expect((list.structuredContent!.sessions as { id: string }[]).map((s) => s.id)).toContain('h');
}

beforeAll(async () => {
  home = tempHome('hearth-code-hostile-stdio-');
  home.policy({ mode: 'autopilot', outbound: { hosts: ['127.0.0.1'] } });
  secret = join(home.dir, 'secret.txt');
  writeFileSync(secret, 'do not read');
  conn = await connectStdio(
    'orchestrator/cli.ts',
    [
      'mcp',
      'code',
      '--set',
      'servers.code.wallMs=1500',
      '--set',
      'servers.code.cpuMs=1500',
      '--set',
      'servers.code.memoryMb=48',
      '--set',
      'servers.code.outputChars=2000',
      '--set',
      'servers.code.resultChars=1000',
    ],
    { HEARTH_HOME: home.dir },
  );
  expect((await call('code_session_open', { name: 'h' })).isError).toBeFalsy();
  const ws = join(home.dir, 'code', 'workspaces', 'h');
  mkdirSync(ws, { recursive: true });
  symlinkSync(secret, join(ws, 'link-to-secret.txt'));
});

afterAll(async () => {
  await conn?.close();
  home?.cleanup();
});

describe('hostile code over stdio: contained, and the server still serves', () => {
  it('an infinite loop becomes a time/CPU tool error', async () => {
    const r = await call('code_run', { session: 'h', code: 'for (;;) {}' });
    expect(r.isError).toBe(true);
    expect(['TIMEOUT', 'LIMIT_EXCEEDED']).toContain(code(r));
    await serves();
  });

  it('a memory bomb becomes LIMIT_EXCEEDED and the session is replaced', async () => {
    const r = await call('code_run', { session: 'h', code: 'const a = []; for (;;) a.push(new Array(1e4).fill(a.length))' });
    expect(code(r)).toBe('LIMIT_EXCEEDED');
    expect(r.content[0]!.text).toMatch(/48 MB memory limit/);
    await serves();
  });

  it('an uninterruptible giant allocation (process-level) is contained', async () => {
    const r = await call('code_run', { session: 'h', code: 'new Array(1e9).fill(0).length' });
    expect(r.isError).toBe(true);
    expect(['LIMIT_EXCEEDED', 'UNAVAILABLE', 'TIMEOUT']).toContain(code(r));
    await serves();
  });

  it('a microtask flood is stopped', async () => {
    const r = await call('code_run', { session: 'h', code: '(function f() { Promise.resolve().then(f); })()' });
    expect(['TIMEOUT', 'LIMIT_EXCEEDED']).toContain(code(r));
    await serves();
  });

  it('an output flood is cut at the output limit', async () => {
    const r = await call('code_run', { session: 'h', code: 'for (let i = 0; i < 1e5; i++) console.log("flood " + i); "done"' });
    expect(r.isError).toBeFalsy();
    expect((r.structuredContent!.stdout as string).length).toBe(2000);
    expect(r.structuredContent!.stdoutTruncated).toBe(true);
    await serves();
  });

  it('a huge return value is bounded', async () => {
    const r = await call('code_run', { session: 'h', code: '"z".repeat(1e7)' });
    expect(r.structuredContent!.valueTruncated).toBe(true);
    expect(JSON.stringify(r.structuredContent!.value).length).toBeLessThan(1200);
    await serves();
  });

  it('process, require and the host behind globalThis.constructor are out of reach', async () => {
    const r = await call('code_run', {
      session: 'h',
      code: '[typeof process, typeof require, globalThis.constructor.constructor("return typeof process")()]',
    });
    expect(r.structuredContent!.value).toEqual(['undefined', 'undefined', 'undefined']);
    await serves();
  });

  it('fetch to a host that is not on outbound.hosts is refused', async () => {
    const r = await call('code_run', { session: 'h', code: 'await fetch("https://example.org/")' });
    expect(r.structuredContent!.status).toBe('threw');
    expect((r.structuredContent!.error as { message: string }).message).toMatch(/example.org is not on the outbound allowlist/);
    await serves();
  });

  it('workspace escapes through the file tools are refused', async () => {
    for (const path of ['../../secret.txt', '/etc/passwd', 'link-to-secret.txt', 'a\u0000b']) {
      const r = await call('code_files_read', { session: 'h', path });
      expect(r.isError).toBe(true);
      expect(['OUT_OF_ROOTS', 'INVALID_ARGUMENT']).toContain(code(r));
      expect(JSON.stringify(r)).not.toContain('do not read');
    }
    const w = await call('code_files_write', {
      session: 'h',
      files: [
        { path: 'ok.txt', content: 'fine' },
        { path: '../../planted.txt', content: 'x' },
      ],
    });
    expect(code(w)).toBe('OUT_OF_ROOTS');
    expect(existsSync(join(home.dir, 'planted.txt'))).toBe(false);
    expect(existsSync(join(home.dir, 'code', 'workspaces', 'h', 'ok.txt'))).toBe(false);
    const linkWrite = await call('code_files_write', { session: 'h', files: [{ path: 'link-to-secret.txt', content: 'overwritten' }] });
    expect(linkWrite.isError).toBeFalsy();
    expect(readFileSync(secret, 'utf8')).toBe('do not read');
    await serves();
  });

  it('zip slip: code_package refuses inputs outside the workspace', async () => {
    for (const path of ['../..', '/etc', '../../secret.txt']) {
      const r = await call('code_package', { session: 'h', paths: [path] });
      expect(code(r)).toBe('OUT_OF_ROOTS');
    }
    await serves();
  });

  it('errors seen inside the sandbox carry no host frames or paths', async () => {
    // The check runs inside the sandbox: whole stacks would not fit the result limit.
    const r = await call('code_run', {
      session: 'h',
      code: `const stacks = [];
        for (const attempt of [
          () => workspace.readText('missing.txt'),
          () => workspace.writeText('n'.repeat(300) + '.txt', 'x'),
          () => workspace.readText('../../secret.txt'),
          () => atob('!!!'),
        ]) {
          try { attempt(); } catch (e) { stacks.push(String(e.stack)); }
        }
        try { await fetch('https://example.org/'); } catch (e) { stacks.push(String(e.stack)); }
        const host = /file:\\/\\/|node:internal|node_modules|\\.m?js:\\d|sandbox-child|_Slot|${home.dir.replace(/[/.]/g, '\\$&')}/;
        ({ count: stacks.length, leaks: stacks.filter((s) => host.test(s)).map((s) => s.slice(0, 300)), long: stacks[1].split('\\n')[0] })`,
    });
    expect(r.isError, JSON.stringify(r)).toBeFalsy();
    const value = r.structuredContent!.value as { count: number; leaks: string[]; long: string };
    expect(value.count).toBe(5);
    expect(value.leaks, JSON.stringify(value.leaks)).toEqual([]);
    expect(value.long).toMatch(/is 304 bytes long; file systems take at most 255/);
    // A thrown error that is not caught: its reported stack is clean too.
    const thrown = await call('code_run', { session: 'h', code: 'workspace.readText("missing.txt")' });
    const error = thrown.structuredContent!.error as { stack?: string; message: string };
    expect(error.message).toMatch(/missing.txt does not exist/);
    expect(error.stack ?? '').not.toMatch(/file:\/\/|node_modules|isolated-vm boundary/);
    await serves();
  });

  it('a file name too long for the file system is INVALID_ARGUMENT naming the field, without a host path', async () => {
    const r = await call('code_files_write', { session: 'h', files: [{ path: `dir/${'n'.repeat(300)}.txt`, content: 'x' }] });
    expect(code(r)).toBe('INVALID_ARGUMENT');
    expect(r.structuredContent!.error).toMatchObject({ field: 'files[0].path' });
    expect(JSON.stringify(r)).not.toContain(home.dir);
    await serves();
  });

  it('asking for more than the server allows is a clear INVALID_ARGUMENT', async () => {
    const r = await call('code_run', { session: 'h', code: '1', limits: { wallMs: 60_000 } });
    expect(code(r)).toBe('INVALID_ARGUMENT');
    expect(r.content[0]!.text).toMatch(/limits.wallMs: 60000 is above the server's maximum of 1500/);
    await serves();
  });
});
