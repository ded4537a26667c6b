// memory_log_task: record how a task went, for later look-up with memory_search.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import type { OpenMemory } from '../memory.js';
import { renderTask, TASKS_COLLECTION } from '../tasks.js';

const Input = z.object({
  task: z.string().min(1).max(2000).describe('What the person asked for, in their words.'),
  steps: z
    .array(
      z
        .object({
          action: z.string().min(1).max(2000).describe('What was done.'),
          result: z.string().max(4000).optional().describe('What came of it.'),
          ok: z.boolean().optional().describe('false when the step failed.'),
        })
        .strict(),
    )
    .max(200)
    .default([])
    .describe('The steps taken, in order.'),
  outcome: z.enum(['succeeded', 'failed', 'partial', 'abandoned']).describe('How the task ended.'),
  notes: z.string().max(20_000).optional().describe('Lessons worth knowing next time.'),
  tags: z.array(z.string().min(1).max(50)).max(20).optional().describe('Labels to filter by later.'),
});

export function logTaskTool(openMemory: OpenMemory): Tool {
  return defineTool({
    name: 'memory_log_task',
    title: 'Log a finished task',
    description:
      'Records a finished task (what was asked, steps and results, outcome, notes) so memory_search in ["_tasks"] shows later how similar tasks went. Returns the entry’s id.',
    effect: 'write',
    additive: true,
    input: Input,
    output: z.object({ documentId: z.number().int(), collection: z.string(), loggedAt: z.string() }),
    async preview(args) {
      return {
        summary: `Log task "${args.task.slice(0, 80)}" (${args.outcome}) in ${TASKS_COLLECTION}`,
        changes: [{ kind: 'note', text: renderTask(args, '(now)') }],
      };
    },
    async handler(args, ctx) {
      const memory = await openMemory();
      const r = await memory.tasks.log(args, ctx.signal);
      return {
        structured: { documentId: r.documentId, collection: TASKS_COLLECTION, loggedAt: r.loggedAt },
        text: `Logged task #${r.documentId} (${args.outcome}).`,
      };
    },
  });
}
