// plan_cancel: stops a run — after the step in flight, or aborting it — and undoes its completed steps
// in reverse.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import type { PlanRuntime } from '../runtime.js';
import { renderStatus, runPage, RunStatus } from '../status.js';
import { CANCEL_MODES } from '../store.js';

export function cancelTool(runtime: PlanRuntime): Tool {
  return defineTool({
    name: 'plan_cancel',
    title: 'Cancel a run',
    description:
      'Cancels a plan run: no further step starts, the step in flight finishes or is stopped (see mode), then completed steps with a compensate call are undone, newest first, and the run ends cancelled. A failing undo pauses the run with a report.',
    effect: 'write',
    input: z.object({
      run: z.string().min(1).max(80).describe('The run id.'),
      mode: z
        .enum(CANCEL_MODES)
        .default('after-step')
        .describe(
          'after-step: the step in flight finishes, is recorded and undone with the rest; abort: stop it mid-call (for a step that hangs); what it did is not undone.',
        ),
      waitMs: z.number().int().min(0).max(600_000).default(0).describe('Wait up to this long for the undoing to finish.'),
    }),
    output: z.object({ run: RunStatus }),
    // Cancelling only stops and undoes what this run itself did under its approval.
    standingApproval: () => 'cancelling stops the run and undoes only what the approved run itself did',
    async preview(args) {
      const planner = await runtime.planner();
      const run = planner.store.run(args.run);
      const undo = run.plan.steps.filter(
        (s) => s.compensate && planner.store.steps(args.run).some((r) => r.stepId === s.id && r.state === 'done'),
      );
      return {
        summary: `Cancel run ${run.id} (${run.state}, ${args.mode === 'abort' ? 'aborting the step in flight' : 'after the step in flight'}) and undo ${undo.length} completed step(s)`,
        changes: undo.reverse().map((s) => ({ kind: 'note' as const, text: `undo ${s.id} with ${s.compensate!.tool}` })),
      };
    },
    async handler(args) {
      const planner = await runtime.planner();
      planner.cancel(args.run, args.mode);
      const row = await planner.runner.wait(args.run, args.waitMs);
      const status = runPage(planner.store, row);
      return { structured: { run: status }, text: renderStatus(status) };
    },
  });
}
