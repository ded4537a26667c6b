// The terminal face of a run: @clack/prompts for the header, a spinner per model or tool call fed by
// the servers' progress notifications, a line per call, the approval preview with a yes/no question,
// and the summary. Every string that came from a model or a page is made inert first.
import * as p from '@clack/prompts';

import { inert as inertText } from '../../lib/terminal-text.js';
import { callLine, describeCall, inertLine } from './call-line.js';
import { type LineSpinner, lineSpinner } from './line-spinner.js';
import type { ToolCall, ToolOutcome } from './loop.js';
import type { ApprovalDecision, ApprovalRequest, RunInfo, RunSummary, RunView } from './view.js';

/** The preview part of a server's approval question (between its first line and the closing question). */
function previewOf(message: string): string {
  return message
    .replace(/^.*wants to run \S+ \([^)]*\)\.\s*\n+/, '')
    .replace(/\n+Approve this call\?\s*$/, '')
    .trim();
}

export function terminalView(options: { onPromptCancel: () => void }): RunView {
  let spin: LineSpinner | undefined;
  let streamed = '';
  let current = '';
  const startSpin = (message: string) => {
    spin?.clear();
    spin = lineSpinner(process.stdout, message);
  };
  const stopSpin = (message?: string) => {
    spin?.clear();
    spin = undefined;
    if (message !== undefined) p.log.step(message);
  };
  return {
    start(info: RunInfo) {
      p.intro(`hearth run ${info.runId}`);
      p.log.info(
        [
          `task: ${inertLine(info.task, 200)}`,
          `mode: ${info.mode} · servers: ${info.servers.join(', ')}`,
          `limits: ${info.limits.rounds} rounds, ${info.limits.tokens} tokens, $${info.limits.usd}`,
        ].join('\n'),
      );
    },
    scripted(model: string) {
      p.log.warn(`The model is scripted (${inertLine(model, 80)}): its answers come from a script file, not from a language model.`);
    },
    modelStart(round: number) {
      streamed = '';
      startSpin(`model thinking (round ${round})`);
    },
    modelText(text: string) {
      streamed += text;
      spin?.message(`model writing: ${inertLine(streamed.slice(-70), 70)}`);
    },
    modelEnd(_round: number, line: string) {
      stopSpin(inertLine(line, 200));
    },
    toolStart(call: ToolCall, server: string) {
      current = `${describeCall(call)} [${server}]`;
      startSpin(current);
    },
    toolProgress(message: string, progress: number, total: number | undefined) {
      const share = total ? ` ${Math.round((progress / total) * 100)}%` : '';
      spin?.message(`${current}${share}${message ? ` — ${inertLine(message, 80)}` : ''}`);
    },
    toolEnd(call: ToolCall, outcome: ToolOutcome) {
      stopSpin();
      p.log.message(callLine(call, outcome));
    },
    async approve(request: ApprovalRequest): Promise<ApprovalDecision> {
      stopSpin();
      p.note(inertText(previewOf(request.message)), `${request.server} asks to run ${inertLine(request.tool, 64)}`);
      const answer = await p.confirm({ message: 'Approve this call?', active: 'Approve', inactive: 'Deny', initialValue: false });
      if (p.isCancel(answer)) {
        options.onPromptCancel();
        startSpin(current);
        return { approve: false, by: 'person', reason: 'cancelled at the prompt' };
      }
      startSpin(current);
      return answer ? { approve: true, by: 'person' } : { approve: false, by: 'person', reason: 'denied' };
    },
    note(text: string) {
      stopSpin();
      p.log.message(inertText(text));
    },
    end(s: RunSummary) {
      stopSpin();
      if (s.answer) p.note(inertText(s.answer), 'answer');
      const lines = [
        `${s.outcome}: ${inertLine(s.reason, 300)}`,
        `${s.rounds} model rounds · ${s.calls} tool calls (${s.failedCalls} failed) · approvals: ${s.approvals.asked} asked, ${s.approvals.approved} approved, ${s.approvals.denied} denied`,
        `${s.tokens} tokens · ${s.usd} · ${s.seconds.toFixed(1)} s${s.scripted ? ' · scripted model' : ''}`,
        `saved: ${s.saved}`,
        `memory: ${s.logged}`,
      ];
      p.note(lines.join('\n'), 'summary');
      if (s.outcome === 'answered') p.outro(`done (hearth runs show ${s.runId})`);
      else p.cancel(`ended: ${s.outcome} (hearth runs show ${s.runId})`);
    },
  };
}
