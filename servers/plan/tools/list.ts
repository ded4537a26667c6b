// plan_list: the runs, newest first, filterable by state and paged.
import * as z from 'zod';

import { invalidArgument } from '../../../lib/errors.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import type { PlanRuntime } from '../runtime.js';
import { RUN_STATES } from '../store.js';

export function listTool(runtime: PlanRuntime): Tool {
  return defineTool({
    name: 'plan_list',
    title: 'List runs',
    description:
      'Lists plan runs, newest first: id, state, name or playbook, progress and why a run is paused or failed. Filter by state; page with cursor.',
    effect: 'read',
    input: z.object({
      state: z.enum(RUN_STATES).optional().describe('Only runs in this state.'),
      limit: z.number().int().min(1).max(200).default(20).describe('Runs per page.'),
      cursor: z.string().max(100).optional().describe('nextCursor from the previous page.'),
    }),
    output: z.object({
      runs: z.array(
        z.object({
          id: z.string(),
          state: z.enum(RUN_STATES),
          name: z.string().nullable(),
          playbook: z.string().nullable(),
          createdAt: z.string(),
          done: z.number().int(),
          total: z.number().int(),
          reason: z.string().nullable(),
        }),
      ),
      nextCursor: z.string().optional(),
    }),
    async handler(args) {
      const planner = await runtime.planner();
      if (args.cursor !== undefined && Number.isNaN(Date.parse(args.cursor)))
        throw invalidArgument('cursor', 'is not a cursor from plan_list', 'Pass nextCursor exactly as it came back, or leave it out.');
      const rows = planner.store.listRuns({ state: args.state, limit: args.limit + 1, before: args.cursor });
      const page = rows.slice(0, args.limit);
      const runs = page.map((r) => {
        const steps = planner.store.steps(r.id);
        return {
          id: r.id,
          state: r.state,
          name: r.plan.name ?? null,
          playbook: r.playbook,
          createdAt: r.createdAt,
          done: steps.filter((s) => s.state === 'done' || s.state === 'skipped').length,
          total: steps.length,
          reason: r.reason,
        };
      });
      const nextCursor = rows.length > args.limit ? page.at(-1)!.createdAt : undefined;
      const text = runs.length
        ? runs
            .map(
              (r) => `${r.id} ${r.state.padEnd(12)} ${r.done}/${r.total} ${r.name ?? r.playbook ?? ''}${r.reason ? ` — ${r.reason}` : ''}`,
            )
            .join('\n')
        : 'No runs.';
      return { structured: { runs, ...(nextCursor ? { nextCursor } : {}) }, text };
    },
  });
}
