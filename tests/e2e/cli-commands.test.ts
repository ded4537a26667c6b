// hearth config, doctor and policy: what a person runs while setting Hearth up.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';

import { serverNames } from '../../orchestrator/registry.js';
import { readRuntimeRecord } from '../../orchestrator/runtime.js';
import { newClient, REPO } from '../helpers/mcp-client.js';
import { otherNode } from '../helpers/other-node.js';
import { runCli } from '../helpers/run-cli.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

// Each test starts the CLI several times; on a busy machine one start through tsx takes seconds.
vi.setConfig({ testTimeout: 180_000 });

let home: TempHome;
beforeEach(() => (home = tempHome()));
afterEach(() => home.cleanup());

it('mcp.config.json starts every server as `node bin/hearth.js mcp <name>`, which works with another node first on PATH', async () => {
  const config = JSON.parse(readFileSync(join(REPO, 'mcp.config.json'), 'utf8')) as {
    mcpServers: Record<string, { command: string; args: string[] }>;
  };
  expect(Object.keys(config.mcpServers).sort()).toEqual(
    serverNames()
      .map((n) => `hearth-${n}`)
      .sort(),
  );
  for (const name of serverNames())
    expect(config.mcpServers[`hearth-${name}`]).toEqual({ command: 'node', args: ['bin/hearth.js', 'mcp', name] });
  // As a client that reads the file starts it: in the project folder, `node` from its PATH — here a
  // Node other than the one that installed node_modules (on this machine one too old for Hearth).
  const record = readRuntimeRecord(REPO)!;
  const entry = config.mcpServers['hearth-memory']!;
  const client = newClient();
  await client.connect(
    new StdioClientTransport({
      command: entry.command,
      args: entry.args,
      cwd: REPO,
      env: {
        PATH: [dirname(otherNode(record.execPath)), process.env.PATH ?? ''].join(delimiter),
        HOME: process.env.HOME ?? '',
        HEARTH_HOME: home.dir,
      },
      stderr: 'ignore',
    }),
  );
  try {
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('memory_search');
  } finally {
    await client.close();
  }
});

it.each(['claude', 'cursor', 'vscode'])('hearth config %s prints JSON with absolute paths that exist', async (client) => {
  const run = await runCli(['config', client, '--home', home.dir], {});
  expect(run.code).toBe(0);
  const parsed = JSON.parse(run.stdout) as Record<
    string,
    Record<string, { command: string; args: string[]; env?: Record<string, string>; type?: string }>
  >;
  const servers = client === 'vscode' ? parsed.servers! : parsed.mcpServers!;
  expect(Object.keys(servers).sort()).toEqual(
    serverNames()
      .map((n) => `hearth-${n}`)
      .sort(),
  );
  for (const [name, entry] of Object.entries(servers)) {
    // The Node that installed node_modules, and this installation's launcher.
    expect(entry.command).toBe(readRuntimeRecord(REPO)!.execPath);
    expect(entry.args).toEqual([
      '--no-node-snapshot',
      join(REPO, 'bin', 'hearth.js'),
      'mcp',
      name.replace('hearth-', ''),
      '--home',
      home.dir,
    ]);
    expect(existsSync(entry.args[1]!)).toBe(true);
    expect(entry.env).toBeUndefined();
    if (client === 'vscode') expect(entry.type).toBe('stdio');
  }
  expect(run.stderr).toContain(`Carried into the snippet: --home ${home.dir}.`);
});

it('hearth config claude-code prints one `claude mcp add` per server', async () => {
  const run = await runCli(['config', 'claude-code'], { HEARTH_HOME: home.dir });
  expect(run.code).toBe(0);
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(serverNames().length);
  for (const line of lines)
    expect(line).toMatch(
      /^claude mcp add --env HEARTH_HOME=\/\S+ hearth-[a-z]+ -- \/\S+ --no-node-snapshot \/\S+\/bin\/hearth\.js mcp [a-z]+$/,
    );
  expect((await runCli(['config', 'emacs'], {})).code).toBe(2);
});

