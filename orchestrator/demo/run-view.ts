// How the demo shows a `hearth run`: the same lines as the terminal (one per tool call), with the
// demo playing the person who approves — it prints the preview the person would see, then says yes.
import { inert as inertText } from '../../lib/terminal-text.js';
import { callLine, inertLine } from '../run/call-line.js';
import type { ApprovalDecision, ApprovalRequest, RunView } from '../run/view.js';
import type { Printer } from './print.js';

export function demoRunView(p: Printer, onApproval: (request: ApprovalRequest) => void): RunView {
  return {
    start: (info) => p.step(`hearth run "${inertLine(info.task, 120)}" (mode ${info.mode}; run ${info.runId})`),
    scripted: (model) => p.detail(`the model is scripted (${model}): its answers come from a script file, not from a language model`),
    modelStart: () => undefined,
    modelText: () => undefined,
    modelEnd: () => undefined,
    toolStart: () => undefined,
    toolProgress: () => undefined,
    toolEnd: (call, outcome) => p.detail(callLine(call, outcome), 1),
    planReport: (text) => p.detail(inertText(text), 40),
    planSteps: () => undefined,
    approve(request: ApprovalRequest): Promise<ApprovalDecision> {
      onApproval(request);
      p.step(`${request.server} asks the person to approve ${request.tool}; the preview they see:`);
      p.detail(inertText(request.message), 40);
      p.step('The demo answers yes, as the person would.');
      return Promise.resolve({ approve: true, by: 'the demo (playing the person)' });
    },
    note: (text) => p.detail(inertText(text)),
    end: (s) =>
      p.detail(
        [
          `${s.outcome}: ${inertLine(s.reason, 200)}`,
          `${s.rounds} model rounds, ${s.calls} tool calls, ${s.approvals.asked} approval${s.approvals.asked === 1 ? '' : 's'} asked, ${s.tokens} tokens, ${s.usd}, ${s.seconds.toFixed(1)} s`,
          `answer: ${inertLine(s.answer, 300)}`,
          `saved: ${s.saved}`,
          `memory: ${s.logged}`,
        ].join('\n'),
      ),
  };
}
