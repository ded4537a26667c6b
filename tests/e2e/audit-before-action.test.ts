// Every action has its audit row, or it does not happen. A write or external call is recorded as
// started before its handler runs and as finished after; when the started row cannot be written,
// the handler never runs. Arguments nested past the limit are refused at validation with a clear
// error (and still audited, without the nesting) — never sent, never a missing row.
import { existsSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { join } from 'node:path';

import { InMemoryTransport } from '@modelcontextprotocol/client';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createServer as createBudgetServer } from '../../servers/budget/index.js';
import { createServer as createCodeServer } from '../../servers/code/index.js';
import { createServer as createMemoryServer } from '../../servers/memory/index.js';
import { createServer as createWebServer } from '../../servers/web/index.js';
import { loadConfig } from '../../shared/config.js';
import type { HearthServer } from '../../shared/server.js';
import { createServer as createKernelServer } from '../fixtures/kernel-server.js';
import { connectStdio, newClient } from '../helpers/mcp-client.js';
import { runCli } from '../helpers/run-cli.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

type Result = { isError?: boolean; structuredContent?: Record<string, unknown> };
type Row = { tool: string; decision: string; outcome: string; error_code: string | null; args: string };

let home: TempHome;
beforeEach(() => (home = tempHome('hearth-audit-first-')));
afterEach(() => home.cleanup());

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

function auditRows(): Row[] {
  const db = new Database(join(home.dir, 'hearth.db'), { readonly: true });
  try {
    return db.prepare('SELECT tool, decision, outcome, error_code, args FROM audit ORDER BY id').all() as Row[];
  } finally {
    db.close();
  }
}

async function inProcess(create: (config: ReturnType<typeof loadConfig>['config']) => HearthServer) {
  const { config } = loadConfig({ home: home.dir, set: [], logLevel: 'silent' }, { HEARTH_HOME: home.dir });
  const server = create(config);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect('in-process').connect(serverSide);
  const client = newClient();
  await client.connect(clientSide);
  return {
    client,
    close: async () => {
      await client.close().catch(() => undefined);
      await server.close();
    },
  };
}

describe('a write or external call and its audit rows', () => {
  it('is recorded as started before it runs and as finished after', async () => {
    home.policy({ mode: 'autopilot' });
    const kernel = await inProcess(createKernelServer);
    try {
      const result = (await kernel.client.callTool({ name: 'test_append', arguments: { line: 'hello' } })) as Result;
      expect(result.isError).toBeFalsy();
    } finally {
      await kernel.close();
    }
    expect(auditRows().map((r) => [r.tool, r.decision, r.outcome])).toEqual([
      ['test_append', 'ran', 'started'],
      ['test_append', 'ran', 'ok'],
    ]);
    expect((await runCli(['audit', 'verify'], { HEARTH_HOME: home.dir })).stdout).toContain('2 rows, hash chain verified');
  });

  it('does not run when its audit row cannot be written', async () => {
    home.policy({ mode: 'autopilot' });
    const kernel = await inProcess(createKernelServer);
    try {
      // The server opens hearth.db with its first call.
      expect((await kernel.client.callTool({ name: 'test_echo', arguments: { text: 'first' } })).isError).toBeFalsy();
      // Something keeps the audit table from taking rows (a full disk, a damaged file, another program).
      const db = new Database(join(home.dir, 'hearth.db'));
      db.exec(`CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`);
      db.close();
      const result = (await kernel.client.callTool({ name: 'test_append', arguments: { line: 'must not be written' } })) as Result;
      expect(result.isError).toBe(true);
      expect(result.structuredContent?.error).toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringContaining('could not be recorded in the audit log, so it was not run'),
      });
      expect(existsSync(join(home.dir, 'notes.txt'))).toBe(false);
      // A read tool has nothing to undo: it still answers.
      const read = (await kernel.client.callTool({ name: 'test_echo', arguments: { text: 'still here' } })) as Result;
      expect(read.isError).toBeFalsy();
    } finally {
      await kernel.close();
    }
  });
});

