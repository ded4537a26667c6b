// budget_status: for today, this month and (when asked) a task — the limits, what is spent, what is
// held by calls in flight, what is left, and when each period resets.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import { formatAmounts, formatLocal } from '../describe-limit.js';
import type { BudgetRuntime } from '../runtime.js';
import { AmountsOut, amountsOut, LimitsOut, limitsOut, TaskArg } from './common.js';

const Scope = z.object({
  scope: z.enum(['day', 'month', 'task']),
  period: z.string().optional().describe('2026-03-08 for a day, 2026-03 for a month.'),
  task: z.string().optional(),
  resetsAt: z.string().optional().describe('When the next period starts at 0 (ISO 8601, UTC).'),
  resetsLocal: z.string().optional().describe('The same instant in the budget’s time zone.'),
  limits: LimitsOut.describe('Units left out are not limited.'),
  spent: AmountsOut,
  held: AmountsOut.describe('Reserved by calls in flight; released or spent when they finish.'),
  left: LimitsOut,
});

const Output = z.object({
  timeZone: z.string().describe('Days and months follow this time zone.'),
  scopes: z.array(Scope),
  openHolds: z.number().int().describe('Calls in flight holding budget (across every process sharing the ledger).'),
});

export function statusTool(cx: BudgetRuntime): Tool {
  return defineTool({
    name: 'budget_status',
    title: 'Show the LLM budget',
    description:
      'Shows the LLM budgets for today, this month and a task if given: each limit, what is spent, held by calls in flight, left, and when it resets.',
    effect: 'read',
    input: z.object({ task: TaskArg.optional().describe('Also show this task’s budget.') }),
    output: Output,
    async handler(args) {
      const tz = cx.budget.ledger.calendar.timeZone;
      const scopes = cx.budget.ledger
        .status(args.task)
        .filter((s) => s.scope !== 'call')
        .map((s) => ({
          scope: s.scope as 'day' | 'month' | 'task',
          ...(s.period ? { period: s.period } : {}),
          ...(s.task ? { task: s.task } : {}),
          ...(s.resetsAt === undefined ? {} : { resetsAt: new Date(s.resetsAt).toISOString(), resetsLocal: formatLocal(s.resetsAt, tz) }),
          limits: limitsOut(s.limits),
          spent: amountsOut(s.spent),
          held: amountsOut(s.held),
          left: limitsOut(s.left),
        }));
      const openHolds = cx.budget.ledger.openHolds();
      const text = [
        ...cx.budget.ledger
          .status(args.task)
          .map(
            (s) =>
              `${s.scope}${s.period ? ` ${s.period}` : ''}${s.task ? ` ${s.task}` : ''}: spent ${formatAmounts(s.spent)}; held ${formatAmounts(s.held)}; left ${formatAmounts(s.left)}${s.resetsAt === undefined ? '' : `; resets ${formatLocal(s.resetsAt, tz)}`}`,
          ),
        `${openHolds} call(s) in flight`,
      ].join('\n');
      return { structured: { timeZone: tz, scopes, openHolds }, text };
    },
  });
}
