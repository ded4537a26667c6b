// `hearth plan validate|simulate|run|status|list|cancel|resume` through the built CLI (bin/hearth.js,
// which loads dist/: build first), as a person types them: stdin is a pipe, never a terminal, so
// nothing may wait for an answer. A bad plan file is an error naming the step, the field and the fix.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { REPO } from '../helpers/mcp-client.js';
import { type CliRun, runProcess } from '../helpers/run-cli.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let home: TempHome;
let draftHome: TempHome;

function hearth(h: TempHome, args: string[]): Promise<CliRun> {
  // Not a terminal, and nothing to read.
  return runProcess(process.execPath, ['--no-node-snapshot', join(REPO, 'bin', 'hearth.js'), ...args], {
    cwd: h.dir,
    env: { HEARTH_HOME: h.dir },
  });
}

const plan = {
  name: 'garden',
  inputs: { topic: { type: 'string' } },
  steps: [
    {
      id: 'save',
      tool: 'memory_remember',
      args: { namespace: 'cli', key: { $input: 'topic' }, value: 'water the roses' },
      compensate: { tool: 'memory_forget', args: { namespace: 'cli', keys: [{ $input: 'topic' }] } },
    },
    { id: 'read', tool: 'memory_recall', args: { namespace: 'cli' } },
  ],
  outputs: { facts: { $ref: 'steps.read.output.facts' } },
};

beforeAll(() => {
  home = tempHome('hearth-plan-cli-');
  home.policy({ mode: 'autopilot' });
  writeFileSync(join(home.dir, 'plan.json'), JSON.stringify(plan));
  draftHome = tempHome('hearth-plan-cli-draft-');
  draftHome.policy({ mode: 'draft' });
  writeFileSync(join(draftHome.dir, 'plan.json'), JSON.stringify(plan));
});
afterAll(() => {
  home?.cleanup();
  draftHome?.cleanup();
});

it('validate and simulate a good plan', async () => {
  const valid = await hearth(home, ['plan', 'validate', 'plan.json']);
  expect(valid.code, valid.stderr).toBe(0);
  expect(valid.stdout).toContain('The plan is valid: 2 steps (save → read)');
  const sim = await hearth(home, ['plan', 'simulate', 'plan.json', '--input', 'topic=roses']);
  expect(sim.code, sim.stderr).toBe(0);
  expect(sim.stdout).toContain('save');
  expect(sim.stdout).toContain('roses');
}, 120_000);

it('a bad plan file names the step, the field and the fix', async () => {
  const bad = { steps: [{ id: 'save', tool: 'memory_remember', args: { namespace: 'cli', key: 'k' } }] };
  writeFileSync(join(home.dir, 'bad.json'), JSON.stringify(bad));
  const missing = await hearth(home, ['plan', 'validate', 'bad.json']);
  expect(missing.code).toBe(1);
  expect(missing.stdout).toMatch(/step save, steps\[0\]\.args\.value: .+\. Fix: .+/);

  const typo = { steps: [{ id: 'save', tool: 'memory_remembr', args: {} }] };
  writeFileSync(join(home.dir, 'typo.json'), JSON.stringify(typo));
  const unknown = await hearth(home, ['plan', 'validate', 'typo.json']);
  expect(unknown.code).toBe(1);
  expect(unknown.stdout).toMatch(/step save, steps\[0\]\.tool: .*memory_remembr.*Fix: .*memory_remember/);

  writeFileSync(join(home.dir, 'broken.json'), '{"steps": [');
  const broken = await hearth(home, ['plan', 'validate', 'broken.json']);
  expect(broken.code).not.toBe(0);
  expect(broken.stderr + broken.stdout).toMatch(/plan.*broken\.json is not a JSON object[\s\S]*JSON linter/);

  const absent = await hearth(home, ['plan', 'run', 'absent.json']);
  expect(absent.code).not.toBe(0);
  expect(absent.stderr + absent.stdout).toMatch(/cannot read absent\.json[\s\S]*path of a JSON file/);
}, 120_000);

it('run, status, list, then cancel and resume refuse a finished run', async () => {
  const ran = await hearth(home, ['plan', 'run', 'plan.json', '--input', 'topic=roses', '--json']);
  expect(ran.code, ran.stderr).toBe(0);
  const run = (JSON.parse(ran.stdout) as { run: { id: string; state: string; outputs: { facts: { key: string }[] } } }).run;
  expect(run.state).toBe('completed');
  expect(run.outputs.facts.map((f) => f.key)).toContain('roses');

  const status = await hearth(home, ['plan', 'status', run.id]);
  expect(status.code, status.stderr).toBe(0);
  expect(status.stdout).toContain(`${run.id} (garden) completed — 2/2 steps`);

  const list = await hearth(home, ['plan', 'list', '--state', 'completed']);
  expect(list.code, list.stderr).toBe(0);
  expect(list.stdout).toContain(run.id);

  const cancel = await hearth(home, ['plan', 'cancel', run.id]);
  expect(cancel.code).toBe(1);
  expect(cancel.stdout).toContain(`run ${run.id} is already completed`);

  const resume = await hearth(home, ['plan', 'resume', run.id]);
  expect(resume.code).toBe(1);
  expect(resume.stdout).toContain('not paused');

  const nope = await hearth(home, ['plan', 'status', 'no-such-run']);
  expect(nope.code).toBe(1);
}, 180_000);

it('in draft mode a run without a terminal does not wait for an answer: it says where the approval waits', async () => {
  const ran = await hearth(draftHome, ['plan', 'run', 'plan.json', '--input', 'topic=roses']);
  expect(ran.code).toBe(1);
  expect(ran.stdout).toMatch(/APPROVAL_REQUIRED: plan_run needs a person's approval[\s\S]*hearth approvals approve apr_/);
  expect(ran.stdout).toContain('Simulation (nothing was changed)');
  // Nothing started: no run, and the approval waits in the queue.
  const list = await hearth(draftHome, ['plan', 'list', '--json']);
  expect(JSON.parse(list.stdout)).toEqual({ runs: [] });
}, 180_000);