describe('arguments nested deeper than the limit', () => {
  let site: Server;
  let hits: string[];
  let origin: string;
  beforeEach(async () => {
    hits = [];
    site = createHttpServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => site.close(() => resolve()));
  });

  it('web_request with a JSON body 3,000 levels deep: INVALID_ARGUMENT naming the field, nothing sent, the refusal audited', async () => {
    home.policy({ mode: 'autopilot', web: { origins: [origin] } });
    const web = await connectStdio('orchestrator/cli.ts', ['mcp', 'web'], { HEARTH_HOME: home.dir });
    try {
      const result = (await web.client.callTool({
        name: 'web_request',
        arguments: { url: `${origin}/api`, method: 'POST', json: nested(3_000) },
      })) as Result;
      expect(result.isError).toBe(true);
      expect(result.structuredContent?.error).toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/json\.a\.a\.a.*: nested deeper than 64 levels/),
      });
      // The limit leaves ordinary JSON alone.
      const fine = (await web.client.callTool({
        name: 'web_request',
        arguments: { url: `${origin}/api`, method: 'POST', json: nested(40) },
      })) as Result;
      expect(fine.isError, JSON.stringify(fine.structuredContent)).toBeFalsy();
    } finally {
      await web.close();
    }
    expect(hits).toEqual(['POST /api']);
    const rows = auditRows().filter((r) => r.tool === 'web_request');
    expect(rows.map((r) => [r.decision, r.outcome, r.error_code])).toEqual([
      ['rejected', 'error', 'INVALID_ARGUMENT'],
      ['ran', 'started', null],
      ['ran', 'ok', null],
    ]);
    expect(rows[0]!.args).toContain('nested deeper than 64 levels');
    expect((await runCli(['audit', 'verify'], { HEARTH_HOME: home.dir })).stdout).toContain('hash chain verified');
  });

  it('memory over stdio: deep arguments to a write tool and to an unknown tool are refused and audited; the server serves on', async () => {
    home.policy({ mode: 'autopilot' });
    const conn = await connectStdio('orchestrator/cli.ts', ['mcp', 'memory'], { HEARTH_HOME: home.dir });
    try {
      const result = (await conn.client.callTool({
        name: 'memory_remember',
        arguments: { namespace: 'user', key: 'k', value: 'v', extra: nested(3_000) },
      })) as Result;
      expect(result.structuredContent?.error).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('extra.a.a') });
      await expect(conn.client.callTool({ name: 'memory_nothing', arguments: { deep: nested(3_000) } })).rejects.toThrow(/no tool named/);
      const ok = (await conn.client.callTool({
        name: 'memory_remember',
        arguments: { namespace: 'user', key: 'k', value: 'v' },
      })) as Result;
      expect(ok.isError, JSON.stringify(ok.structuredContent)).toBeFalsy();
    } finally {
      await conn.close();
    }
    const rows = auditRows();
    expect(rows.map((r) => [r.tool, r.decision, r.outcome])).toEqual([
      ['memory_remember', 'rejected', 'error'],
      ['memory_nothing', 'rejected', 'error'],
      ['memory_remember', 'ran', 'started'],
      ['memory_remember', 'ran', 'ok'],
    ]);
    expect((await runCli(['audit', 'verify'], { HEARTH_HOME: home.dir })).stdout).toContain('4 rows, hash chain verified');
  });
});

describe('every server bounds the shape of the arguments at validation', () => {
  const cases = [
    { server: 'code', create: createCodeServer, tool: 'code_run', args: { code: nested(3_000) }, field: 'code.a.a' },
    {
      server: 'memory',
      create: createMemoryServer,
      tool: 'memory_remember',
      args: { namespace: 'user', key: 'k', value: nested(3_000) },
      field: 'value.a.a',
    },
    {
      server: 'web',
      create: createWebServer,
      tool: 'web_request',
      args: { url: 'http://127.0.0.1:9/', json: nested(3_000) },
      field: 'json.a.a',
    },
    {
      server: 'budget',
      create: createBudgetServer,
      tool: 'llm_generate',
      args: { messages: [{ role: 'user', content: nested(3_000) }], tier: 'fast' },
      field: 'messages[0].content.a.a',
    },
    // Wide rather than deep: a million values is where every walk of them gets slow.
    {
      server: 'budget',
      create: createBudgetServer,
      tool: 'llm_estimate',
      args: { messages: new Array(1_000_001).fill(0) },
      field: 'messages[',
    },
  ] as const;

  for (const c of cases) {
    it(`${c.server}: ${c.tool} with ${c.field}… past the limit is INVALID_ARGUMENT naming the field, audited, never run`, async () => {
      home.policy({ mode: 'autopilot' });
      const server = await inProcess(c.create);
      try {
        const result = (await server.client.callTool({ name: c.tool, arguments: c.args })) as Result;
        expect(result.isError).toBe(true);
        const error = result.structuredContent?.error as { code: string; message: string; field: string };
        expect(error.code).toBe('INVALID_ARGUMENT');
        expect(error.message).toMatch(/nested deeper than 64 levels|more than 1,000,000 values/);
        expect(error.field.startsWith(c.field), error.field).toBe(true);
      } finally {
        await server.close();
      }
      const rows = auditRows();
      expect(rows.map((r) => [r.tool, r.decision, r.outcome, r.error_code])).toEqual([[c.tool, 'rejected', 'error', 'INVALID_ARGUMENT']]);
      expect(rows[0]!.args).toContain('the arguments were not stored');
    });
  }
});
