// Installing Hearth as a tool: `npm pack` gives a tarball with what runs (and nothing else), a global
// install of it into a fresh prefix gives a `hearth` command, and `hearth mcp memory` answers a real
// MCP client. Uses the built dist/ (as every end-to-end test does) and the npm cache when it can.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { newClient, REPO } from '../helpers/mcp-client.js';

let dir: string;
let tarball: string;
let prefix: string;
let env: Record<string, string>;
const { name, version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'hearth-pack-')));
  prefix = join(dir, 'prefix');
  // npm and the scripts it runs use the Node running the tests; the installed command comes first.
  env = {
    PATH: [join(prefix, 'bin'), dirname(process.execPath), process.env.PATH ?? ''].join(delimiter),
    HOME: process.env.HOME ?? '',
    HEARTH_HOME: join(dir, 'home'),
  };
  const npm = (args: string[], cwd: string) =>
    execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env, encoding: 'utf8', timeout: 600_000 });
  // dist/ is already built; prepack would rebuild it under the other tests.
  tarball = join(dir, npm(['pack', '--ignore-scripts', '--pack-destination', dir], REPO).trim().split('\n').pop()!);
  npm(['install', '--global', '--prefix', prefix, '--prefer-offline', '--allow-scripts=hearth-mcp,isolated-vm', tarball], dir);
}, 900_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the tarball holds what runs: the launcher, the build, the default policy, the sandbox and worker entries, the docs', () => {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((f) => f.replace(/^package\//, ''));
  expect(tarball.endsWith(`${name}-${version}.tgz`)).toBe(true);
  expect(files).toEqual(
    expect.arrayContaining([
      'package.json',
      'README.md',
      'mcp.config.json',
      'bin/hearth.js',
      'scripts/record-runtime.mjs',
      'dist/orchestrator/launcher.js',
      'dist/orchestrator/cli.js',
      'dist/policies/default-policy.json',
      'dist/servers/code/sandbox/child.js',
      'dist/servers/memory/embed/word-table.worker.js',
      'docs/user-guide.md',
    ]),
  );
  // No sources, tests, source maps or build tooling.
  expect(files.filter((f) => /\.(ts|map)$/.test(f) || /^(tests|bench|servers|shared|orchestrator|policies|\.ci)\//.test(f))).toEqual([]);
  expect(files).not.toContain('Makefile');
});

it('the installed hearth says its version and recorded the Node that installed it', () => {
  expect(execFileSync('hearth', ['--version'], { env, encoding: 'utf8' }).trim()).toBe(`hearth ${version}`);
  expect(execFileSync('hearth', ['-v'], { env, encoding: 'utf8' }).trim()).toBe(`hearth ${version}`);
  const installed = join(prefix, 'lib', 'node_modules', name);
  const record = JSON.parse(readFileSync(join(installed, 'node_modules', '.hearth-runtime.json'), 'utf8')) as Record<string, string>;
  expect(record).toMatchObject({ execPath: process.execPath, version: process.versions.node, modules: process.versions.modules });
});

it('hearth mcp memory from the installed package answers tools/list through a real MCP client', async () => {
  const client = newClient();
  const transport = new StdioClientTransport({
    command: join(prefix, 'bin', 'hearth'),
    args: ['mcp', 'memory'],
    env,
    cwd: dir,
    stderr: 'pipe',
  });
  let stderr = '';
  (transport.stderr as Readable | null)?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['memory_ingest', 'memory_search', 'memory_get']));
    expect(client.getServerVersion()).toMatchObject({ name: 'hearth-memory', version });
  } finally {
    await client.close();
  }
  expect(stderr).not.toMatch(/hearth: /);
});
