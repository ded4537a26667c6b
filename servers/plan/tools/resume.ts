// plan_resume: continues a paused run — after a person approved a step, or decided what happened to
// a step whose outcome was unknown, or fixed what made an undo fail.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import type { PlanRuntime } from '../runtime.js';
import { renderStatus, runPage, RunStatus } from '../status.js';

export function resumeTool(runtime: PlanRuntime): Tool {
  return defineTool({
    name: 'plan_resume',
    title: 'Resume a paused run',
    description:
      'Continues a paused plan run. A step that waited for approval is asked again (approve it first with `hearth approvals`); a step whose outcome was unknown needs stepOutcome: "ran" (it happened: go on), "not-run" (call it again) or "fail" (undo the completed steps); a failed undo is tried again. Finished steps are never called again.',
    effect: 'write',
    input: z.object({
      run: z.string().min(1).max(80).describe('The run id.'),
      stepOutcome: z.enum(['ran', 'not-run', 'fail']).optional().describe('For a step that may have run: what the person found.'),
      waitMs: z.number().int().min(0).max(600_000).default(0).describe('Wait up to this long for the run to finish or pause again.'),
    }),
    output: z.object({ run: RunStatus }),
    // Resuming continues a plan a person already approved; every step still passes its own server's policy.
    standingApproval: () => 'resuming continues an approved run; each step still passes its own server’s policy',
    async preview(args) {
      const planner = await runtime.planner();
      const run = planner.store.run(args.run);
      return { summary: `Resume run ${run.id} (${run.state})`, changes: [{ kind: 'note', text: run.reason ?? 'no reason recorded' }] };
    },
    async handler(args) {
      const planner = await runtime.planner();
      planner.resume(args.run, args.stepOutcome);
      const row = await planner.runner.wait(args.run, args.waitMs);
      const status = runPage(planner.store, row);
      return { structured: { run: status }, text: renderStatus(status) };
    },
  });
}
