// End to end over stdio with a real MCP client and the real CLI: the CSV → summary + chart demo,
// sessions keeping state, limits as tool errors, observe mode, and the server surviving code that
// kills its sandbox process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { connectStdio, type StdioConnection } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

type Result = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text?: string; uri?: string; mimeType?: string }[];
};

const SALES = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'code', 'sales.csv'), 'utf8');

let home: TempHome;
let conn: StdioConnection;

async function call(name: string, args: Record<string, unknown>, meta?: Record<string, unknown>): Promise<Result> {
  return (await conn.client.callTool({ name, arguments: args, ...(meta ? { _meta: meta } : {}) })) as Result;
}

function errorCode(r: Result): string | undefined {
  return (r.structuredContent?.error as { code?: string } | undefined)?.code;
}

beforeAll(async () => {
  home = tempHome('hearth-code-e2e-');
  home.policy({ mode: 'autopilot' });
  conn = await connectStdio(
    'orchestrator/cli.ts',
    ['mcp', 'code', '--set', 'servers.code.wallMs=3000', '--set', 'servers.code.cpuMs=3000', '--set', 'servers.code.memoryMb=64'],
    { HEARTH_HOME: home.dir },
  );
});

afterAll(async () => {
  await conn?.close();
  home?.cleanup();
});

