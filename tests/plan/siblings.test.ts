// The servers a plan reaches start only when something needs them: a plan that names their tools, or
// a step's call. A tool list a server gave is kept in the plan database under the server's identity,
// so a plan is checked without starting it; once the server runs, its live list wins, and a run whose
// plan no longer fits the live list stops with the reason instead of calling.
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { Siblings } from '../../servers/plan/siblings.js';
import { PlanStore } from '../../servers/plan/store.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';
import { type PlanHarness, runOf, siblings as configured, startPlan } from './harness.js';

let home: TempHome;
let store: PlanStore;
const memory = () => ({ ...configured.memory(home.dir), env: {}, hearth: true });
// A server that cannot start: a plan that does not name its tools must never try.
const broken = { command: '/nonexistent/hearth-web', args: [], env: {}, hearth: true };

beforeAll(() => {
  home = tempHome('hearth-siblings-');
  store = new PlanStore(join(home.dir, 'plan.db'));
});
afterAll(() => {
  store?.close();
  home?.cleanup();
});

it('starts only the servers whose tools a plan names', async () => {
  const s = new Siblings({ memory: memory(), web: broken }, { cache: store });
  try {
    const catalog = await s.catalogFor(['memory_remember', 'memory_forget']);
    expect(catalog.get('memory_remember')?.server).toBe('memory');
    expect(s.started()).toEqual(['memory']);
    await expect(s.catalogFor(['web_request'])).rejects.toThrow(/could not reach the web server/);
  } finally {
    await s.close();
  }
}, 60_000);

it('checks a plan against the kept tool list without starting the server, and the running server confirms it', async () => {
  const first = new Siblings({ memory: memory(), web: broken }, { cache: store });
  const stamp = (await first.catalogFor(['memory_recall'])).get('memory_recall')!.stamp;
  await first.close();

  const s = new Siblings({ memory: memory(), web: broken }, { cache: store });
  try {
    const catalog = await s.catalogFor(['memory_recall', 'memory_remember']);
    expect(catalog.get('memory_remember')?.inputSchema).toBeTruthy();
    expect(s.started()).toEqual([]);
    expect(await s.liveStamp('memory')).toBe(stamp);
    expect(s.started()).toEqual(['memory']);
  } finally {
    await s.close();
  }
}, 60_000);

it('lists the tools again when the server is reached differently', async () => {
  const s = new Siblings({ memory: { ...memory(), args: [...memory().args, '--log-level', 'error'] } }, { cache: store });
  try {
    await s.catalogFor(['memory_recall']);
    expect(s.started()).toEqual(['memory']);
  } finally {
    await s.close();
  }
}, 60_000);

it('a misspelt tool is checked against every server as it is now, for the nearest name', async () => {
  const s = new Siblings({ memory: memory() }, { cache: store });
  try {
    const catalog = await s.catalogFor(['memory_remembr']);
    expect(catalog.get('memory_remembr')).toBeUndefined();
    expect(catalog.closest('memory_remembr')).toBe('memory_remember');
  } finally {
    await s.close();
  }
}, 60_000);

let h: PlanHarness;
afterAll(() => h?.close());

/** Rewrites the kept list of the memory server as if it had listed its tools differently the last time. */
function tamperKeptList(edit: (tool: { name: string; description?: string; inputSchema: Record<string, unknown> }) => void): void {
  const db = new Database(join(h.home.dir, 'plan.db'));
  const row = db.prepare(`SELECT tools FROM tool_lists WHERE server = 'memory'`).get() as { tools: string };
  const tools = JSON.parse(row.tools) as { name: string; description?: string; inputSchema: Record<string, unknown> }[];
  edit(tools.find((t) => t.name === 'memory_remember')!);
  db.prepare(`UPDATE tool_lists SET tools = ? WHERE server = 'memory'`).run(JSON.stringify(tools));
  db.close();
}

const rememberPlan = (args: Record<string, unknown>) => ({
  steps: [{ id: 'r', tool: 'memory_remember', args: { namespace: 'kept', key: 'k', value: 'v', ...args } }],
});

it('a run checked against a kept list that differs from the running server checks again, and carries on when it still fits', async () => {
  h = await startPlan({ mode: 'autopilot' });
  expect(runOf(await h.call('plan_run', { plan: rememberPlan({}), waitMs: 60_000 })).state).toBe('completed');
  await h.restart(undefined, () => tamperKeptList((t) => (t.description = 'an older description')));
  const run = runOf(await h.call('plan_run', { plan: rememberPlan({ key: 'k2' }), waitMs: 60_000 }));
  expect(run.state, run.reason ?? '').toBe('completed');
  const status = await h.call('plan_status', { run: run.id, journal: true });
  const events = (status.structured as { journal: { event: string }[] }).journal.map((j) => j.event);
  expect(events).toContain('tools-changed');
}, 120_000);

it('a run whose plan fits only the kept list, not the running server, fails with the reason before calling', async () => {
  await h.restart(undefined, () =>
    tamperKeptList((t) => {
      const properties = (t.inputSchema.properties ?? {}) as Record<string, unknown>;
      t.inputSchema = { ...t.inputSchema, properties: { ...properties, colour: { type: 'string' } } };
    }),
  );
  const checked = await h.call('plan_validate', { plan: rememberPlan({ key: 'k3', colour: 'red' }) });
  expect(checked.isError, checked.text).toBe(false);
  const run = runOf(await h.call('plan_run', { plan: rememberPlan({ key: 'k3', colour: 'red' }), waitMs: 60_000 }));
  expect(run.state).toBe('failed');
  expect(run.reason).toMatch(/memory server's tools changed since the plan was checked, and it no longer validates/);
  expect(run.steps[0]!.error?.code).toBe('CONFLICT');
  expect(run.steps[0]!.attempts).toBe(0);
}, 120_000);
