// Draft mode end to end: the person approves the simulated plan once (here through the approval
// queue, as a client without elicitation does); the signed grants let exactly the previewed calls run
// on the other servers, whose audit rows name the plan approval; a step whose arguments changed since
// the preview asks again; a denial runs nothing. Observe mode only ever previews.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type PlanHarness, runOf, startPlan } from './harness.js';

type Err = { error?: { code: string; approvalId?: string }; approval?: { id: string } };

const notes = (h: PlanHarness) => (existsSync(join(h.home.dir, 'notes.txt')) ? readFileSync(join(h.home.dir, 'notes.txt'), 'utf8') : '');

function audit(h: PlanHarness): { server: string; tool: string; decision: string; summary: string }[] {
  const db = new Database(join(h.home.dir, 'hearth.db'), { readonly: true });
  try {
    // One row per call: the row written before a write starts is left out.
    return db.prepare("SELECT server, tool, decision, summary FROM audit WHERE outcome != 'started' ORDER BY id").all() as ReturnType<
      typeof audit
    >;
  } finally {
    db.close();
  }
}

describe('draft mode', () => {
  let h: PlanHarness;
  beforeAll(async () => (h = await startPlan({ mode: 'draft' })), 120_000);
  afterAll(() => h?.close());

  /** plan_run → queued for approval → the person decides → plan_run again. */
  async function decided(args: Record<string, unknown>, decision: 'approved' | 'denied') {
    // The approval covers exactly these arguments: the second call repeats them all.
    const exact = { ...args, waitMs: 60_000 };
    const first = await h.call('plan_run', exact);
    const queued = first.structured as Err;
    expect(queued.error?.code).toBe('APPROVAL_REQUIRED');
    h.server.kernel.approvals.decide(queued.approval!.id, decision, 'the person');
    return h.call('plan_run', exact);
  }

  const remember = (value: string) => ({
    steps: [{ id: 'set', tool: 'memory_remember', args: { namespace: 'draft', key: 'color', value } }],
  });

  it('one approval of the previewed plan runs every step unasked; the servers audit the plan approval', async () => {
    const plan = {
      steps: [
        { id: 'set', tool: 'memory_remember', args: { namespace: 'draft', key: 'color', value: 'blue' } },
        { id: 'note', tool: 'test_append', args: { line: { $ref: 'steps.set.output.status' } } },
      ],
    };
    const before = await h.call('plan_run', { plan, waitMs: 60_000 });
    expect((before.structured as Err).error?.code).toBe('APPROVAL_REQUIRED');
    expect(before.text).toContain('memory_remember');
    expect(notes(h)).toBe('');
    h.server.kernel.approvals.decide((before.structured as Err).approval!.id, 'approved', 'the person');
    const run = runOf(await h.call('plan_run', { plan, waitMs: 60_000 }));
    expect(run.state, run.reason ?? '').toBe('completed');
    expect(notes(h)).toBe('added\n');
    const granted = audit(h).filter((r) => r.decision === 'ran-granted');
    expect(granted.map((r) => `${r.server}.${r.tool}`).sort()).toEqual(['kernel-test.test_append', 'memory.memory_remember']);
    for (const row of granted) expect(row.summary).toContain('plan approval plan-preview-');
  });

  it('a step whose arguments differ from the preview asks again, and nothing else changes', async () => {
    const plan = {
      steps: [
        { id: 'read', tool: 'memory_recall', args: { namespace: 'draft', key: 'color' } },
        { id: 'write', tool: 'test_append', args: { line: { $ref: 'steps.read.output.facts.0.value' } } },
      ],
    };
    const before = notes(h);
    const first = await h.call('plan_run', { plan, waitMs: 60_000 });
    expect(first.text).toContain('+blue');
    h.server.kernel.approvals.decide((first.structured as Err).approval!.id, 'approved', 'the person');
    // Between the approval and the run, the value the step reads changes.
    expect(runOf(await decided({ plan: remember('red') }, 'approved')).state).toBe('completed');
    const run = runOf(await h.call('plan_run', { plan, waitMs: 60_000 }));
    expect(run.state).toBe('paused');
    expect(run.reason).toContain('step write has arguments that differ from the approved preview');
    expect(run.steps.find((s) => s.id === 'write')!.state).toBe('waiting');
    expect(notes(h)).toBe(before);
    expect(
      audit(h)
        .filter((r) => r.tool === 'test_append')
        .at(-1)?.decision,
    ).toBe('approval-queued');
  });

  it('a step marked approval: step asks again even inside an approved plan', async () => {
    const plan = { steps: [{ id: 'own', tool: 'test_send', args: { to: 'ana@example.com', body: 'hi' }, approval: 'step' }] };
    const run = runOf(await decided({ plan }, 'approved'));
    expect(run.state).toBe('paused');
    expect(run.reason).toContain('asks for its own approval');
    expect(existsSync(join(h.home.dir, 'sent.txt'))).toBe(false);
  });

  it('denying the plan runs nothing at all', async () => {
    const listed = async () => (await h.call('plan_list', { limit: 200 })).structured as { runs: unknown[] };
    const runsBefore = (await listed()).runs.length;
    const before = notes(h);
    const denied = await decided({ plan: { steps: [{ id: 'w', tool: 'test_append', args: { line: 'never' } }] } }, 'denied');
    expect((denied.structured as Err).error?.code).toBe('APPROVAL_DENIED');
    expect(notes(h)).toBe(before);
    expect((await listed()).runs.length).toBe(runsBefore);
  });
});

describe('observe mode', () => {
  let h: PlanHarness;
  beforeAll(async () => (h = await startPlan({ mode: 'observe' })), 120_000);
  afterAll(() => h?.close());

  it('plan_run only simulates: nothing changes and no run starts', async () => {
    const plan = { steps: [{ id: 'w', tool: 'test_append', args: { line: 'observed' } }] };
    const result = await h.call('plan_run', { plan });
    expect(result.structured).toMatchObject({ dryRun: true, reason: 'observe' });
    expect(result.text).toContain('+observed');
    expect(notes(h)).toBe('');
    expect(((await h.call('plan_list', {})).structured as { runs: unknown[] }).runs).toEqual([]);
  });
});
