// A run as plan_status, plan_run and plan_list show it: its state, each step's state, attempts,
// timings and bounded output, and a live step list as text. A run of a thousand steps is shown a
// page of steps at a time, and a page's outputs together stay under a budget, so an answer stays
// small whatever the run did.
import * as z from 'zod';

import { type PlanStore, RUN_STATES, type RunRow, STEP_STATES, type StepRow } from './store.js';

const OUTPUT_CHARS = 2_000;
/** The steps of one page unless asked otherwise, and at most. */
export const PAGE_STEPS = 100;
export const MAX_PAGE_STEPS = 500;
/** A page ends early rather than carry more step output than this (JSON characters). */
const PAGE_OUTPUT_CHARS = 50_000;

export const StepStatus = z.object({
  id: z.string(),
  tool: z.string(),
  state: z.enum(STEP_STATES),
  attempts: z.number().int(),
  idempotencyKey: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  output: z.unknown().optional().describe('The step’s output, cut to 2,000 characters of JSON.'),
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).nullable(),
  undo: z.string().nullable().describe('Compensation: started, calling, done or failed.'),
});

export const RunStatus = z.object({
  id: z.string(),
  state: z.enum(RUN_STATES),
  reason: z.string().nullable().describe('Why the run is paused, failed or cancelled.'),
  createdAt: z.string(),
  updatedAt: z.string(),
  playbook: z.string().nullable(),
  name: z.string().nullable(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  steps: z.array(StepStatus).describe('One page of the steps, in plan order, from stepsPage.offset.'),
  stepsPage: z.object({
    offset: z.number().int(),
    total: z.number().int(),
    next: z.number().int().nullable().describe('The offset of the next page of steps (pass it to plan_status), or null at the end.'),
  }),
  outputs: z.record(z.string(), z.unknown()).nullable(),
});
export type RunStatus = z.infer<typeof RunStatus>;

function bounded(value: unknown): unknown {
  const text = JSON.stringify(value ?? null);
  return text.length <= OUTPUT_CHARS ? value : `${text.slice(0, OUTPUT_CHARS)}… [${text.length - OUTPUT_CHARS} more characters]`;
}

/** The run with one page of its steps, read from the store: what every plan tool that shows a run answers. */
export function runPage(store: PlanStore, run: RunRow, page: { offset?: number; limit?: number } = {}): RunStatus {
  const offset = page.offset ?? 0;
  const limit = Math.min(page.limit ?? PAGE_STEPS, MAX_PAGE_STEPS);
  return runStatus(run, store.stepsPage(run.id, offset, limit), store.progress(run.id), offset);
}

export function runStatus(run: RunRow, page: StepRow[], progress: { done: number; total: number }, offset = 0): RunStatus {
  const tools = new Map(run.plan.steps.map((s) => [s.id, s.tool]));
  const steps: RunStatus['steps'] = [];
  let budget = PAGE_OUTPUT_CHARS;
  for (const s of page) {
    const output = s.output === null ? undefined : bounded(s.output);
    const size = output === undefined ? 0 : JSON.stringify(output).length;
    if (steps.length > 0 && size > budget) break;
    budget -= size;
    steps.push({
      id: s.stepId,
      tool: tools.get(s.stepId) ?? '?',
      state: s.state,
      attempts: s.attempts,
      idempotencyKey: s.key,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      ...(output === undefined ? {} : { output }),
      error: s.error ? { code: s.error.code, message: s.error.message, ...(s.error.hint ? { hint: s.error.hint } : {}) } : null,
      undo: s.undoState,
    });
  }
  const end = offset + steps.length;
  return {
    id: run.id,
    state: run.state,
    reason: run.reason,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    playbook: run.playbook,
    name: run.plan.name ?? null,
    progress,
    steps,
    stepsPage: { offset, total: progress.total, next: end < progress.total ? end : null },
    outputs: run.outputs && Object.fromEntries(Object.entries(run.outputs).map(([k, v]) => [k, bounded(v)])),
  };
}

const MARK: Record<string, string> = {
  pending: '·',
  started: '▸',
  calling: '▸',
  done: '✓',
  skipped: '○',
  failed: '✗',
  waiting: '⏸',
  unknown: '?',
  compensating: '↺',
  compensated: '↺',
};

/** The run as a step list, one line per step: what `hearth plan status` prints and redraws. */
export function renderStatus(status: RunStatus): string {
  const lines = [
    `${status.id} ${status.name ? `(${status.name}) ` : ''}${status.state} — ${status.progress.done}/${status.progress.total} steps`,
  ];
  if (status.reason) lines.push(`  ${status.reason}`);
  for (const s of status.steps) {
    const extra = s.error ? ` — ${s.error.code}: ${s.error.message}` : s.attempts > 1 ? ` (${s.attempts} attempts)` : '';
    lines.push(`  ${MARK[s.state] ?? ' '} ${s.id.padEnd(16)} ${s.tool.padEnd(20)} ${s.state}${s.undo ? `, undo ${s.undo}` : ''}${extra}`);
  }
  const { offset, total, next } = status.stepsPage;
  if (offset > 0 || next !== null)
    lines.push(
      `  steps ${offset + 1}–${offset + status.steps.length} of ${total}${next !== null ? `; the next page: offset ${next}` : ''}`,
    );
  if (status.outputs && Object.keys(status.outputs).length) lines.push(`  outputs: ${JSON.stringify(status.outputs).slice(0, 500)}`);
  return lines.join('\n');
}
