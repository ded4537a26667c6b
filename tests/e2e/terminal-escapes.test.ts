// What a model supplied never drives the person's terminal. A queued code_run whose code carries
// screen-clearing, cursor-moving and text-hiding escape sequences, a carriage return, a C1 CSI, a
// window-title sequence and a bidi override is shown by `hearth approvals show`, `list`, the
// interactive `approve` (in a real pseudo-terminal) and `hearth audit tail`: every one of those
// characters arrives as a visible \uXXXX escape, never as the character itself.
import { resolve } from 'node:path';

import { spawn as spawnPty } from '@lydell/node-pty';
import { InMemoryTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { inert } from '../../lib/terminal-text.js';
import { createServer } from '../../servers/code/index.js';
import { loadConfig } from '../../shared/config.js';
import type { HearthServer } from '../../shared/server.js';
import { connectStdio, newClient, REPO } from '../helpers/mcp-client.js';
import { runCli } from '../helpers/run-cli.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

const ESC = '\u001b';
// Clears what was shown above, homes the cursor, hides what follows, overwrites a line, sets the
// window title, uses the 8-bit CSI, and reverses the display order of the rest of the line.
const HOSTILE_CODE = [
  `workspace.writeText('notes.txt', 'harmless');`,
  `/*${ESC}[2J${ESC}[H${ESC}[8m*/ workspace.delete('important.csv'); /*${ESC}[0m*/`,
  `// looks fine\r// overwritten`,
  `/*${ESC}]0;all good${'\u0007'}\u009b2J\u202e*/`,
].join('\n');
const RAW = [`${ESC}[2J`, `${ESC}[H`, `${ESC}[8m`, `${ESC}]0;`, '\u0007', '\u009b', '\u202e', '\r// overwritten'];

function expectInert(where: string, text: string): void {
  for (const raw of RAW) expect(text.includes(raw), `${where} contains ${JSON.stringify(raw)}`).toBe(false);
}

let home: TempHome;
let server: HearthServer;
let approvalId: string;

beforeAll(async () => {
  home = tempHome('hearth-terminal-');
  home.policy({ mode: 'draft' });
  const { config } = loadConfig({ home: home.dir, set: [], logLevel: 'warn' }, { HEARTH_HOME: home.dir });
  server = createServer(config);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect('in-process').connect(serverSide);
  const client = newClient();
  await client.connect(clientSide);
  const queued = await client.callTool({ name: 'code_run', arguments: { code: HOSTILE_CODE } });
  approvalId = (queued.structuredContent as { approval: { id: string } }).approval.id;
  // A tool name is model input too, and the audit log keeps it.
  await client.callTool({ name: `x${ESC}]0;owned${'\u0007'}${ESC}[2J` }).catch(() => undefined);
  await client.close();
});

afterAll(async () => {
  await server?.close();
  home?.cleanup();
});

describe('the terminal sees model input only as inert text', () => {
  const env = () => ({ HEARTH_HOME: home.dir });

  it('hearth approvals show and list', async () => {
    const show = await runCli(['approvals', 'show', approvalId], env());
    expect(show.code).toBe(0);
    expectInert('show', show.stdout);
    expect(show.stdout).toContain('\\u001b[2J\\u001b[H\\u001b[8m');
    expect(show.stdout).toContain('// looks fine\\u000d// overwritten');
    expect(show.stdout).toContain('\\u202e');
    const list = await runCli(['approvals', 'list'], env());
    expectInert('list', list.stdout);
    const json = await runCli(['approvals', 'show', approvalId, '--json'], env());
    expectInert('show --json', json.stdout);
    // Still the same JSON: the escapes are JSON's own.
    const parsed = JSON.parse(json.stdout) as { preview: { changes: { source?: string }[] } };
    expect(parsed.preview.changes[0]!.source).toBe(HOSTILE_CODE);
  });

  it('hearth approvals approve on a terminal, answered no', async () => {
    const pty = spawnPty(
      process.execPath,
      ['--no-node-snapshot', '--import', 'tsx', resolve(REPO, 'orchestrator/cli.ts'), 'approvals', 'approve', approvalId],
      {
        cwd: REPO,
        cols: 120,
        rows: 40,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HEARTH_HOME: home.dir, TERM: 'xterm-256color' },
      },
    );
    let screen = '';
    let answered = false;
    pty.onData((data) => {
      screen += data;
      if (!answered && screen.includes('[y/N]')) {
        answered = true;
        pty.write('n\r');
      }
    });
    const code = await new Promise<number>((done) => pty.onExit(({ exitCode }) => done(exitCode)));
    expect(answered, screen).toBe(true);
    expect(code).toBe(1);
    expect(screen).toContain('not approved');
    expectInert('approve prompt', screen);
    expect(screen).toContain('\\u001b[2J');
  });

  it('hearth audit tail, including a tool name the model made up', async () => {
    const tail = await runCli(['audit', 'tail', '-n', '50'], env());
    expect(tail.code).toBe(0);
    expectInert('audit tail', tail.stdout);
    expect(tail.stdout).toContain('x\\u001b]0;owned\\u0007\\u001b[2J');
  });
});

describe('a stdio server’s stderr', () => {
  it('carries log lines and stray console output inert', async () => {
    const conn = await connectStdio('tests/fixtures/kernel-stdio.ts', [], { HEARTH_HOME: home.dir, HEARTH_LOG_LEVEL: 'trace' });
    try {
      const text = `printed ${ESC}[2J${ESC}[8m hidden \u009b2J \u202e`;
      const result = await conn.client.callTool({ name: 'test_echo', arguments: { text, print: true } });
      expect(result.isError).toBeFalsy();
    } finally {
      await conn.close();
    }
    expect(conn.stderr()).toContain('printed \\u001b[2J');
    expectInert('stderr', conn.stderr());
  });
});

describe('inert', () => {
  it('escapes every control a terminal acts on and keeps newlines, tabs and ordinary text', () => {
    expect(inert('a\tb\nc')).toBe('a\tb\nc');
    expect(inert('naïve café — 日本語 🙂')).toBe('naïve café — 日本語 🙂');
    expect(inert(`${ESC}[31mred`)).toBe('\\u001b[31mred');
    for (let code = 0; code < 0x20; code++) {
      if (code === 0x09 || code === 0x0a) continue;
      expect(inert(String.fromCharCode(code))).toBe(`\\u${code.toString(16).padStart(4, '0')}`);
    }
    for (let code = 0x7f; code <= 0x9f; code++) expect(inert(String.fromCharCode(code))).toMatch(/^\\u00[7-9][0-9a-f]$/);
    for (const c of [
      '\u202a',
      '\u202b',
      '\u202c',
      '\u202d',
      '\u202e',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
      '\u200e',
      '\u200f',
      '\u061c',
    ])
      expect(inert(c)).toMatch(/^\\u[0-9a-f]{4}$/);
  });
});
