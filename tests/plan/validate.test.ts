// Validation and hostile input: every problem names the step, the field and the fix; expressions
// cannot loop, reach the host or pollute prototypes. Real servers behind the plan server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type PlanHarness, startPlan } from './harness.js';

let h: PlanHarness;
beforeAll(async () => (h = await startPlan({ mode: 'autopilot' })), 120_000);
afterAll(() => h?.close());

type Issue = { step?: string; field: string; problem: string; fix: string };
async function issues(plan: unknown): Promise<Issue[]> {
  const result = await h.call('plan_validate', { plan });
  expect(result.isError).toBe(false);
  return (result.structured as { issues: Issue[] }).issues;
}

const remember = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  tool: 'memory_remember',
  args: { namespace: 'p', key: id, value: 'v' },
  ...extra,
});

describe('plan_validate', () => {
  it('accepts a valid plan and gives the order', async () => {
    const result = await h.call('plan_validate', {
      plan: { steps: [remember('a'), { id: 'b', tool: 'test_echo', args: { text: { $ref: 'steps.a.output.status' } } }] },
    });
    expect(result.structured).toMatchObject({ valid: true, order: ['a', 'b'], changing: ['a'] });
  });

  const cases: [string, unknown, { step?: string; field?: string; problem: RegExp }][] = [
    [
      'a cycle',
      { steps: [remember('a', { dependsOn: ['b'] }), remember('b', { dependsOn: ['a'] })] },
      { step: 'a', field: 'steps[0].dependsOn', problem: /cycle: a → b → a/ },
    ],
    [
      'a ref to a later step',
      { steps: [{ id: 'a', tool: 'test_echo', args: { text: { $ref: 'steps.b.output.status' } } }, remember('b')] },
      { step: 'a', field: 'steps[0].args.text', problem: /does not run before this one/ },
    ],
    [
      'a ref to an unknown step',
      { steps: [{ id: 'a', tool: 'test_echo', args: { text: { $ref: 'steps.zz.output.x' } } }] },
      { step: 'a', problem: /step zz, which does not exist/ },
    ],
    [
      'a ref into an output the tool does not have',
      { steps: [remember('a'), { id: 'b', tool: 'test_echo', args: { text: { $ref: 'steps.a.output.nope' } } }] },
      { step: 'b', field: 'steps[1].args.text', problem: /memory_remember returns no nope/ },
    ],
    [
      'an unknown tool',
      { steps: [{ id: 'a', tool: 'memory_remembr', args: {} }] },
      { step: 'a', field: 'steps[0].tool', problem: /no tool named memory_remembr/ },
    ],
    [
      'arguments the tool refuses',
      { steps: [{ id: 'a', tool: 'test_echo', args: { text: 'x', times: 9 } }] },
      { step: 'a', field: 'steps[0].args.times', problem: /test_echo/ },
    ],
    [
      'an undeclared input',
      { steps: [{ id: 'a', tool: 'test_echo', args: { text: { $input: 'who' } } }] },
      { step: 'a', problem: /input who, which the plan does not declare/ },
    ],
    [
      'a condition that does not parse',
      { steps: [remember('a', { when: 'inputs.x ==' })] },
      { step: 'a', field: 'steps[0].when', problem: /inputs.x ==/ },
    ],
    [
      'a condition over a later step',
      { steps: [remember('a', { when: 'steps.b.output.status == "added"' }), remember('b')] },
      { step: 'a', problem: /does not run before this step/ },
    ],
    ['a step without a tool', { steps: [{ id: 'a', args: {} }] }, { step: 'a', field: 'steps[0].tool', problem: /./ }],
    ['two steps with one id', { steps: [remember('a'), remember('a')] }, { step: 'a', field: 'steps[1].id', problem: /used twice/ }],
  ];

  it.each(cases)('rejects %s, naming the step, the field and the fix', async (_name, plan, expected) => {
    const found = await issues(plan);
    const match = found.find((i) => expected.problem.test(i.problem) && (expected.step === undefined || i.step === expected.step));
    expect(match, JSON.stringify(found)).toBeDefined();
    if (expected.field) expect(match!.field).toBe(expected.field);
    expect(match!.fix.length).toBeGreaterThan(5);
  });

  it('suggests the tool a misspelt name meant', async () => {
    const [issue] = await issues({ steps: [{ id: 'a', tool: 'memory_remembr', args: {} }] });
    expect(issue!.fix).toContain('memory_remember');
  });

  it('plan_run refuses an invalid plan with the first problem and runs nothing', async () => {
    const result = await h.call('plan_run', { plan: { steps: [{ id: 'a', tool: 'nope_tool', args: {} }] } });
    expect(result.isError).toBe(true);
    expect((result.structured as { error: { code: string; message: string } }).error.message).toContain('step a, steps[0].tool');
    const list = await h.call('plan_list', {});
    expect((list.structured as { runs: unknown[] }).runs).toHaveLength(0);
  });
});

describe('hostile expressions and references', () => {
  const hostile = [
    ['deeply nested comprehensions', '[1,2].map(a, [1,2].map(b, [1,2].map(c, a*b*c))).size() > 0', /comprehensions/],
    ['an enormous expression', `${'1 + '.repeat(350)}1 > 0`, /AST|nodes|depth|exceed/i],
    ['a call to a host function', 'process.exit(1) == 0', /./],
    ['a non-boolean', '"text"', /not true or false|string/],
  ] as const;

  it.each(hostile)('refuses %s at validation', async (_name, expression, problem) => {
    const found = await issues({ steps: [remember('a', { when: expression })] });
    expect(found[0]?.field).toBe('steps[0].when');
    expect(found[0]?.problem).toMatch(problem);
  });

  it('reads only own keys: __proto__ and constructor are not there, and no prototype is polluted', async () => {
    const plan = {
      steps: [
        { id: 'r', tool: 'test_echo', args: { text: 'x' } },
        { id: 'a', tool: 'test_echo', args: { text: 'y' }, when: 'has(steps.r.output.__proto__) || has(inputs.constructor)' },
      ],
    };
    const run = await h.call('plan_run', { plan, waitMs: 60_000 });
    const status = (run.structured as { run: { state: string; steps: { id: string; state: string }[] } }).run;
    expect(status.state).toBe('completed');
    expect(status.steps.find((s) => s.id === 'a')!.state).toBe('skipped');
    const polluted = await h.call('plan_run', {
      plan: {
        steps: [
          { id: 'p', tool: 'test_echo', args: JSON.parse('{"text": "z", "__proto__": {"polluted": true}}') as Record<string, unknown> },
        ],
      },
      waitMs: 60_000,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The unknown key reaches the tool as data, and the tool's strict schema refuses it.
    expect(JSON.stringify(polluted.structured)).not.toContain('"polluted":true}}');
    const ref = await issues({
      steps: [remember('a'), { id: 'b', tool: 'test_echo', args: { text: { $ref: 'steps.a.output.constructor' } } }],
    });
    expect(ref[0]?.problem).toMatch(/returns no constructor/);
  });
});
