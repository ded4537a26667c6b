// hearth config, doctor and policy: what a person runs while setting Hearth up.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

import { afterEach, beforeEach, expect, it } from 'vitest';

import { serverNames } from '../../orchestrator/registry.js';
import { REPO } from '../helpers/mcp-client.js';
import { runCli } from '../helpers/run-cli.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let home: TempHome;
beforeEach(() => (home = tempHome()));
afterEach(() => home.cleanup());

it('mcp.config.json lists every server as `hearth mcp <name>` in the mcpServers shape', () => {
  const config = JSON.parse(readFileSync(join(REPO, 'mcp.config.json'), 'utf8')) as {
    mcpServers: Record<string, { command: string; args: string[] }>;
  };
  expect(Object.keys(config.mcpServers).sort()).toEqual(
    serverNames()
      .map((n) => `hearth-${n}`)
      .sort(),
  );
  for (const name of serverNames()) expect(config.mcpServers[`hearth-${name}`]).toEqual({ command: 'hearth', args: ['mcp', name] });
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
  for (const entry of Object.values(servers)) {
    expect(isAbsolute(entry.command)).toBe(true);
    expect(existsSync(entry.command)).toBe(true);
    expect(existsSync(entry.args[1]!)).toBe(true);
    expect(entry.args).toContain('--no-node-snapshot');
    expect(entry.env).toEqual({ HEARTH_HOME: home.dir });
    if (client === 'vscode') expect(entry.type).toBe('stdio');
  }
  expect(run.stderr.length).toBeGreaterThan(10); // where to put it
});

it('hearth config claude-code prints one `claude mcp add` per server', async () => {
  const run = await runCli(['config', 'claude-code'], {});
  expect(run.code).toBe(0);
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(serverNames().length);
  for (const line of lines)
    expect(line).toMatch(/^claude mcp add hearth-[a-z]+ -- \/\S+ --no-node-snapshot \/\S+\/bin\/hearth\.js mcp [a-z]+$/);
  expect((await runCli(['config', 'emacs'], {})).code).toBe(2);
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
