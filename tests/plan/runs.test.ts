// Runs through real servers: retries, compensation in reverse, a failing undo that pauses, cancel
// that lets the call in flight finish or aborts it and undoes, and what simulate leaves behind (nothing).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { type PlanHarness, runOf, startPlan } from './harness.js';

let h: PlanHarness;
beforeAll(async () => (h = await startPlan({ mode: 'autopilot' })), 120_000);
afterAll(() => h?.close());

const remember = (id: string, key: string) => ({
  id,
  tool: 'memory_remember',
  args: { namespace: 'runs', key, value: `value of ${key}` },
  compensate: { tool: 'memory_forget', args: { namespace: 'runs', keys: [key] } },
});

async function facts(keys: string[]): Promise<string[]> {
  const plan = { steps: [{ id: 'r', tool: 'memory_recall', args: { namespace: 'runs' } }] };
  const run = runOf(await h.call('plan_run', { plan, waitMs: 60_000 }));
  const output = run.steps[0]!.output as { facts: { key: string }[] };
  return output.facts.map((f) => f.key).filter((k) => keys.includes(k));
}

async function journal(run: string): Promise<string[]> {
  const status = await h.call('plan_status', { run, journal: true });
  return (status.structured as { journal: { step: string | null; event: string }[] }).journal.map((j) => `${j.step ?? '-'}:${j.event}`);
}

it('simulate changes nothing on any server it reaches', async () => {
  const plan = {
    steps: [
      remember('a', 'sim1'),
      { id: 'b', tool: 'test_append', args: { line: { $ref: 'steps.a.output.status' } } },
      { id: 'c', tool: 'test_send', args: { to: 'x@example.com', body: 'hi' } },
    ],
  };
  const sim = await h.call('plan_simulate', { plan });
  expect(sim.isError).toBe(false);
  const steps = (sim.structured as { steps: { id: string; preview?: { summary: string }; args: unknown; waitsFor: string[] }[] }).steps;
  expect(steps.map((s) => s.id)).toEqual(['a', 'b', 'c']);
  expect(steps[0]!.preview?.summary).toContain('sim1');
  expect(steps[1]!.args).toEqual({ line: '⟨from step a⟩' });
  expect(steps[1]!.waitsFor).toEqual(['a']);
  expect(sim.text).toContain('⟨from step a⟩');
  expect(existsSync(join(h.home.dir, 'notes.txt'))).toBe(false);
  expect(existsSync(join(h.home.dir, 'sent.txt'))).toBe(false);
  expect(await facts(['sim1'])).toEqual([]);
  const list = await h.call('plan_list', { state: 'completed' });
  expect((list.structured as { runs: unknown[] }).runs.length).toBeGreaterThan(0); // only the recall runs above
});

it('retries a step as its retry says, then compensates the completed steps in reverse order', async () => {
  const plan = {
    steps: [
      remember('one', 'c1'),
      remember('two', 'c2'),
      { id: 'boom', tool: 'test_echo', args: { text: 'x', fail: 'hearth' }, retry: { attempts: 3, backoffMs: 10, retryOn: ['NOT_FOUND'] } },
      remember('never', 'c3'),
    ],
  };
  const run = runOf(await h.call('plan_run', { plan, waitMs: 60_000 }));
  expect(run.state).toBe('failed');
  expect(run.reason).toContain('step boom failed');
  const byId = Object.fromEntries(run.steps.map((s) => [s.id, s]));
  expect(byId.boom!.attempts).toBe(3);
  expect(byId.boom!.error?.code).toBe('NOT_FOUND');
  expect(byId.one!.state).toBe('compensated');
  expect(byId.two!.state).toBe('compensated');
  expect(byId.never!.state).toBe('pending');
  const events = await journal(run.id);
  expect(events.filter((e) => e === 'boom:attempt-failed')).toHaveLength(2);
  expect(events.indexOf('two:compensated')).toBeLessThan(events.indexOf('one:compensated'));
  expect(await facts(['c1', 'c2', 'c3'])).toEqual([]);
});

it('a failing undo pauses the run with a report; resume tries it again', async () => {
  const plan = {
    steps: [
      { ...remember('one', 'u1'), compensate: { tool: 'test_echo', args: { text: 'undo', fail: 'hearth' } } },
      { id: 'boom', tool: 'test_echo', args: { text: 'x', fail: 'hearth' } },
    ],
  };
  const run = runOf(await h.call('plan_run', { plan, waitMs: 60_000 }));
  expect(run.state).toBe('paused');
  expect(run.reason).toMatch(/undo of step one failed: NOT_FOUND/);
  expect(run.steps[0]!.undo).toBe('failed');
  const again = runOf(await h.call('plan_resume', { run: run.id, waitMs: 60_000 }));
  expect(again.state).toBe('paused');
  expect((await journal(run.id)).filter((e) => e === 'one:undo-failed')).toHaveLength(2);
});

