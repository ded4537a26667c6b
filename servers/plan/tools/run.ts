// plan_run: starts a plan as a durable run. In draft mode the person approves the simulated plan
// once; that approval lets exactly the previewed calls run (signed grants), and a step whose
// arguments turn out different asks again.
import * as z from 'zod';

import type { Change } from '../../../lib/preview.js';
import { throttle } from '../../../lib/throttle.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import type { RunEvent } from '../runner.js';
import type { PlanRuntime } from '../runtime.js';
import { renderSimulation } from '../simulate.js';
import { renderStatus, runPage, RunStatus } from '../status.js';
import { InputsField, PlanSourceFields } from './source.js';

/** A long run of quick steps reports a few times a second; every step would flood the client. */
const PROGRESS_EVERY_MS = 100;

export function runTool(runtime: PlanRuntime): Tool {
  return defineTool({
    name: 'plan_run',
    title: 'Run a plan',
    description:
      'Runs a plan (or a saved playbook with inputs) as a durable job that survives a restart: each step is journaled, retried as the plan says, called with an idempotency key so it never happens twice, and on failure the completed steps are undone in reverse (compensate). Answers at once with the run id, or waits up to waitMs for it to finish; follow it with plan_status. In draft mode the person approves the whole simulated plan once.',
    effect: 'external',
    input: z.object({
      ...PlanSourceFields,
      inputs: InputsField,
      waitMs: z
        .number()
        .int()
        .min(0)
        .max(600_000)
        .default(0)
        .describe('Wait up to this long for the run to finish before answering (progress is sent meanwhile).'),
      mode: z
        .enum(['observe', 'draft', 'autopilot'])
        .optional()
        .describe('Narrow the mode the steps run under (never wider than the policy).'),
    }),
    output: z.object({ run: RunStatus }),
    async preview(args, ctx) {
      const planner = await runtime.planner();
      const { valid } = await planner.require(args);
      const inputs = planner.inputs(valid.plan, args.inputs);
      const sim = await planner.simulate(valid, inputs, { mode: args.mode, signal: ctx.signal });
      planner.rememberPreview(args, sim);
      const changes: Change[] = [{ kind: 'note', text: renderSimulation(sim) }];
      for (const step of sim.steps) if (step.preview) changes.push(...step.preview.changes);
      return { summary: `Run plan ${valid.plan.name ?? ''} — ${sim.summary}`.replace('  ', ' '), changes };
    },
    async handler(args, ctx) {
      const planner = await runtime.planner();
      const { valid, playbook } = await planner.require(args);
      const inputs = planner.inputs(valid.plan, args.inputs);
      const approval = ctx.mode === 'draft' ? planner.approvedPreview(args, `approved through call ${ctx.correlationId}`) : undefined;
      const id = planner.start(valid, inputs, { mode: args.mode, playbook, approval });
      const progress = throttle(
        (e: RunEvent) => void ctx.progress(e.done, e.total, `${e.step ? `${e.step}: ` : ''}${e.event}`),
        PROGRESS_EVERY_MS,
      );
      const off = planner.runner.subscribe((e) => e.run === id && progress.push(e));
      try {
        const row = await planner.runner.wait(id, args.waitMs);
        progress.flush();
        const status = runPage(planner.store, row);
        return { structured: { run: status }, text: renderStatus(status) };
      } finally {
        off();
      }
    },
  });
}
