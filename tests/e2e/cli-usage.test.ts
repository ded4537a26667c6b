// The CLI as a tool: --version from package.json, -h/--help on every command and subcommand (exit 0,
// nothing done), unknown options named, and `hearth doctor` leaving the data folder as it found it.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, expect, it, vi } from 'vitest';

import type { CliIO } from '../../orchestrator/cli-io.js';
import { main } from '../../orchestrator/main.js';
import { REPO } from '../helpers/mcp-client.js';
import { runCli } from '../helpers/run-cli.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

// Each test starts the CLI several times; on a busy machine one start through tsx takes seconds.
vi.setConfig({ testTimeout: 180_000 });

let home: TempHome;
beforeEach(() => (home = tempHome()));
afterEach(() => home.cleanup());

function capture(env: NodeJS.ProcessEnv): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    env,
    out: (text: string) => void (io.stdout += `${text}\n`),
    err: (text: string) => void (io.stderr += `${text}\n`),
  };
  return io;
}

/** Every file and folder under `dir` with its size and modification time. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const s = statSync(path);
      out[path] = `${s.isDirectory() ? 'dir' : s.size} ${s.mtimeMs} ${s.mode}`;
      if (s.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return out;
}

it('hearth --version and -v print the version in package.json', async () => {
  const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-v']) {
    const io = capture({});
    expect(await main([flag], io)).toBe(0);
    expect(io.stdout).toBe(`hearth ${version}\n`);
  }
});

const COMMAND_LINES = [
  [],
  ['mcp'],
  ['mcp', 'memory'],
  ['serve'],
  ['config'],
  ['config', 'claude'],
  ['config', 'http'],
  ['doctor'],
  ['policy'],
  ['policy', 'init'],
  ['policy', 'show'],
  ['policy', 'check'],
  ['approvals'],
  ['approvals', 'list'],
  ['approvals', 'approve', 'apr_x'],
  ['approvals', 'deny', 'apr_x'],
  ['audit'],
  ['audit', 'tail'],
  ['audit', 'verify'],
  ['passphrase'],
  ['passphrase', 'set'],
  ['passphrase', 'clear'],
  ['demo'],
  ['demo', 'tour'],
  ['run'],
  ['runs'],
  ['runs', 'list'],
  ['runs', 'show', 'r-20261127-204512-ab12'],
];

it('-h and --help on every command and subcommand print its usage, exit 0 and do nothing', async () => {
  const dataHome = join(home.dir, 'data');
  for (const line of COMMAND_LINES) {
    for (const flag of ['--help', '-h']) {
      const io = capture({ HEARTH_HOME: dataHome });
      const code = await main([...line, flag], io);
      expect({ line: [...line, flag].join(' '), code, stderr: io.stderr }).toEqual({
        line: [...line, flag].join(' '),
        code: 0,
        stderr: '',
      });
      expect(io.stdout).toContain(line.length ? `hearth ${line[0]}` : 'Usage: hearth <command>');
    }
  }
  // `hearth help <command>` is the same as `hearth <command> --help`.
  const viaHelp = capture({ HEARTH_HOME: dataHome });
  const viaFlag = capture({ HEARTH_HOME: dataHome });
  expect(await main(['help', 'audit'], viaHelp)).toBe(0);
  await main(['audit', '--help'], viaFlag);
  expect(viaHelp.stdout).toBe(viaFlag.stdout);
  expect(readdirSync(home.dir)).toEqual([]);
});

it('an unknown option or a missing value is a usage error that names it and points at --help', async () => {
  const cases: [string[], string][] = [
    [['--frobnicate'], 'hearth: unknown option --frobnicate'],
    [['mcp', 'memory', '--frobnicate'], 'hearth mcp: unknown option --frobnicate\nhint: Run `hearth mcp --help` for its options.'],
    [['doctor', '-x'], 'hearth doctor: unknown option -x\nhint: Run `hearth doctor --help` for its options.'],
    [['config', 'claude', '--mode'], 'hearth config: option --mode needs a value\nhint: Run `hearth config --help` for its options.'],
    [['audit', 'tail', '--json=yes'], 'hearth audit: option --json takes no value\nhint: Run `hearth audit --help` for its options.'],
    [['mcp', 'memory', 'code'], 'hearth mcp: one server per process; got memory code'],
  ];
  for (const [args, message] of cases) {
    const io = capture({ HEARTH_HOME: home.dir });
    expect(await main(args, io)).toBe(2);
    expect(io.stderr.startsWith(message)).toBe(true);
    expect(io.stdout).toBe('');
  }
});

it('hearth demo refuses a flag it would ignore and never clears a folder it did not make', async () => {
  const io = capture({ HEARTH_HOME: home.dir });
  expect(await main(['demo', '--home', join(home.dir, 'data')], io)).toBe(2);
  expect(io.stderr).toContain('hearth demo: --home is not used; the demo keeps its data, policy and settings in --dir');

  // A folder with someone's files in it is left exactly as it was.
  const theirs = join(home.dir, 'theirs');
  mkdirSync(join(theirs, 'notes'), { recursive: true });
  writeFileSync(join(theirs, 'notes', 'plan.md'), 'mine');
  const before = snapshot(theirs);
  for (const line of [
    ['demo', '--dir', theirs],
    ['demo', 'tour', '--dir', theirs],
  ]) {
    const refused = capture({ HEARTH_HOME: home.dir });
    expect(await main(line, refused)).toBe(2);
    expect(refused.stderr).toContain(`--dir: ${theirs} holds files the demo did not make`);
  }
  expect(snapshot(theirs)).toEqual(before);
});

it('hearth doctor changes nothing: a missing data folder stays missing, an existing one is left as it was', async () => {
  // The full check, Chromium launch included, as a person runs it.
  const missing = join(home.dir, 'not-yet');
  const first = await runCli(['doctor', '--json'], { HEARTH_HOME: missing });
  const dataCheck = (JSON.parse(first.stdout) as { name: string; status: string; detail: string }[]).find(
    (r) => r.name === 'data directory',
  )!;
  expect(dataCheck).toMatchObject({ status: 'ok', detail: expect.stringContaining('not created yet') });
  expect(readdirSync(home.dir)).toEqual([]);

  const existing = join(home.dir, 'data');
  mkdirSync(join(existing, 'web'), { recursive: true });
  writeFileSync(join(existing, 'policy.json'), JSON.stringify({ version: 1, mode: 'observe' }));
  writeFileSync(join(existing, 'web', 'note.txt'), 'kept');
  const before = snapshot(home.dir);
  const second = await runCli(['doctor', '--no-launch'], { HEARTH_HOME: existing });
  expect(second.stdout).toMatch(/✓ policy +\S+policy\.json: mode observe/);
  expect(snapshot(home.dir)).toEqual(before);
});
