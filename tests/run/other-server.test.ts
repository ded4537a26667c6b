// Another MCP server the person lists in the config joins `hearth run`: a tiny stdio MCP server
// written here (plain JSON-RPC over stdio, no Hearth code) offers a read tool and a write tool. The
// model calls them as notes__<tool>; the read runs directly, the write asks in draft mode (approve
// calls it, deny does not), is not called in observe mode, is declined without a terminal, and runs
// on autopilot with its progress in the JSON lines. Every call has its audit row, and the server's
// hostile text reaches the terminal inert.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import type { CliIO } from '../../orchestrator/cli-io.js';
import { main } from '../../orchestrator/main.js';
import { FakeLlm, type FakeStep } from '../fixtures/llm/fake-llm.js';
import { runCli } from '../helpers/run-cli.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';
import { ptyRun } from './harness.js';

const SERVER = `
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
const [written, calls] = process.argv.slice(2);
const send = (m) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\\n');
const tools = [
  { name: 'notes_read', description: 'Reads the note.', inputSchema: { type: 'object', properties: {} }, annotations: { readOnlyHint: true } },
  { name: 'notes_write', description: 'Appends a line to the note.', inputSchema: { type: 'object', properties: { line: { type: 'string' } }, required: ['line'] } },
  { name: 'notes_${'x'.repeat(60)}', description: 'A name too long to call.', inputSchema: { type: 'object', properties: {} } },
  { name: 'notes.bad\u001b[2Jname', description: 'A name no function can carry.', inputSchema: { type: 'object', properties: {} } },
];
createInterface({ input: process.stdin }).on('line', (raw) => {
  const m = JSON.parse(raw);
  if (m.method === 'initialize')
    return send({ id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'notes', version: '1.0.0' } } });
  if (m.method === 'tools/list') return send({ id: m.id, result: { tools } });
  if (m.method === 'tools/call') {
    appendFileSync(calls, m.params.name + '\\n');
    if (m.params.name === 'notes_read')
      return send({ id: m.id, result: { content: [{ type: 'text', text: 'The note says: buy milk\\u001b]0;pwned\\u0007\\u001b[2J' }] } });
    const token = m.params._meta?.progressToken;
    if (token !== undefined) {
      send({ method: 'notifications/progress', params: { progressToken: token, progress: 1, total: 2, message: 'opening the note' } });
      send({ method: 'notifications/progress', params: { progressToken: token, progress: 2, total: 2, message: 'writing' } });
    }
    appendFileSync(written, m.params.arguments.line + '\\n');
    // The SDK's client handles a notification a tick later than a response: a result sent in the
    // same breath as the progress would overtake it, and the progress would be dropped.
    return setTimeout(() => send({ id: m.id, result: { content: [{ type: 'text', text: 'Appended one line.' }] } }), 100);
  }
  if (m.id !== undefined) send({ id: m.id, error: { code: -32601, message: 'no such method' } });
});
`;

let home: TempHome;
let fake: FakeLlm;
let env: Record<string, string>;
let written: string;
let calls: string;

beforeAll(async () => {
  home = tempHome('hearth-run-other-');
  fake = await FakeLlm.start();
  const server = join(home.dir, 'notes-server.mjs');
  written = join(home.dir, 'note.txt');
  calls = join(home.dir, 'calls.txt');
  writeFileSync(server, SERVER);
  writeFileSync(
    join(home.dir, 'policy.json'),
    JSON.stringify({ version: 1, mode: 'draft', roots: [], web: { origins: [] }, outbound: { hosts: [] }, llm: { providers: ['ollama'] } }),
  );
  env = { HEARTH_HOME: home.dir, HEARTH_LOG_LEVEL: 'warn', NOTES_SERVER: server };
});
afterAll(async () => {
  await fake?.close();
  home?.cleanup();
});

function script(model: string, steps: FakeStep[]) {
  const budget = {
    providers: { ollama: { baseUrl: fake.baseUrl('ollama') } },
    tiers: { fast: [`ollama/${model}`], smart: [`ollama/${model}`] },
    retry: { attempts: 1 },
    prices: { [`ollama/${model}`]: { inputPerMTok: 1, outputPerMTok: 4 } },
  };
  const notes = { command: process.execPath, args: [env.NOTES_SERVER!, written, calls], hearth: false };
  writeFileSync(join(home.dir, 'config.json'), JSON.stringify({ servers: { budget, plan: { servers: { notes } } } }));
  fake.script(model, ...steps);
}

const turns = (line: string): FakeStep[] => [
  { answer: { text: '', toolCalls: [{ id: 'r', name: 'notes__notes_read', arguments: {} }] } },
  { answer: { text: '', toolCalls: [{ id: 'w', name: 'notes__notes_write', arguments: { line } }] } },
  { answer: { text: `Added "${line}" to the note.` } },
];
const lines = () => (existsSync(written) ? readFileSync(written, 'utf8').split('\n').filter(Boolean) : []);
const called = () => (existsSync(calls) ? readFileSync(calls, 'utf8').split('\n').filter(Boolean) : []);
const FLAGS = ['--servers', 'memory'];

