// Starting Hearth with a Node other than the one that installed node_modules: the launcher hands
// over to that Node when it still exists; otherwise a Node too old, or a native module built for
// another Node, is one line on stderr naming the module (or the Node version), both Nodes and the
// fix — never a segfault or a cut-off dlopen error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { readRuntimeRecord } from '../../orchestrator/runtime.js';
import { copyInstallation, type InstallationCopy } from '../helpers/installation-copy.js';
import { newClient, REPO } from '../helpers/mcp-client.js';
import { nodeVersion, oldNode, otherNode } from '../helpers/other-node.js';
import { type CliRun, runProcess } from '../helpers/run-cli.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let home: TempHome;
const copies: InstallationCopy[] = [];
beforeEach(() => (home = tempHome()));
afterEach(() => {
  home.cleanup();
  copies.splice(0).forEach((c) => c.cleanup());
});

function run(node: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runProcess(node, args, { env });
}

function installedWith(): NonNullable<ReturnType<typeof readRuntimeRecord>> {
  const record = readRuntimeRecord(REPO);
  if (!record) throw new Error(`no ${join(REPO, 'node_modules', '.hearth-runtime.json')}: install with make first`);
  return record;
}

/** A record for a Node that installed the copy and has since been removed. */
function goneNode(version: string, modules: string) {
  return {
    execPath: join(REPO, '.cache', 'node', `node-v${version}-removed`, 'bin', 'node'),
    version,
    modules,
    platform: process.platform,
    arch: process.arch,
  };
}

it('started with another Node, bin/hearth.js hands over to the Node that installed node_modules', async () => {
  const record = installedWith();
  const other = otherNode(record.execPath);
  // What a client config that says `node` does when the PATH has changed.
  const client = newClient();
  const transport = new StdioClientTransport({
    command: other,
    args: [join(REPO, 'bin', 'hearth.js'), 'mcp', 'memory'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HEARTH_HOME: home.dir },
    stderr: 'pipe',
  });
  let stderr = '';
  (transport.stderr as Readable | null)?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('memory_search');
    expect(client.getServerVersion()?.version).toBe(
      (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version,
    );
  } finally {
    await client.close();
  }
  expect(stderr).not.toMatch(/hearth: /);

  const doctor = await run(other, [join(REPO, 'bin', 'hearth.js'), 'doctor', '--no-launch', '--json'], { HEARTH_HOME: home.dir });
  const checks = JSON.parse(doctor.stdout) as { name: string; status: string; detail: string }[];
  expect(checks.find((c) => c.name === 'node')!.detail).toBe(`Node ${record.version} (${record.execPath})`);
  expect(checks.find((c) => c.name === 'runtime')!).toMatchObject({ status: 'ok', detail: expect.stringContaining('this Node') });
});

it('a Node too old for Hearth, its installing Node gone: one line from bin/hearth.js and from dist/orchestrator/cli.js', async () => {
  const old = oldNode();
  const oldVersion = nodeVersion(old)!;
  const copy = copyInstallation({ record: goneNode('24.21.0', '137'), clone: true });
  copies.push(copy);
  const line = new RegExp(
    `^hearth: Node ${oldVersion.replace(/\./g, '\\.')} \\(${old}\\) is too old: Hearth needs Node 22\\.12\\+ or 24; ` +
      `node_modules was installed with Node 24\\.21\\.0 \\(ABI 137, \\S+/node-v24\\.21\\.0-removed/bin/node, no longer there\\)\\. ` +
      `Fix: run make in ${copy.root} \\(.*\\)\\.\\n$`,
  );
  for (const entry of [copy.bin, copy.cli]) {
    const started = await run(old, [entry, 'mcp', 'memory'], { HEARTH_HOME: home.dir });
    expect(started.stderr).toMatch(line);
    expect(started.stdout).toBe('');
    expect(started.code).toBe(1);
  }
});

it('an isolated-vm built for another Node: one line from hearth mcp code, and the same finding in hearth doctor', async () => {
  // The running Node is supported; the copy's isolated-vm was built (from source) for the other
  // supported ABI by a Node that is no longer there, as after a PATH change.
  const running = process.versions.modules;
  const [otherVersion, otherAbi] = running === '137' ? ['22.23.3', '127'] : ['24.21.0', '137'];
  const copy = copyInstallation({ record: goneNode(otherVersion, otherAbi), clone: false, isolatedVmFor: otherAbi });
  copies.push(copy);
  const expected =
    `hearth: isolated-vm does not load in Node ${process.versions.node} (ABI ${running}, ${process.execPath}): ` +
    `it was installed with Node ${otherVersion} (ABI ${otherAbi}, `;

  const started = await run(process.execPath, [copy.bin, 'mcp', 'code'], { HEARTH_HOME: home.dir });
  expect(started.code).toBe(1);
  expect(started.stdout).toBe('');
  const lines = started.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]!.startsWith(expected)).toBe(true);
  expect(lines[0]).toMatch(/no longer there\)\. Fix: reinstall hearth-mcp with this Node \(the npm install -g you used before\)\.$/);

  // The memory server does not need isolated-vm and still starts.
  const client = newClient();
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [copy.bin, 'mcp', 'memory'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HEARTH_HOME: home.dir },
      stderr: 'ignore',
    }),
  );
  try {
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  } finally {
    await client.close();
  }

  const doctor = await run(process.execPath, [copy.bin, 'doctor', '--no-launch', '--json'], { HEARTH_HOME: home.dir });
  expect(doctor.code).toBe(1);
  const checks = JSON.parse(doctor.stdout) as { name: string; status: string; detail: string }[];
  expect(checks.find((c) => c.name === 'isolated-vm')).toMatchObject({ status: 'fail', detail: lines[0]!.replace(/^hearth: /, '') });
  expect(checks.find((c) => c.name === 'runtime')).toMatchObject({
    status: 'warn',
    detail: expect.stringContaining(`Node ${otherVersion}`),
  });
  expect(checks.find((c) => c.name === 'better-sqlite3')!.status).toBe('ok');
});
