// `hearth run` and `hearth runs` refuse bad input before starting anything, with a message that
// names the flag and a hint; `hearth runs` reads saved runs back and prints model text inert.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, expect, it } from 'vitest';

import type { CliIO } from '../../orchestrator/cli-io.js';
import { main } from '../../orchestrator/main.js';
import type { RunRecord } from '../../orchestrator/run/run-record.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let home: TempHome;
beforeEach(() => (home = tempHome()));
afterEach(() => home.cleanup());

function capture(): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    env: { HEARTH_HOME: home.dir },
    out: (text: string) => void (io.stdout += `${text}\n`),
    err: (text: string) => void (io.stderr += `${text}\n`),
  };
  return io;
}

it.each([
  [['run'], 'hearth run: no task given\nhint: Say what to do'],
  [['run', 'x', '--mode', 'yolo'], 'hearth run: --mode: "yolo" is not a mode\nhint: Use one of observe, draft, autopilot.'],
  [['run', 'x', '--max-cost', 'lots'], 'hearth run: --max-cost: "lots" is not a positive number\nhint: For example --max-cost 0.5.'],
  [['run', 'x', '--max-rounds', '2.5'], 'hearth run: --max-rounds: "2.5" is not a positive whole number'],
  [['run', 'x', '--servers', 'memory,mail'], 'hearth run: --servers: no server named mail'],
  [['run', 'x', '--tier', 'huge'], 'hearth run: --tier: "huge" is not a tier'],
  [['runs', 'show', '../../etc'], 'hearth runs: run id: "../../etc" is not a run id'],
  [['runs', 'show', 'r-20261127-204512-ab12'], 'hearth runs: there is no run r-20261127-204512-ab12'],
  [['runs', 'frob'], 'hearth runs: runs frob: unknown action'],
])('%j is refused before anything starts', async (args, message) => {
  const io = capture();
  expect(await main(args, io)).toBe(2);
  expect(io.stderr).toContain(message);
  expect(existsSync(join(home.dir, 'runs'))).toBe(false);
});

it('runs list and show read saved runs back, with model and page text made inert', async () => {
  const id = 'r-20261127-204512-ab12';
  const record: RunRecord = {
    id,
    task: 'apply to the backend role',
    startedAt: '2026-11-27T20:45:12.000Z',
    endedAt: '2026-11-27T20:45:40.000Z',
    mode: 'draft',
    servers: ['memory', 'web'],
    limits: { rounds: 20, tokens: 200000, usd: 0.5 },
    outcome: 'answered',
    reason: 'the model finished',
    answer: 'Applied.\u001b]0;pwned\u0007',
    rounds: 2,
    inputTokens: 100,
    outputTokens: 20,
    usdMicros: 1234,
    models: ['ollama/m'],
    scripted: false,
    calls: [{ round: 1, id: 'c1', name: 'web_navigate', arguments: {}, ok: true, ms: 12, summary: 'opened \u001b[2J page' }],
    approvals: [
      {
        server: 'web',
        tool: 'web_fill_form',
        preview: 'Full name → Ana\u202e',
        decision: 'approved',
        by: 'person',
        at: '2026-11-27T20:45:30.000Z',
      },
    ],
    artifacts: [],
    logged: 'logged as task #1',
    transcript: [],
  };
  mkdirSync(join(home.dir, 'runs', id), { recursive: true });
  writeFileSync(join(home.dir, 'runs', id, 'run.json'), JSON.stringify(record));

  const list = capture();
  expect(await main(['runs', 'list'], list)).toBe(0);
  expect(list.stdout).toMatch(/r-20261127-204512-ab12 +answered +draft +1 calls \$0\.0012 +apply to the backend role/);
  const show = capture();
  expect(await main(['runs', 'show', id], show)).toBe(0);
  expect(show.stdout).toContain('✓ web_navigate (12 ms) — opened \\u001b[2J page');
  expect(show.stdout).toContain('approved by person: web.web_fill_form');
  expect(show.stdout).toContain('Full name → Ana\\u202e');
  expect(show.stdout).toContain('Applied.\\u001b]0;pwned\\u0007');
  expect(show.stdout).not.toMatch(/[\u001b\u202e]/);
});
