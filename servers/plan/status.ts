// A run as plan_status, plan_run and plan_list show it: its state, each step's state, attempts,
// timings and bounded output, and a live step list as text.
import * as z from 'zod';

import { RUN_STATES, type RunRow, STEP_STATES, type StepRow } from './store.js';

const OUTPUT_CHARS = 2_000;

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
  steps: z.array(StepStatus),
  outputs: z.record(z.string(), z.unknown()).nullable(),
});
export type RunStatus = z.infer<typeof RunStatus>;

function bounded(value: unknown): unknown {
  const text = JSON.stringify(value ?? null);
  return text.length <= OUTPUT_CHARS ? value : `${text.slice(0, OUTPUT_CHARS)}… [${text.length - OUTPUT_CHARS} more characters]`;
}

export function runStatus(run: RunRow, steps: StepRow[], withOutputs = true): RunStatus {
  const tools = new Map(run.plan.steps.map((s) => [s.id, s.tool]));
  return {
    id: run.id,
    state: run.state,
    reason: run.reason,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    playbook: run.playbook,
    name: run.plan.name ?? null,
    progress: { done: steps.filter((s) => s.state === 'done' || s.state === 'skipped').length, total: steps.length },
    steps: steps.map((s) => ({
      id: s.stepId,
      tool: tools.get(s.stepId) ?? '?',
      state: s.state,
      attempts: s.attempts,
      idempotencyKey: s.key,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      ...(withOutputs && s.output !== null ? { output: bounded(s.output) } : {}),
      error: s.error ? { code: s.error.code, message: s.error.message, ...(s.error.hint ? { hint: s.error.hint } : {}) } : null,
      undo: s.undoState,
    })),
    outputs: run.outputs,
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
  if (status.outputs && Object.keys(status.outputs).length) lines.push(`  outputs: ${JSON.stringify(status.outputs).slice(0, 500)}`);
  return lines.join('\n');
}
