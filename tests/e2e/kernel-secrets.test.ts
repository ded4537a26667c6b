// A secret canary placed in the config file and in the environment never appears in any tool
// output, log line, audit row, approval or CLI output — and stdout carries only protocol messages.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { afterEach, beforeEach, expect, it } from 'vitest';

import { connectStdio, REPO } from '../helpers/mcp-client.js';
import { runCli } from '../helpers/run-cli.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

const CONFIG_CANARY = 'canary-config-7f3a9c51';
const ENV_CANARY = 'canary-env-41d2e8b0';
let home: TempHome;
beforeEach(() => {
  home = tempHome();
  writeFileSync(join(home.dir, 'config.json'), JSON.stringify({ secrets: [CONFIG_CANARY], log: { level: 'trace' } }));
});
afterEach(() => home.cleanup());

function expectClean(where: string, text: string): void {
  expect(text, where).not.toContain(CONFIG_CANARY);
  expect(text, where).not.toContain(ENV_CANARY);
  expect(text, where).not.toContain(Buffer.from(CONFIG_CANARY).toString('base64').replace(/=+$/, ''));
}

it('never shows the canary: output, logs, audit, approvals, CLI', async () => {
  const env = { HEARTH_HOME: home.dir, ACME_API_KEY: ENV_CANARY };
  const conn = await connectStdio('tests/fixtures/kernel-stdio.ts', [], env);
  const outputs: unknown[] = [];
  try {
    const text = `config ${CONFIG_CANARY} env ${ENV_CANARY} b64 ${Buffer.from(CONFIG_CANARY).toString('base64')}`;
    outputs.push(await conn.client.callTool({ name: 'test_echo', arguments: { text, times: 2, print: true } }));
    outputs.push(await conn.client.callTool({ name: 'test_echo', arguments: { text, fail: 'crash' } }));
    outputs.push(await conn.client.callTool({ name: 'test_echo', arguments: { text, times: 'bad' } }));
    outputs.push(await conn.client.callTool({ name: 'test_append', arguments: { line: text } }));
    outputs.push(
      await conn.client.callTool({ name: 'test_send', arguments: { to: ENV_CANARY, body: text }, _meta: { 'hearth/dryRun': true } }),
    );
  } finally {
    await conn.close();
  }
  const first = outputs[0] as { content: { text: string }[] };
  expect(first.content[0]!.text).toContain('[REDACTED]');
  expectClean('tool output', JSON.stringify(outputs));
  expect(conn.stderr()).toContain('"level":20'); // debug logging (with arguments) was on, so the logs had their chance
  expect(conn.stderr()).toContain('config [REDACTED] env [REDACTED]'); // what the tool printed with console.log
  expectClean('server logs', conn.stderr());
  for (const file of readdirSync(home.dir).filter((f) => f.startsWith('hearth.db')))
    expectClean(file, readFileSync(join(home.dir, file)).toString('latin1'));
  const cli = [await runCli(['audit', 'tail', '--json'], env), await runCli(['approvals', 'list', '--status', 'all', '--json'], env)];
  expect(cli[1]!.stdout).toContain('[REDACTED]');
  for (const run of cli) expectClean('cli', run.stdout + run.stderr);
});

it('a stdio server writes nothing but protocol messages to stdout', async () => {
  const child = spawn(process.execPath, ['--no-node-snapshot', '--import', 'tsx', resolve(REPO, 'tests/fixtures/kernel-stdio.ts')], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: home.dir, HEARTH_HOME: home.dir, HEARTH_LOG_LEVEL: 'trace' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const send = (msg: object) => child.stdin.write(`${JSON.stringify(msg)}\n`);
  const waitFor = async (id: number) => {
    for (let i = 0; i < 200; i++) {
      if (stdout.includes(`"id":${id}`)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no answer to request ${id}; stderr: ${stderr}`);
  };
  send({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });
  await waitFor(1);
  send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  // Log messages reach a client only once it has chosen a level.
  send({ jsonrpc: '2.0', id: 5, method: 'logging/setLevel', params: { level: 'info' } });
  await waitFor(5);
  send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
  send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'test_echo', arguments: { text: 'printed-noise', print: true } } });
  send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'test_echo', arguments: { text: 'x', fail: 'crash' } } });
  await waitFor(4);
  child.stdin.end();
  await new Promise((r) => child.on('close', r));
  const lines = stdout.split('\n').filter((l) => l.length > 0);
  // Five answers, and the log messages the server sends the client for each tool call: protocol all.
  for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
  expect(lines.filter((l) => (JSON.parse(l) as { id?: number }).id !== undefined)).toHaveLength(5);
  expect(lines.filter((l) => (JSON.parse(l) as { method?: string }).method === 'notifications/message')).toHaveLength(2);
  expect(stderr).toContain('printed-noise');
});
