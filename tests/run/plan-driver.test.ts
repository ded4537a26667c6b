// The `--plan` driver with the model and the plan server as plain functions: a plan written as text
// is taken, a follow-up plan_status carries a run past plan_run's wait, progress moves the step
// list, a failed run ends failed with its reason, and the person's Ctrl-C stops it.
import { expect, it } from 'vitest';

import type { Message, ModelOutcome, ToolCall } from '../../orchestrator/run/loop.js';
import { type PlanCallResult, type PlanDeps, type PlanStep, runPlanDriver } from '../../orchestrator/run/plan-driver.js';

const PLAN = {
  steps: [
    { id: 'a', tool: 'memory_remember', args: {} },
    { id: 'b', tool: 'memory_recall', args: {} },
  ],
};
const turn = (toolCalls: ToolCall[], text = ''): ModelOutcome => ({
  ok: true,
  turn: { text, toolCalls, inputTokens: 10, outputTokens: 5, usdMicros: 100, model: 'fake/m', scripted: false },
});
const result = (structured: Record<string, unknown>, ok = true, text = 'text', code?: string): PlanCallResult => ({
  ok,
  text,
  structured,
  ms: 1,
  ...(code ? { code } : {}),
});
const run = (state: string, steps: [string, string][]) => ({
  run: {
    id: 'run_1',
    state,
    reason: state === 'failed' ? 'step b failed: NOT_FOUND' : null,
    steps: steps.map(([id, s]) => ({ id, tool: 't', state: s })),
    progress: { done: steps.filter(([, s]) => s === 'done').length, total: steps.length },
  },
});

function deps(
  answers: ModelOutcome[],
  server: (name: string, args: Record<string, unknown>, progress?: (p: number, t: number | undefined, m: string) => void) => PlanCallResult,
  extra: Partial<PlanDeps> = {},
) {
  const called: string[] = [];
  const lists: PlanStep[][] = [];
  const d: PlanDeps = {
    model: async () => answers.shift() ?? turn([], 'no plan'),
    call: async (name, args, _signal, onProgress) => {
      called.push(name);
      return server(name, args, onProgress);
    },
    mode: 'autopilot',
    limits: { rounds: 10, tokens: 10_000, usdMicros: 1_000_000 },
    events: {
      modelStart: () => {},
      modelEnd: () => {},
      callStart: () => {},
      callEnd: () => {},
      report: () => {},
      steps: (steps) => lists.push(steps.map((s) => ({ ...s }))),
      progress: () => {},
    },
    signal: new AbortController().signal,
    ...extra,
  };
  return { d, called, lists };
}

const valid = result({ valid: true, order: ['a', 'b'] });

it('takes a plan given as JSON text, follows the run past plan_run with plan_status, and moves the steps with progress', async () => {
  const { d, called, lists } = deps([turn([], `Here it is:\n\`\`\`json\n${JSON.stringify(PLAN)}\n\`\`\``)], (name, _args, progress) => {
    if (name === 'plan_validate') return valid;
    if (name === 'plan_simulate') return result({ summary: '2 steps' });
    if (name === 'plan_run') {
      progress!(0, 2, 'a: called');
      progress!(1, 2, 'a: finished');
      return result(
        run('running', [
          ['a', 'done'],
          ['b', 'calling'],
        ]),
      );
    }
    return result(
      run('completed', [
        ['a', 'done'],
        ['b', 'done'],
      ]),
    );
  });
  const messages: Message[] = [{ role: 'user', content: 'task' }];
  const r = await runPlanDriver(messages, d);
  expect(r.outcome).toBe('answered');
  expect(called).toEqual(['plan_validate', 'plan_simulate', 'plan_run', 'plan_status']);
  expect(lists[0]).toEqual([
    { id: 'a', tool: 'memory_remember', state: 'calling' },
    { id: 'b', tool: 'memory_recall', state: 'pending' },
  ]);
  expect(lists[1]![0]!.state).toBe('done');
  expect(lists.at(-1)!.map((s) => s.state)).toEqual(['done', 'done']);
  expect(r.answer).toMatch(/completed: 2 of 2 steps done/);
});

it('a failed run ends failed with its reason and where to look', async () => {
  const { d } = deps([turn([{ id: 'p', name: 'submit_plan', arguments: { plan: PLAN } }])], (name) =>
    name === 'plan_validate'
      ? valid
      : name === 'plan_simulate'
        ? result({ summary: '' })
        : result(
            run('failed', [
              ['a', 'done'],
              ['b', 'failed'],
            ]),
          ),
  );
  const r = await runPlanDriver([{ role: 'user', content: 'task' }], d);
  expect(r.outcome).toBe('failed');
  expect(r.reason).toBe('plan run run_1 failed: 1 of 2 steps done — step b failed: NOT_FOUND (hearth plan status run_1)');
});

it('a turn with no plan at all gets one reminder, then the run fails without calling the plan server', async () => {
  const { d, called } = deps([turn([], 'I would rather chat'), turn([], 'still chatting')], () => valid);
  const messages: Message[] = [{ role: 'user', content: 'task' }];
  const r = await runPlanDriver(messages, d);
  expect(r.outcome).toBe('failed');
  expect(r.reason).toBe('the model handed over no plan (submit_plan), even after a reminder');
  expect(called).toEqual([]);
  expect(messages.some((m) => m.role === 'tool' && m.content.includes('call submit_plan'))).toBe(true);
});

it('Ctrl-C during the run stops it as cancelled', async () => {
  const controller = new AbortController();
  const { d } = deps(
    [turn([{ id: 'p', name: 'submit_plan', arguments: { plan: PLAN } }])],
    (name) => {
      if (name === 'plan_run') {
        controller.abort('interrupted');
        return result({}, false, 'Cancelled by the person.', 'CANCELLED');
      }
      return name === 'plan_validate' ? valid : result({ summary: '' });
    },
    { signal: controller.signal },
  );
  const r = await runPlanDriver([{ role: 'user', content: 'task' }], d);
  expect(r.outcome).toBe('cancelled');
});
