// `hearth run --plan` in a real pseudo-terminal against a fake Ollama scripted with the model's
// turns: the model hands over a plan, Hearth validates it through the plan server (one fix allowed),
// shows the simulation and asks once. Approving runs it (the fact is in memory), denying changes
// nothing, observe only simulates, a plan still invalid after one fix ends with a clear error, and
// without a terminal nothing waits.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { FakeLlm, type FakeStep } from '../fixtures/llm/fake-llm.js';
import { connectStdio } from '../helpers/mcp-client.js';
import { runCli } from '../helpers/run-cli.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';
import { ptyRun } from './harness.js';

let home: TempHome;
let fake: FakeLlm;
let env: Record<string, string>;

beforeAll(async () => {
  home = tempHome('hearth-run-plan-');
  fake = await FakeLlm.start();
  mkdirSync(home.dir, { recursive: true });
  writeFileSync(
    join(home.dir, 'policy.json'),
    JSON.stringify({ version: 1, mode: 'draft', roots: [], web: { origins: [] }, outbound: { hosts: [] }, llm: { providers: ['ollama'] } }),
  );
  env = { HEARTH_HOME: home.dir, HEARTH_LOG_LEVEL: 'warn' };
});
afterAll(async () => {
  await fake?.close();
  home?.cleanup();
});

/** Points the budget server at a fresh model name and queues its turns. */
function script(model: string, steps: FakeStep[]) {
  const budget = {
    providers: { ollama: { baseUrl: fake.baseUrl('ollama') } },
    tiers: { fast: [`ollama/${model}`], smart: [`ollama/${model}`] },
    retry: { attempts: 1 },
    prices: { [`ollama/${model}`]: { inputPerMTok: 1, outputPerMTok: 4 } },
  };
  writeFileSync(join(home.dir, 'config.json'), JSON.stringify({ servers: { budget } }));
  fake.script(model, ...steps);
}

const planFor = (key: string, value: string, tool = 'memory_remember') => ({
  name: `remember ${key}`,
  steps: [
    { id: 'save', tool, args: { namespace: 'plan-run', key, value } },
    { id: 'check', tool: 'memory_recall', args: { namespace: 'plan-run', key }, post: 'size(output.facts) == 1' },
  ],
});
const submit = (plan: unknown, id = 'p1'): FakeStep => ({
  answer: { text: '', toolCalls: [{ id, name: 'submit_plan', arguments: { plan } }] },
});

async function recall(key: string): Promise<string[]> {
  const c = await connectStdio('orchestrator/cli.ts', ['mcp', 'memory'], env);
  try {
    const r = await c.client.callTool({ name: 'memory_recall', arguments: { namespace: 'plan-run', key } });
    return ((r.structuredContent as { facts?: { value: string }[] }).facts ?? []).map((f) => f.value);
  } finally {
    await c.close();
  }
}

const FLAGS = ['--plan', '--servers', 'memory'];

it('approve: the simulated plan is shown once with its change, and approving runs it step by step', async () => {
  script('approve', [submit(planFor('color', 'teal'))]);
  const run = ptyRun(['remember that my favourite colour is teal', ...FLAGS], env);
  try {
    await run.waitFor(/Approve this call\?/, 180_000);
    const shown = run.screen();
    expect(shown).toMatch(/the plan, simulated \(nothing has changed\)/);
    expect(shown).toMatch(/1\. save — memory_remember \(write\) would-run/);
    expect(shown).toContain('teal');
    expect(shown).toContain('(the simulated plan shown above)');
    expect(shown.match(/Approve this call\?/g)).toHaveLength(1);
    run.write('y');
    const { exitCode } = await run.exited;
    const screen = run.screen();
    expect(exitCode, screen).toBe(0);
    expect(screen).toMatch(/✓ step 1\/2 save — memory_remember done/);
    expect(screen).toMatch(/✓ step 2\/2 check — memory_recall done/);
    expect(screen).toMatch(/answered: the plan completed \(run /);
    expect(screen).toMatch(/approvals: 1 asked, 1 approved, 0 denied/);
    expect(await recall('color')).toEqual(['teal']);
  } finally {
    run.kill();
  }
}, 300_000);

it('deny: the person says no to the plan and nothing changes', async () => {
  script('deny', [submit(planFor('pet', 'cat'))]);
  const run = ptyRun(['remember that my pet is a cat', ...FLAGS], env);
  try {
    await run.waitFor(/Approve this call\?/, 180_000);
    run.write('n');
    const { exitCode } = await run.exited;
    const screen = run.screen();
    expect(exitCode, screen).toBe(3);
    expect(screen).toMatch(/denied: the person declined the plan; nothing ran/);
    expect(screen).not.toMatch(/✓ step 1\/2/);
    expect(await recall('pet')).toEqual([]);
  } finally {
    run.kill();
  }
}, 300_000);

it('observe: the plan is only simulated, nobody is asked, nothing changes', async () => {
  script('observe', [submit(planFor('city', 'Lisbon'))]);
  const run = ptyRun(['remember that I live in Lisbon', ...FLAGS, '--mode', 'observe'], env);
  try {
    const { exitCode } = await run.exited;
    const screen = run.screen();
    expect(exitCode, screen).toBe(0);
    expect(screen).toMatch(/1\. save — memory_remember \(write\) would-run/);
    expect(screen).toMatch(/observe mode: the plan was validated and simulated; nothing ran/);
    expect(screen).not.toContain('Approve this call?');
    expect(await recall('city')).toEqual([]);
  } finally {
    run.kill();
  }
}, 300_000);

it('a validation error goes back to the model once; a plan still wrong after that ends with a clear error', async () => {
  const wrong = planFor('tea', 'green', 'memory_memorize');
  script('fixes', [submit(wrong, 'a'), submit(planFor('tea', 'green'), 'b')]);
  const before = fake.requests.length;
  const fixed = await runCli(['run', 'remember I like green tea', ...FLAGS, '--mode', 'observe', '--json'], env);
  const events = fixed.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
  const asked = fake.requests.slice(before).filter((r) => r.model === 'fixes');
  expect(asked).toHaveLength(2);
  expect(JSON.stringify(asked[1]!.body)).toContain('memory_memorize');
  expect(JSON.stringify(asked[1]!.body)).toMatch(/Fix the plan and call submit_plan again/);
  expect(events.find((e) => e.type === 'plan-report')).toBeDefined();
  expect(events.at(-1)).toMatchObject({ type: 'end', outcome: 'answered' });

  script('stubborn', [submit(wrong, 'a'), submit(wrong, 'b')]);
  const failed = await runCli(['run', 'remember I like green tea', ...FLAGS, '--json'], env);
  const end = JSON.parse(failed.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  expect(failed.code).toBe(1);
  expect(end).toMatchObject({ type: 'end', outcome: 'failed' });
  expect(String(end.reason)).toMatch(/still not valid after one fix: .*memory_memorize/);
  expect(failed.stdout + failed.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
}, 300_000);

it('without a terminal it never waits: the plan approval is declined in JSON lines and nothing changes', async () => {
  script('headless', [submit(planFor('tool', 'hammer'))]);
  const run = await runCli(['run', 'remember my tool is a hammer', ...FLAGS], env);
  const events = run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(run.code, run.stdout + run.stderr).toBe(3);
  expect(events.find((e) => e.type === 'approval')).toMatchObject({ tool: 'plan_run', decision: 'declined' });
  expect(events.at(-1)).toMatchObject({ type: 'end', outcome: 'denied' });
  expect(await recall('tool')).toEqual([]);
}, 300_000);
