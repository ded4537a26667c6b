// What a server loads before it answers tools/list: only what the list needs. The domain's stores,
// parsers and indexes load on the first call that uses them, and one that cannot open is that call's
// tool error, not a crash. (How long a start takes is measured by `npm run bench -- surface`.)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { REPO } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

const RECORDER = join(REPO, 'tests/fixtures/module-recorder.ts');

let home: TempHome;
let client: Client | undefined;
let stderr = '';

beforeEach(() => {
  home = tempHome('hearth-cold-start-');
  home.policy({ mode: 'autopilot' });
});
afterEach(async () => {
  await client?.close();
  client = undefined;
  home.cleanup();
});

/** Starts `hearth mcp <server>` with the module recorder; returns the file it records into. */
async function start(server: string, env: Record<string, string> = {}): Promise<string> {
  const modules = join(home.dir, 'modules.txt');
  writeFileSync(modules, '');
  client = new Client({ name: 'hearth-tests', version: '1.0.0' }, { capabilities: {} });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--no-node-snapshot', '--import', 'tsx', '--import', RECORDER, join(REPO, 'orchestrator/cli.ts'), 'mcp', server],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HEARTH_HOME: home.dir,
      HEARTH_LOG_LEVEL: 'warn',
      HEARTH_TEST_MODULES: modules,
      ...env,
    },
    cwd: REPO,
    stderr: 'pipe',
  });
  stderr = '';
  (transport.stderr as Readable | null)?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  await client.connect(transport);
  return modules;
}

function loaded(modules: string, pattern: RegExp): string[] {
  return readFileSync(modules, 'utf8')
    .split('\n')
    .filter((url) => pattern.test(url));
}

const MEMORY_DOMAIN = /\/servers\/memory\/(memory|store\/store|search\/searcher|parse\/parsers)\.[jt]s$|\/node_modules\/sqlite-vec\//;

/** Starts a server whose database path runs through a file, so its store cannot open; it still lists its tools. */
async function startOnBrokenStore(server: 'memory' | 'plan'): Promise<{ name: string }[]> {
  const notAFolder = join(home.dir, 'not-a-folder');
  writeFileSync(notAFolder, 'a file where the database folder should be');
  await start(server, { [`HEARTH__servers__${server}__database`]: join(notAFolder, `${server}.db`) });
  const { tools } = await client!.listTools();
  expect(tools.length).toBeGreaterThan(0);
  return tools;
}

/** Calls a tool that must be refused as UNAVAILABLE; returns the error. */
async function refusal(name: string, args: Record<string, unknown>): Promise<{ code: string; message: string; hint: string }> {
  const r = await client!.callTool({ name, arguments: args });
  expect(r.isError).toBe(true);
  const error = (r.structuredContent as { error: { code: string; message: string; hint: string } }).error;
  expect(error.code).toBe('UNAVAILABLE');
  return error;
}

describe('memory: cold start', () => {
  it('answers tools/list without loading or opening its store, and opens it on the first call', async () => {
    const modules = await start('memory');
    const { tools } = await client!.listTools();
    expect(tools.map((t) => t.name)).toContain('memory_list');
    expect(loaded(modules, MEMORY_DOMAIN)).toEqual([]);
    expect(existsSync(join(home.dir, 'memory.db'))).toBe(false);

    const listed = await client!.callTool({ name: 'memory_list', arguments: {} });
    expect(listed.isError, JSON.stringify(listed.structuredContent)).toBeFalsy();
    expect(loaded(modules, MEMORY_DOMAIN).length).toBeGreaterThanOrEqual(4);
    expect(existsSync(join(home.dir, 'memory.db'))).toBe(true);
  });

  it('a store that cannot be opened is a tool error naming it, and the server keeps answering', async () => {
    const tools = await startOnBrokenStore('memory');
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await refusal('memory_search', { query: 'anything' });
      expect(error.message).toMatch(/^the memory store could not be opened: .*not-a-folder/);
      expect(error.hint).toMatch(/settings/);
    }
    expect(stderr).not.toMatch(/unexpected failure|at .*\.ts:\d+/);
    const again = await client!.listTools();
    expect(again.tools.length).toBe(tools.length);
  });
});

const PLAN_DOMAIN =
  /\/servers\/plan\/(planner|siblings|conditions|runner)\.[jt]s$|\/node_modules\/@marcbachmann\/cel-js\/|\/node_modules\/@modelcontextprotocol\/client\//;

describe('plan: cold start', () => {
  it('answers tools/list without loading CEL, the MCP client or the planner, and loads them on the first call', async () => {
    const modules = await start('plan');
    const { tools } = await client!.listTools();
    expect(tools.map((t) => t.name)).toContain('plan_list');
    expect(loaded(modules, PLAN_DOMAIN)).toEqual([]);

    const listed = await client!.callTool({ name: 'plan_list', arguments: {} });
    expect(listed.isError, JSON.stringify(listed.structuredContent)).toBeFalsy();
    expect(loaded(modules, PLAN_DOMAIN).length).toBeGreaterThanOrEqual(5);
  });

  it('a journal that cannot be opened is a tool error naming it, and the server keeps answering', async () => {
    await startOnBrokenStore('plan');
    for (let attempt = 0; attempt < 2; attempt++) {
      expect((await refusal('plan_list', {})).message).toMatch(/^the plan journal could not be opened: .*not-a-folder/);
    }
    expect(stderr).not.toMatch(/unexpected failure|at .*\.ts:\d+/);
  });
});

describe('kernel: cold start', () => {
  it('opens hearth.db on the first call, not before tools/list, and audits that call', async () => {
    await start('memory');
    await client!.listTools();
    expect(existsSync(join(home.dir, 'hearth.db'))).toBe(false);

    const listed = await client!.callTool({ name: 'memory_list', arguments: {} });
    expect(listed.isError, JSON.stringify(listed.structuredContent)).toBeFalsy();
    await client!.close();
    client = undefined;
    const db = new Database(join(home.dir, 'hearth.db'), { readonly: true });
    try {
      expect(db.prepare(`SELECT tool, outcome FROM audit WHERE outcome != 'started'`).all()).toEqual([
        { tool: 'memory_list', outcome: 'ok' },
      ]);
    } finally {
      db.close();
    }
  });

  it('a hearth.db that cannot be opened refuses each call with an error naming it; no tool runs', async () => {
    mkdirSync(join(home.dir, 'hearth.db'));
    await start('memory');
    const { tools } = await client!.listTools();
    expect(tools.length).toBeGreaterThan(0);

    for (let attempt = 0; attempt < 2; attempt++) {
      const r = await client!.callTool({ name: 'memory_list', arguments: {} });
      expect(r.isError).toBe(true);
      const error = (r.structuredContent as { error: { code: string; message: string; hint: string } }).error;
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.message).toMatch(/^the Hearth database in .* could not be opened/);
      expect(error.hint).toMatch(/HEARTH_HOME/);
    }
    expect(existsSync(join(home.dir, 'memory.db'))).toBe(false);
    expect(stderr).not.toMatch(/unexpected failure|at .*\.ts:\d+/);
  });
});
