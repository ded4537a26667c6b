// plan_cancel with mode abort stops the call in flight: the code server is told to stop the run (MCP request
// cancellation), and the proof is on its side — a loop that writes a heartbeat to its workspace stops
// writing. Then the completed steps are undone.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { REPO } from '../helpers/mcp-client.js';
import { type PlanHarness, runOf, siblings, startPlan } from './harness.js';

let h: PlanHarness;
beforeAll(
  async () =>
    (h = await startPlan({
      mode: 'autopilot',
      servers: (home) => ({
        memory: siblings.memory(home),
        code: {
          command: process.execPath,
          args: ['--no-node-snapshot', `${REPO}/bin/hearth.js`, 'mcp', 'code', '--home', home, '--log-level', 'warn'],
        },
      }),
    })),
  120_000,
);
afterAll(() => h?.close());

// Writes the loop count to beat.txt every 20 ms until the code server's wall limit (10 s by default,
// 500 beats) stops it, unless the cancel does first.
const LOOP = `let n = 0; const end = Date.now() + 60000;
while (Date.now() < end) { n++; workspace.writeText('beat.txt', String(n)); const t = Date.now() + 20; while (Date.now() < t) {} }
n`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('cancel aborts a long code run on the code server, then undoes the completed steps', async () => {
  const beat = join(h.home.dir, 'code', 'workspaces', 'scratch', 'beat.txt');
  const plan = {
    steps: [
      {
        id: 'note',
        tool: 'memory_remember',
        args: { namespace: 'cancel', key: 'k', value: 'v' },
        compensate: { tool: 'memory_forget', args: { namespace: 'cancel', keys: ['k'] } },
      },
      { id: 'loop', tool: 'code_run', args: { code: LOOP } },
      { id: 'after', tool: 'memory_remember', args: { namespace: 'cancel', key: 'after', value: 'v' } },
    ],
  };
  const started = runOf(await h.call('plan_run', { plan }));
  for (let i = 0; i < 600 && !existsSync(beat); i++) await sleep(50);
  expect(existsSync(beat), 'the loop never started').toBe(true);
  const cancelled = runOf(await h.call('plan_cancel', { run: started.id, mode: 'abort', waitMs: 60_000 }));
  expect(cancelled.state, cancelled.reason ?? '').toBe('cancelled');
  const byId = Object.fromEntries(cancelled.steps.map((s) => [s.id, s]));
  expect(byId.note!.state).toBe('compensated');
  expect(byId.loop!.state).toBe('failed');
  expect(byId.loop!.error?.code).toBe('CANCELLED');
  expect(byId.after!.state).toBe('pending');
  // The server stopped the run: the heartbeat no longer moves.
  await sleep(300);
  const stoppedAt = readFileSync(beat, 'utf8');
  await sleep(1_500);
  expect(readFileSync(beat, 'utf8')).toBe(stoppedAt);
  expect(Number(stoppedAt)).toBeLessThan(400); // stopped well before the wall limit would have
}, 120_000);