describe('code server over stdio', () => {
  it('lists the ten tools with output schemas', async () => {
    const { tools } = await conn.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'code_files_delete',
      'code_files_list',
      'code_files_read',
      'code_files_write',
      'code_package',
      'code_run',
      'code_session_close',
      'code_session_list',
      'code_session_open',
      'code_test',
    ]);
    for (const t of tools) expect(t.outputSchema).toBeDefined();
  });

  it('CSV in → summary table and bar chart out, as files and as resources', async () => {
    const open = await call('code_session_open', { name: 'demo' });
    expect(open.isError).toBeFalsy();
    const put = await call('code_files_write', { session: 'demo', files: [{ path: 'sales.csv', content: SALES }] });
    expect(put.isError).toBeFalsy();
    const run = await call('code_run', {
      session: 'demo',
      code: [
        'const rows = csv.read("sales.csv");',
        'const summary = stats.summarize(rows);',
        'workspace.writeText("summary.md", table.markdown(summary, { columns: ["column", "type", "count", "missing", "mean", "min", "max"] }));',
        'const byRegion = stats.totals(rows, "region", "revenue");',
        'workspace.writeText("revenue.svg", chart.bar(byRegion, { x: "key", y: "value", title: "Revenue by region" }));',
        'console.log(`${rows.length} rows`);',
        'byRegion',
      ].join('\n'),
    });
    expect(run.isError).toBeFalsy();
    const out = run.structuredContent!;
    expect(out.status).toBe('ok');
    expect(out.stdout).toBe('8 rows\n');
    expect(out.value).toEqual([
      { key: 'North', value: 5010.5 },
      { key: 'South', value: 3500.75 },
      { key: 'East', value: 2310.25 },
      { key: 'West', value: 640 },
    ]);
    expect(out.files).toEqual({ created: ['revenue.svg', 'summary.md'], modified: [], deleted: [] });
    const links = run.content.filter((c) => c.type === 'resource_link');
    expect(links.map((l) => l.uri).sort()).toEqual(['hearth://code/workspace/demo/revenue.svg', 'hearth://code/workspace/demo/summary.md']);

    const svg = await conn.client.readResource({ uri: 'hearth://code/workspace/demo/revenue.svg' });
    const svgText = (svg.contents[0] as { text: string; mimeType: string }).text;
    expect((svg.contents[0] as { mimeType: string }).mimeType).toBe('image/svg+xml');
    expect(svgText).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svgText.match(/<rect x=/g)).toHaveLength(4);
    expect(svgText).toContain('Revenue by region');

    const md = await call('code_files_read', { session: 'demo', path: 'summary.md' });
    const table = md.structuredContent!.content as string;
    expect(table.split('\n')[0]).toBe('| column | type | count | missing | mean | min | max |');
    expect(table).toMatch(/\| units \| number \| 7 \| 1 \| 80 \| 30 \| 130 \|/);
    expect(table).toMatch(/\| region \| text \| 8 \| 0 \|/);
  });

  it('a session keeps its globals across calls; one-shot runs do not', async () => {
    expect(
      (await call('code_run', { session: 'demo', code: 'let counter = 1; function bump() { return ++counter; }' })).isError,
    ).toBeFalsy();
    const second = await call('code_run', { session: 'demo', code: 'bump(); bump()' });
    expect(second.structuredContent!.value).toBe(3);
    const again = await call('code_run', { session: 'demo', code: 'let counter = 10; counter' });
    expect(again.structuredContent!.value).toBe(10);
    const oneShot = await call('code_run', { code: 'typeof counter' });
    expect(oneShot.structuredContent!.value).toBe('undefined');
  });

  it('reports a timeout as a TIMEOUT or LIMIT_EXCEEDED tool error and the session keeps its state', async () => {
    const r = await call('code_run', { session: 'demo', code: 'for (;;) {}', limits: { wallMs: 300, cpuMs: 300 } });
    expect(r.isError).toBe(true);
    expect(['TIMEOUT', 'LIMIT_EXCEEDED']).toContain(errorCode(r));
    expect(r.content[0]!.text).toMatch(/300 ms/);
    const after = await call('code_run', { session: 'demo', code: 'counter' });
    expect(after.structuredContent!.value).toBe(10);
  });

  it('reports the memory limit as LIMIT_EXCEEDED, resets the session and keeps serving', async () => {
    const r = await call('code_run', {
      session: 'demo',
      code: 'const hog = []; for (;;) hog.push({ i: hog.length, s: "x".repeat(64) + hog.length })',
    });
    expect(r.isError).toBe(true);
    expect(errorCode(r)).toBe('LIMIT_EXCEEDED');
    expect(r.content[0]!.text).toMatch(/64 MB memory limit/);
    expect((r.structuredContent!.error as { sessionReset: boolean }).sessionReset).toBe(true);
    const after = await call('code_run', { session: 'demo', code: 'typeof counter' });
    expect(after.structuredContent!.value).toBe('undefined');
    const list = await call('code_session_list', {});
    const demo = (list.structuredContent!.sessions as { id: string; resets: number; lastReset?: { reason: string } }[]).find(
      (s) => s.id === 'demo',
    )!;
    expect(demo.resets).toBeGreaterThanOrEqual(1);
    expect(demo.lastReset?.reason).toMatch(/memory/);
  });

  it('survives code that aborts its sandbox process (V8 fatal out-of-memory) and serves the next call', async () => {
    // On Node 24 this one builtin call outgrows the heap limit slowly; it ends at the memory cap or the time limit.
    const r = await call('code_run', { session: 'demo', code: 'new Array(1e9).fill(1).length' });
    expect(r.isError).toBe(true);
    expect(['LIMIT_EXCEEDED', 'UNAVAILABLE', 'TIMEOUT']).toContain(errorCode(r));
    const next = await call('code_run', { session: 'demo', code: '6 * 7' });
    expect(next.structuredContent!.value).toBe(42);
    const oneShot = await call('code_run', { code: 'new Array(1e9).fill(1).length' });
    expect(oneShot.isError).toBe(true);
    expect((await call('code_run', { code: '"still here"' })).structuredContent!.value).toBe('still here');
  });

  it('a client that cancels a busy loop gets the session back at once, reset', async () => {
    await call('code_session_open', { name: 'spin' });
    const controller = new AbortController();
    const cancelled = conn.client.callTool(
      { name: 'code_run', arguments: { session: 'spin', code: 'for (;;) {}' } },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort('changed my mind'), 300);
    await expect(cancelled).rejects.toThrow();
    // The next run waits for the cancelled one to wind down, then runs; the loop was stopped by the
    // cancel (a reset), not by its time limit (which keeps a session's state and resets nothing).
    const next = await call('code_run', { session: 'spin', code: '6 * 7' });
    expect(next.structuredContent!.value).toBe(42);
    const list = await call('code_session_list', {});
    const spin = (list.structuredContent!.sessions as { id: string; resets: number; lastReset?: { reason: string } }[]).find(
      (s) => s.id === 'spin',
    )!;
    expect(spin.resets).toBe(1);
    expect(spin.lastReset?.reason).toMatch(/cancelled/);
    await call('code_session_close', { name: 'spin' });
  });

  it('code_test returns per-test results', async () => {
    const r = await call('code_test', {
      source: 'export function add(a, b) { return a + b }\nexport const half = (x) => x / 2;',
      tests: [
        { name: 'adds', code: 'assert.equal(add(2, 3), 5)' },
        { name: 'halves wrongly', code: 'assert.equal(half(3), 1)' },
        { name: 'spins', code: 'for(;;){}' },
      ],
      limits: { testMs: 200 },
    });
    expect(r.isError).toBeFalsy();
    const s = r.structuredContent!;
    expect(s.load).toMatchObject({ status: 'ok', kind: 'module' });
    expect((s.tests as { name: string; status: string; message?: string }[]).map((t) => [t.name, t.status])).toEqual([
      ['adds', 'passed'],
      ['halves wrongly', 'failed'],
      ['spins', 'timeout'],
    ]);
    expect((s.tests as { message?: string }[])[1]!.message).toMatch(/AssertionError: expected 1, got 1.5/);
  });

  it('code_package zips files into an artifact resource', async () => {
    const r = await call('code_package', { session: 'demo', paths: ['.'], name: 'demo.zip' });
    expect(r.isError).toBeFalsy();
    const link = r.content.find((c) => c.type === 'resource_link')!;
    expect(link.uri).toMatch(/^hearth:\/\/code\/artifacts\//);
    const zip = await conn.client.readResource({ uri: link.uri! });
    const bytes = Buffer.from((zip.contents[0] as { blob: string }).blob, 'base64');
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    expect((r.structuredContent!.files as { path: string }[]).map((f) => f.path)).toEqual(['revenue.svg', 'sales.csv', 'summary.md']);
  });

  it('dry-run returns the preview of code_run and runs nothing', async () => {
    const r = await call('code_run', { session: 'demo', code: 'workspace.writeText("dry.txt", "x")' }, { 'hearth/dryRun': true });
    expect(r.structuredContent).toMatchObject({
      dryRun: true,
      preview: { changes: [{ kind: 'code', source: 'workspace.writeText("dry.txt", "x")' }, { kind: 'note' }] },
    });
    const exists = await call('code_run', { session: 'demo', code: 'workspace.exists("dry.txt")' });
    expect(exists.structuredContent!.value).toBe(false);
  });
});

describe('observe mode', () => {
  it('returns a preview of what code_run would run (code and limits) and runs nothing', async () => {
    const observed = tempHome('hearth-code-observe-');
    observed.policy({ mode: 'observe' });
    const c = await connectStdio('orchestrator/cli.ts', ['mcp', 'code'], { HEARTH_HOME: observed.dir });
    try {
      const r = (await c.client.callTool({
        name: 'code_run',
        arguments: { code: 'workspace.writeText("x.txt", "1"); 1', limits: { wallMs: 500 } },
      })) as Result;
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent).toMatchObject({
        dryRun: true,
        reason: 'observe',
        preview: {
          summary: expect.stringContaining('one-shot'),
          changes: [
            {
              kind: 'code',
              language: 'javascript',
              source: 'workspace.writeText("x.txt", "1"); 1',
              limits: { wallMs: 500, cpuMs: 10000, memoryMb: 128 },
            },
            { kind: 'note' },
          ],
        },
      });
      const list = (await c.client.callTool({ name: 'code_files_list', arguments: {} })) as Result;
      expect(list.structuredContent!.entries).toEqual([]);
    } finally {
      await c.close();
      observed.cleanup();
    }
  });
});