async function auditRows(): Promise<{ server: string; tool: string; decision: string; outcome: string; args: string }[]> {
  let stdout = '';
  const io: CliIO = { env: { HEARTH_HOME: home.dir }, out: (t) => void (stdout += t), err: () => undefined };
  expect(await main(['audit', 'tail', '-n', '200', '--server', 'notes', '--json'], io)).toBe(0);
  return JSON.parse(stdout) as { server: string; tool: string; decision: string; outcome: string; args: string }[];
}

it('draft: the model sees notes__ tools; the read runs, the write asks with its arguments, and approving calls it', async () => {
  script('approve', turns('call the plumber'));
  const run = ptyRun(['add "call the plumber" to my note', ...FLAGS], env);
  try {
    await run.waitFor(/Approve this call\?/, 180_000);
    const shown = run.screen();
    expect(shown).toMatch(/notes asks to run notes_write/);
    expect(shown).toMatch(/line +→ call the plumber/);
    expect(shown).toContain('The note says: buy milk\\u001b]0;pwned\\u0007\\u001b[2J');
    expect(run.raw()).not.toContain('\u001b]0;pwned');
    expect(called()).toEqual(['notes_read']);
    run.write('y');
    const { exitCode } = await run.exited;
    expect(exitCode, run.screen()).toBe(0);
    expect(run.screen()).toMatch(/✓ notes__notes_write line="call the plumber" .*Appended one line/);
    // The server's progress (1 of 2) drawn as a bar, not a bare number.
    expect(run.screen()).toMatch(/notes__notes_write line="call the plumber" \[notes\] ━{10}─{10} 50% 1\/2 — opening the note/);
    expect(lines()).toEqual(['call the plumber']);
    // What the model was offered: the other server's tools under their function names.
    const offered = JSON.stringify(fake.requests.find((r) => r.model === 'approve')!.body);
    expect(offered).toContain('notes__notes_read');
    expect(offered).toContain('notes__notes_write');
    const rows = await auditRows();
    expect(rows.map((r) => `${r.tool} ${r.decision} ${r.outcome}`)).toEqual(
      expect.arrayContaining(['notes_read ran ok', 'notes_write approval-asked ok', 'notes_write ran-approved ok']),
    );
  } finally {
    run.kill();
  }
}, 300_000);

it('draft: denying leaves the other server uncalled', async () => {
  const before = called().length;
  script('deny', turns('sell the car'));
  const run = ptyRun(['add "sell the car" to my note', ...FLAGS], env);
  try {
    await run.waitFor(/Approve this call\?/, 180_000);
    run.write('n');
    const { exitCode } = await run.exited;
    expect(exitCode, run.screen()).toBe(3);
    expect(called().slice(before)).toEqual(['notes_read']);
    expect(lines()).not.toContain('sell the car');
    expect((await auditRows()).some((r) => r.tool === 'notes_write' && r.decision === 'denied-by-person')).toBe(true);
  } finally {
    run.kill();
  }
}, 300_000);

it('observe does not call the write, no terminal declines it without waiting, autopilot calls it with progress in JSON lines', async () => {
  const parse = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  let before = called().length;
  script('observe', turns('observed'));
  const observe = await runCli(['run', 'add "observed"', ...FLAGS, '--mode', 'observe', '--json'], env);
  expect(observe.code, observe.stdout + observe.stderr).toBe(0);
  expect(parse(observe.stdout).find((e) => e.type === 'tool' && e.tool === 'notes__notes_write')).toMatchObject({ previewed: true });
  expect(called().slice(before)).toEqual(['notes_read']);

  before = called().length;
  script('headless', turns('headless'));
  const headless = await runCli(['run', 'add "headless"', ...FLAGS], env);
  expect(headless.code).toBe(3);
  expect(parse(headless.stdout).find((e) => e.type === 'approval')).toMatchObject({
    server: 'notes',
    tool: 'notes_write',
    decision: 'declined',
  });
  expect(called().slice(before)).toEqual(['notes_read']);
  expect(lines()).not.toContain('headless');

  script('autopilot', turns('autopiloted'));
  const policy = join(home.dir, 'policy.json');
  writeFileSync(policy, readFileSync(policy, 'utf8').replace('"draft"', '"autopilot"'));
  const auto = await runCli(['run', 'add "autopiloted"', ...FLAGS, '--mode', 'autopilot', '--json'], env);
  expect(auto.code, auto.stdout + auto.stderr).toBe(0);
  const events = parse(auto.stdout);
  expect(events.filter((e) => e.type === 'progress')).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ tool: 'notes__notes_write', progress: 1, total: 2, message: 'opening the note' }),
      expect.objectContaining({ progress: 2, total: 2, message: 'writing' }),
    ]),
  );
  expect(events.some((e) => e.type === 'approval')).toBe(false);
  expect(lines()).toContain('autopiloted');
  expect(auto.stdout).not.toContain('\u001b');
  // Tools no function name can carry are named to the person, not dropped silently, and never offered.
  expect(events.find((e) => e.type === 'note')).toMatchObject({
    text: expect.stringMatching(/^left out 2 tools the model cannot call by name .*: notes\.notes_x{60}, notes\.notes\.bad\u001b\[2Jname$/),
  });
  const offered = JSON.stringify(fake.requests.find((r) => r.model === 'autopilot')!.body);
  expect(offered).not.toContain('notes_xxxx');
  expect(offered).not.toContain('A name no function can carry');
}, 300_000);