it('cancel aborts the running step and undoes what was done', async () => {
  const plan = {
    steps: [remember('one', 'k1'), { id: 'slow', tool: 'test_echo', args: { text: 'zzz', slowMs: 3_000 } }, remember('after', 'k2')],
  };
  const started = runOf(await h.call('plan_run', { plan }));
  // Wait until the slow step is being called, then cancel.
  for (let i = 0; i < 200; i++) {
    const now = runOf(await h.call('plan_status', { run: started.id }));
    if (now.steps[1]!.state === 'calling') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const cancelled = runOf(await h.call('plan_cancel', { run: started.id, mode: 'abort', waitMs: 60_000 }));
  expect(cancelled.state).toBe('cancelled');
  const byId = Object.fromEntries(cancelled.steps.map((s) => [s.id, s.state]));
  expect(byId).toEqual({ one: 'compensated', slow: 'failed', after: 'pending' });
  expect(cancelled.steps[1]!.error?.code).toBe('CANCELLED');
  expect(await facts(['k1', 'k2'])).toEqual([]);
  const again = await h.call('plan_cancel', { run: started.id });
  expect((again.structured as { error: { code: string } }).error.code).toBe('CONFLICT');
});

it('cancel after the step in flight: that step finishes and is journaled, the undo covers it, no further step starts', async () => {
  const plan = {
    steps: [
      remember('one', 'k3'),
      {
        id: 'slow',
        tool: 'test_echo',
        args: { text: 'slow result', slowMs: 1_500 },
        // Its undo reads the step's own journaled output: it can only run once that output is recorded.
        compensate: { tool: 'test_echo', args: { text: { $ref: 'steps.slow.output.echoed' } } },
      },
      remember('after', 'k4'),
    ],
  };
  const started = runOf(await h.call('plan_run', { plan }));
  for (let i = 0; i < 200; i++) {
    const now = runOf(await h.call('plan_status', { run: started.id }));
    if (now.steps[1]!.state === 'calling') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const cancelled = runOf(await h.call('plan_cancel', { run: started.id, waitMs: 60_000 }));
  expect(cancelled.state, cancelled.reason ?? '').toBe('cancelled');
  const byId = Object.fromEntries(cancelled.steps.map((s) => [s.id, s.state]));
  expect(byId).toEqual({ one: 'compensated', slow: 'compensated', after: 'pending' });
  expect(cancelled.steps[1]!.output).toEqual({ echoed: 'slow result' });
  const events = await journal(started.id);
  // Finished and recorded, then undone newest first; the step after it never started.
  expect(events.indexOf('slow:finished')).toBeGreaterThan(-1);
  expect(events.indexOf('slow:compensated')).toBeGreaterThan(events.indexOf('slow:finished'));
  expect(events.indexOf('one:compensated')).toBeGreaterThan(events.indexOf('slow:compensated'));
  expect(events.filter((e) => e.startsWith('after:'))).toEqual([]);
  expect(await facts(['k3', 'k4'])).toEqual([]);
});

it('conditions: when skips a step and what depends on it; pre and post fail a step', async () => {
  const plan = {
    inputs: { go: { type: 'boolean' } },
    steps: [
      { id: 'echo', tool: 'test_echo', args: { text: 'hello' }, post: 'output.echoed == "hello"' },
      { id: 'maybe', tool: 'test_echo', args: { text: 'x' }, when: 'inputs.go' },
      { id: 'dep', tool: 'test_echo', args: { text: { $ref: 'steps.maybe.output.echoed' } } },
      { id: 'guard', tool: 'test_echo', args: { text: 'y' }, dependsOn: ['echo'], pre: 'steps.echo.output.echoed.size() > 100' },
    ],
  };
  const run = runOf(await h.call('plan_run', { plan, inputs: { go: false }, waitMs: 60_000 }));
  const byId = Object.fromEntries(run.steps.map((s) => [s.id, s]));
  expect(byId.echo!.state).toBe('done');
  expect(byId.maybe!.state).toBe('skipped');
  expect(byId.dep!.state).toBe('skipped');
  expect(byId.guard!.state).toBe('failed');
  expect(byId.guard!.error?.code).toBe('PRECONDITION_FAILED');
  const bad = await h.call('plan_run', { plan, inputs: { go: 'yes' } });
  expect((bad.structured as { error: { message: string } }).error.message).toContain('inputs.go');
});

it('playbooks: saved with versions, run by name with inputs', async () => {
  const plan = {
    inputs: { who: { type: 'string' } },
    steps: [{ id: 'hi', tool: 'test_echo', args: { text: { $input: 'who' } } }],
    outputs: { said: { $ref: 'steps.hi.output.echoed' } },
  };
  expect((await h.call('plan_save', { name: 'greet', plan })).structured).toMatchObject({ version: 1 });
  expect((await h.call('plan_save', { name: 'greet', plan, description: 'v2' })).structured).toMatchObject({ version: 2 });
  const listed = await h.call('plan_playbooks', {});
  expect((listed.structured as { playbooks: { name: string; version: number }[] }).playbooks).toEqual([
    expect.objectContaining({ name: 'greet', version: 2 }),
  ]);
  const run = runOf(await h.call('plan_run', { playbook: 'greet', inputs: { who: 'Ana' }, waitMs: 60_000 }));
  expect(run.outputs).toEqual({ said: 'Ana' });
  const missing = await h.call('plan_run', { playbook: 'nope' });
  expect((missing.structured as { error: { code: string } }).error.code).toBe('NOT_FOUND');
});

it('plan_status shows a large run a page at a time, each page bounded, the pages together every step once', async () => {
  const big = 'x'.repeat(1_500);
  const plan = { steps: Array.from({ length: 250 }, (_, i) => ({ id: `s${i}`, tool: 'test_echo', args: { text: `${i}:${big}` } })) };
  const run = runOf(await h.call('plan_run', { plan, waitMs: 120_000 }));
  expect(run.state).toBe('completed');
  type Page = { steps: { id: string; output?: unknown }[]; stepsPage: { offset: number; total: number; next: number | null } };
  // plan_run answered with the first page only.
  expect((run as unknown as Page).stepsPage.total).toBe(250);
  expect(run.steps.length).toBeLessThan(250);

  const seen: string[] = [];
  let offset: number | null = 0;
  let pages = 0;
  while (offset !== null) {
    const answer = await h.call('plan_status', { run: run.id, offset, limit: 100 });
    expect(answer.isError, answer.text).toBe(false);
    expect(JSON.stringify(answer.structured).length).toBeLessThan(80_000);
    const page = (answer.structured as { run: Page }).run;
    expect(page.stepsPage.offset).toBe(offset);
    expect(page.steps.length).toBeGreaterThan(0);
    expect(page.steps.every((s) => s.output !== undefined)).toBe(true);
    seen.push(...page.steps.map((s) => s.id));
    if (page.stepsPage.next !== null) {
      expect(page.stepsPage.next).toBe(offset + page.steps.length);
      expect(answer.text).toContain(`the next page: offset ${page.stepsPage.next}`);
    }
    offset = page.stepsPage.next;
    pages++;
  }
  expect(seen).toEqual(plan.steps.map((s) => s.id));
  // 250 outputs of ~1.5 KB do not fit 100 to a page: the output budget cut the pages shorter.
  expect(pages).toBeGreaterThan(3);

  const small = runOf(await h.call('plan_status', { run: run.id, offset: 240, limit: 5 }));
  expect((small as unknown as Page).stepsPage).toEqual({ offset: 240, total: 250, next: 245 });
  const past = await h.call('plan_status', { run: run.id, limit: 501 });
  expect((past.structured as { error: { message: string } }).error.message).toContain('limit');
}, 180_000);

it('plan_run sends progress a few times a run, not once per step, and the last one counts every step', async () => {
  const plan = { steps: Array.from({ length: 60 }, (_, i) => ({ id: `e${i}`, tool: 'test_echo', args: { text: `n${i}` } })) };
  const seen: { progress: number; total?: number }[] = [];
  const result = await h.client.callTool(
    { name: 'plan_run', arguments: { plan, waitMs: 60_000 } },
    { onprogress: (p) => seen.push(p), timeout: 90_000 },
  );
  expect((result.structuredContent as { run: { state: string } }).run.state).toBe('completed');
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.length).toBeLessThan(60);
  expect(seen.at(-1)).toMatchObject({ progress: 60, total: 60 });
});
