// The face of a run without a terminal (or with --json): one JSON object per line on stdout, and
// nothing ever waits for input. An approval the servers ask for is declined — there is no person to
// ask — and the line says so; the run then stops (see loop.ts), with nothing changed. The lines go
// out through the CLI's output, which makes them inert (lib/terminal-text.ts) and keeps them JSON.
import type { ToolCall, ToolOutcome } from './loop.js';
import type { PlanStep } from './plan-driver.js';
import type { ApprovalDecision, ApprovalRequest, RunInfo, RunSummary, RunView } from './view.js';

export function jsonView(write: (line: string) => void): RunView {
  const emit = (event: Record<string, unknown>) => write(JSON.stringify({ ...event, at: new Date().toISOString() }));
  /** The call a progress line belongs to (calls run one at a time). */
  let running: { id: string; tool: string } | undefined;
  return {
    start: (info: RunInfo) => emit({ type: 'start', ...info }),
    scripted: (model: string) => emit({ type: 'scripted', model, note: 'the model is scripted: answers come from a script file' }),
    modelStart: (round: number) => emit({ type: 'model-start', round }),
    modelText: () => undefined,
    modelEnd: (round: number, line: string) => emit({ type: 'model', round, line }),
    toolStart: (call: ToolCall, server: string) => {
      running = { id: call.id, tool: call.name };
      emit({ type: 'tool-start', id: call.id, tool: call.name, server });
    },
    toolProgress: (message: string, progress: number, total: number | undefined) =>
      emit({ type: 'progress', ...running, progress, ...(total === undefined ? {} : { total }), message }),
    toolEnd: (call: ToolCall, o: ToolOutcome) =>
      emit({
        type: 'tool',
        id: call.id,
        tool: call.name,
        arguments: call.arguments,
        ok: o.ok,
        ms: Math.round(o.ms),
        summary: o.summary,
        ...(o.code ? { code: o.code } : {}),
        ...(o.previewed ? { previewed: true } : {}),
      }),
    planReport: (text: string) => emit({ type: 'plan-report', text }),
    planSteps: (steps: readonly PlanStep[], done: number, total: number) =>
      emit({ type: 'plan-steps', done, total, steps: steps.map((s) => ({ ...s })) }),
    approve(request: ApprovalRequest): Promise<ApprovalDecision> {
      const reason = 'no terminal to ask a person on (non-interactive or --json run)';
      emit({
        type: 'approval',
        server: request.server,
        tool: request.tool,
        preview: request.message,
        decision: 'declined',
        reason,
      });
      return Promise.resolve({ approve: false, by: 'hearth run', reason });
    },
    note: (text: string) => emit({ type: 'note', text: text }),
    end: (summary: RunSummary) => emit({ type: 'end', ...summary, answer: summary.answer }),
  };
}
