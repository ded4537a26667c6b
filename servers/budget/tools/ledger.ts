// budget_ledger: the ledger itself, newest first — one row per model attempt (held, or settled at
// what it used) and per cache hit — filtered and paged.
import * as z from 'zod';

import { invalidArgument } from '../../../lib/errors.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import { pageLedger } from '../ledger/ledger-page.js';
import { formatUsd } from '../money.js';
import type { BudgetRuntime } from '../runtime.js';
import { TaskArg } from './common.js';

const Amount = z.object({ tokens: z.number().int(), usd: z.string(), usdMicros: z.number().int(), seconds: z.number() });

const Row = z.object({
  id: z.number().int(),
  callId: z.string().describe('Rows of one llm_generate call share it.'),
  attempt: z.number().int(),
  at: z.string().describe('When the hold was made (ISO 8601).'),
  task: z.string().nullable(),
  model: z.string().describe('provider/model'),
  kind: z.enum(['call', 'cache-hit']),
  state: z.enum(['held', 'settled']),
  outcome: z.string().nullable().describe('ok, failed, cancelled, expired (settled at its reserved amount), cache-hit; null while held.'),
  reserved: Amount,
  used: Amount.extend({ inputTokens: z.number().int(), outputTokens: z.number().int() }).nullable(),
  error: z.string().nullable(),
});

const Output = z.object({
  rows: z.array(Row),
  nextCursor: z.string().optional().describe('Pass as cursor for the next (older) page.'),
});

const amount = (a: { tokens: number; micros: number; ms: number }) => ({
  tokens: a.tokens,
  usd: formatUsd(a.micros),
  usdMicros: a.micros,
  seconds: a.ms / 1000,
});

export function ledgerTool(cx: BudgetRuntime): Tool {
  return defineTool({
    name: 'budget_ledger',
    title: 'Read the LLM ledger',
    description:
      'Reads the LLM spending ledger, newest first, filtered and paged: one row per model attempt (what it reserved before the call, what it used after, its outcome) and per cache hit.',
    effect: 'read',
    input: z.object({
      task: TaskArg.optional().describe('Only this task’s rows.'),
      provider: z.string().min(1).max(64).optional().describe('Only this provider, e.g. ollama.'),
      outcome: z
        .enum(['ok', 'failed', 'cancelled', 'expired', 'cache-hit', 'held'])
        .optional()
        .describe('Only rows with this outcome; held: calls in flight.'),
      period: z.enum(['day', 'month', 'all']).default('month').describe('The current day, the current month, or everything.'),
      cursor: z.string().optional().describe('nextCursor from the previous page.'),
      limit: z.number().int().min(1).max(200).default(50).describe('Rows per page.'),
    }),
    output: Output,
    async handler(args) {
      let before: number | undefined;
      if (args.cursor !== undefined) {
        if (!/^\d{1,15}$/.test(args.cursor))
          throw invalidArgument(
            'cursor',
            'not a cursor this tool returned',
            'Pass nextCursor from a previous budget_ledger result, or leave it out.',
          );
        before = Number(args.cursor);
      }
      const page = pageLedger(cx.budget.ledger.db, cx.budget.ledger.calendar, cx.budget.ledger.now(), {
        ...(args.task === undefined ? {} : { task: args.task }),
        ...(args.provider === undefined ? {} : { provider: args.provider }),
        ...(args.outcome === undefined ? {} : { outcome: args.outcome }),
        period: args.period,
        ...(before === undefined ? {} : { before }),
        limit: args.limit,
      });
      const rows = page.rows.map((r) => ({
        id: r.id,
        callId: r.callId,
        attempt: r.attempt,
        at: new Date(r.at).toISOString(),
        task: r.task,
        model: `${r.provider}/${r.model}`,
        kind: r.kind,
        state: r.state,
        outcome: r.outcome,
        reserved: amount(r.reserved),
        used: r.used ? { ...amount(r.used), inputTokens: r.used.inputTokens, outputTokens: r.used.outputTokens } : null,
        error: r.error,
      }));
      const text = rows.length
        ? rows
            .map(
              (r) =>
                `#${r.id} ${r.at} ${r.model} ${r.state}${r.outcome ? ` ${r.outcome}` : ''} ${r.used ? r.used.usd : `held ${r.reserved.usd}`}${r.task ? ` task ${r.task}` : ''}`,
            )
            .join('\n')
        : 'no ledger rows match';
      return { structured: { rows, ...(page.nextCursor === undefined ? {} : { nextCursor: String(page.nextCursor) }) }, text };
    },
  });
}