it('hearth config carries every setting given to it, flags and exported HEARTH_* variables, and leaves secrets out', async () => {
  const policy = home.policy({ mode: 'draft' });
  const run = await runCli(
    ['config', 'cursor', '--policy', policy, '--mode', 'observe', '--set', 'servers.memory.chunkSize=800', '--log-level', 'warn'],
    {
      HEARTH_HOME: home.dir,
      HEARTH__servers__web__headless: 'true',
      HEARTH_CHROMIUM: '/usr/bin/true',
      HEARTH_SECRETS: 'hunter2-secret',
      HEARTH_HTTP_TOKEN: 'a-token-of-sixteen-chars',
    },
  );
  expect(run.code).toBe(0);
  const servers = (JSON.parse(run.stdout) as { mcpServers: Record<string, { args: string[]; env: Record<string, string> }> }).mcpServers;
  for (const [name, entry] of Object.entries(servers)) {
    expect(entry.args.slice(2, 4)).toEqual(['mcp', name.replace('hearth-', '')]);
    expect(entry.args.slice(4)).toEqual([
      '--policy',
      policy,
      '--mode',
      'observe',
      '--log-level',
      'warn',
      '--set',
      'servers.memory.chunkSize=800',
    ]);
    expect(entry.env).toEqual({ HEARTH_HOME: home.dir, HEARTH__servers__web__headless: 'true', HEARTH_CHROMIUM: '/usr/bin/true' });
  }
  expect(run.stdout).not.toContain('hunter2-secret');
  expect(run.stdout).not.toContain('a-token-of-sixteen-chars');
  expect(run.stderr).toContain(
    `Carried into the snippet: --policy ${policy}, --mode observe, --log-level warn, --set servers.memory.chunkSize=800, ` +
      `HEARTH_CHROMIUM=/usr/bin/true (from the environment), HEARTH_HOME=${home.dir} (from the environment), HEARTH__servers__web__headless=true (from the environment).`,
  );
  expect(run.stderr).toMatch(/Not carried: HEARTH_HTTP_TOKEN \(it applies to hearth serve only\); HEARTH_SECRETS \(secret values stay out/);

  // A relative path is made absolute against the folder hearth config ran in, and checked: a snippet
  // whose server would not start is not printed.
  const relative = await runCli(['config', 'claude', '--policy', 'no-such-policy.json'], { HEARTH_HOME: home.dir });
  expect(relative.code).toBe(78);
  expect(relative.stderr).toContain(`policy file ${join(REPO, 'no-such-policy.json')}: does not exist`);
  expect(relative.stdout).toBe('');
  const bad = await runCli(['config', 'claude', '--mode', 'sometimes'], { HEARTH_HOME: home.dir });
  expect(bad.code).toBe(78);
  expect(bad.stdout).toBe('');
});

it('hearth config http: entries for hearth serve that read the token from the environment, the token only with --show-token', async () => {
  const env = { HEARTH_HOME: home.dir };
  const before = await runCli(['config', 'http', '--servers', 'memory', '--port', '9123'], env);
  expect(before.code).toBe(0);
  expect(JSON.parse(before.stdout)).toEqual({
    mcpServers: {
      'hearth-memory': { type: 'http', url: 'http://127.0.0.1:9123/mcp/memory', headers: { Authorization: 'Bearer ${HEARTH_HTTP_TOKEN}' } },
    },
  });
  expect(before.stderr).toContain(`hearth serve writes a token to ${join(home.dir, 'http-token')} when it first starts`);
  expect(before.stderr).toContain('hearth serve --servers memory --port 9123');
  const none = await runCli(['config', 'http', '--show-token'], env);
  expect(none.code).toBe(2);
  expect(none.stderr).toContain('there is no token yet');
  expect(existsSync(join(home.dir, 'http-token'))).toBe(false);

  writeFileSync(join(home.dir, 'http-token'), 'tok_0123456789abcdefghij\n', { mode: 0o600 });
  const hidden = await runCli(['config', 'http', '--client', 'cursor'], env);
  expect(hidden.stdout).not.toContain('tok_0123456789abcdefghij');
  expect(hidden.stdout).toContain('Bearer ${env:HEARTH_HTTP_TOKEN}');
  expect(hidden.stderr).toContain(`export HEARTH_HTTP_TOKEN="$(cat ${join(home.dir, 'http-token')})"`);
  const vscode = JSON.parse((await runCli(['config', 'http', '--client', 'vscode'], env)).stdout) as {
    inputs: { id: string; password: boolean }[];
    servers: Record<string, { headers: { Authorization: string } }>;
  };
  expect(vscode.inputs).toEqual([expect.objectContaining({ id: 'hearth-token', password: true })]);
  expect(Object.keys(vscode.servers)).toHaveLength(serverNames().length);
  expect(vscode.servers['hearth-web']!.headers.Authorization).toBe('Bearer ${input:hearth-token}');
  const shown = await runCli(['config', 'http', '--servers', 'code', '--show-token'], env);
  const entry = (JSON.parse(shown.stdout) as { mcpServers: Record<string, { headers: { Authorization: string } }> }).mcpServers[
    'hearth-code'
  ]!;
  expect(entry.headers.Authorization).toBe('Bearer tok_0123456789abcdefghij');
  expect(shown.stderr).toContain('keep that file private');
});

it('hearth doctor reports each check, and a missing Chromium fails with a fix', async () => {
  const ok = await runCli(['doctor', '--no-launch', '--json'], { HEARTH_HOME: home.dir });
  const results = JSON.parse(ok.stdout) as { name: string; status: string; fix?: string }[];
  expect(results.map((r) => r.name)).toEqual(
    expect.arrayContaining(['node', 'better-sqlite3', 'sqlite-vec', 'isolated-vm', 'data directory', 'policy', 'chromium', 'ollama']),
  );
  expect(results.find((r) => r.name === 'isolated-vm')!.status).toBe('ok');
  const missing = await runCli(['doctor', '--no-launch'], { HEARTH_HOME: home.dir, HEARTH_CHROMIUM: '/nonexistent/chrome' });
  expect(missing.code).toBe(1);
  expect(missing.stdout).toMatch(/✗ chromium +HEARTH_CHROMIUM: \/nonexistent\/chrome does not exist\n.*→ Fix or unset/);
  home.policy({ mode: 'sometimes' });
  const badPolicy = await runCli(['doctor', '--no-launch'], { HEARTH_HOME: home.dir });
  expect(badPolicy.code).toBe(1);
  expect(badPolicy.stdout).toContain('mode');
});

it('hearth policy init writes the default, show prints it, check validates a file', async () => {
  const env = { HEARTH_HOME: home.dir };
  expect((await runCli(['policy', 'init'], env)).code).toBe(0);
  expect(JSON.parse(readFileSync(join(home.dir, 'policy.json'), 'utf8'))).toMatchObject({ version: 1, mode: 'draft' });
  expect((await runCli(['policy', 'init'], env)).code).toBe(2);
  const shown = await runCli(['policy', 'show'], env);
  expect(shown.stderr).toContain(join(home.dir, 'policy.json'));
  expect(JSON.parse(shown.stdout)).toMatchObject({ mode: 'draft' });
  const bad = home.policy({ tools: { deny: 'memory_delete' } });
  const check = await runCli(['policy', 'check', bad], env);
  expect(check.code).toBe(78);
  expect(check.stderr).toContain('tools.deny');
});
