// plan_cancel: aborts the call a run has in flight and undoes its completed steps in reverse.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import type { PlanRuntime } from '../runtime.js';
import { renderStatus, runPage, RunStatus } from '../status.js';

export function cancelTool(runtime: PlanRuntime): Tool {
  const { planner } = runtime;
  return defineTool({
    name: 'plan_cancel',
    title: 'Cancel a run',
    description:
      'Cancels a plan run: it aborts the step now running (its server is told to stop the call), then undoes the completed steps that have a compensate call, newest first, and ends as cancelled. A failing undo pauses the run with a report. waitMs waits for the cancellation to finish.',
    effect: 'write',
    input: z.object({
      run: z.string().min(1).max(80).describe('The run id.'),
      waitMs: z.number().int().min(0).max(600_000).default(0).describe('Wait up to this long for the undoing to finish.'),
    }),
    output: z.object({ run: RunStatus }),
    // Cancelling only stops and undoes what this run itself did under its approval.
    standingApproval: () => 'cancelling stops the run and undoes only what the approved run itself did',
    async preview(args) {
      const run = planner.store.run(args.run);
      const undo = run.plan.steps.filter(
        (s) => s.compensate && planner.store.steps(args.run).some((r) => r.stepId === s.id && r.state === 'done'),
      );
      return {
        summary: `Cancel run ${run.id} (${run.state}) and undo ${undo.length} completed step(s)`,
        changes: undo.reverse().map((s) => ({ kind: 'note' as const, text: `undo ${s.id} with ${s.compensate!.tool}` })),
      };
    },
    async handler(args) {
      planner.cancel(args.run);
      const row = await planner.runner.wait(args.run, args.waitMs);
      const status = runPage(planner.store, row);
      return { structured: { run: status }, text: renderStatus(status) };
    },
  });
}
