// plan_status: one run's state, steps, attempts, timings, bounded outputs and, on request, its journal.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import type { PlanRuntime } from '../runtime.js';
import { MAX_PAGE_STEPS, PAGE_STEPS, renderStatus, runPage, RunStatus } from '../status.js';

export function statusTool(runtime: PlanRuntime): Tool {
  return defineTool({
    name: 'plan_status',
    title: 'Show a run',
    description:
      'Shows a plan run: its state (queued, running, paused, compensating, completed, failed, cancelled) and why, each step’s state, attempts, timings, output (cut to 2,000 characters) and error, and the run’s outputs. Steps come a page at a time: stepsPage.next is the offset of the next page. journal: true adds the journal of what happened, in order. waitMs waits for the run to finish or pause first.',
    effect: 'read',
    input: z.object({
      run: z.string().min(1).max(80).describe('The run id (plan_run returns it; plan_list lists them).'),
      journal: z.boolean().default(false).describe('Include the journal (the last 200 entries).'),
      waitMs: z.number().int().min(0).max(600_000).default(0).describe('Wait up to this long for the run to finish or pause.'),
      offset: z.number().int().min(0).default(0).describe('The first step to show (stepsPage.next of the page before).'),
      limit: z.number().int().min(1).max(MAX_PAGE_STEPS).default(PAGE_STEPS).describe('Steps per page.'),
    }),
    output: z.object({
      run: RunStatus,
      journal: z.array(z.object({ at: z.string(), step: z.string().nullable(), event: z.string(), detail: z.unknown() })).optional(),
    }),
    async handler(args) {
      const planner = await runtime.planner();
      const row = await planner.runner.wait(args.run, args.waitMs);
      const status = runPage(planner.store, row, { offset: args.offset, limit: args.limit });
      const journal = args.journal ? planner.store.journalOf(args.run, 200) : undefined;
      const text =
        renderStatus(status) + (journal ? `\n\njournal:\n${journal.map((j) => `  ${j.at} ${j.step ?? '-'} ${j.event}`).join('\n')}` : '');
      return { structured: { run: status, ...(journal ? { journal } : {}) }, text };
    },
  });
}
