// The terminal face of a run: @clack/prompts for the header, a spinner per model or tool call fed by
// the servers' progress notifications, a line per call, the approval preview with a yes/no question,
// and the summary. Every string that came from a model or a page is made inert first.
import * as p from '@clack/prompts';

import { inert as inertText } from '../../lib/terminal-text.js';
import { callLine, describeCall, inertLine } from './call-line.js';
import { type LineSpinner, lineSpinner } from './line-spinner.js';
import type { ToolCall, ToolOutcome } from './loop.js';
import type { PlanStep } from './plan-driver.js';
import { progressBar } from './progress-bar.js';
import type { ApprovalDecision, ApprovalRequest, RunInfo, RunSummary, RunView } from './view.js';

/** The preview part of a server's approval question (between its first line and the closing question). */
function previewOf(message: string): string {
  return message
    .replace(/^.*wants to run \S+ \([^)]*\)\.\s*\n+/, '')
    .replace(/\n+Approve this call\?\s*$/, '')
    .trim();
}

const STEP_MARK: Record<string, string> = { done: '✓', failed: '✗', skipped: '○', compensated: '↺', unknown: '?' };

export function terminalView(options: { onPromptCancel: () => void }): RunView {
  let spin: LineSpinner | undefined;
  /** The simulation report on screen: the plan's approval question repeats it, and it is not shown twice. */
  let report = '';
  /** Steps whose final state has been printed. */
  const printed = new Set<string>();
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
      const bar = total ? ` ${progressBar(progress, total)}` : '';
      spin?.message(`${current}${bar}${message ? ` — ${inertLine(message, 80)}` : ''}`);
    },
    toolEnd(call: ToolCall, outcome: ToolOutcome) {
      stopSpin();
      p.log.message(callLine(call, outcome));
    },
    planReport(text: string) {
      stopSpin();
      report = text.trim();
      p.note(inertText(report), 'the plan, simulated (nothing has changed)');
    },
    planSteps(steps: readonly PlanStep[], done: number, total: number) {
      const fresh = steps.filter((s) => STEP_MARK[s.state] && !printed.has(s.id));
      if (fresh.length) spin?.clear();
      for (const s of fresh) {
        printed.add(s.id);
        const n = steps.indexOf(s) + 1;
        p.log.message(`${STEP_MARK[s.state]} step ${n}/${steps.length} ${inertLine(s.id, 64)} — ${inertLine(s.tool, 64)} ${s.state}`);
      }
      const running = steps.find((s) => s.state === 'calling' || s.state === 'started' || s.state === 'waiting');
      const line = `${current}${running ? ` · ${inertLine(running.id, 64)} ${running.state}` : ''} ${progressBar(done, total)}`;
      if (fresh.length) spin = lineSpinner(process.stdout, line);
      else spin?.message(line);
    },
    async approve(request: ApprovalRequest): Promise<ApprovalDecision> {
      stopSpin();
      const preview = previewOf(request.message);
      const shown = report && preview.includes(report) ? preview.replace(report, '(the simulated plan shown above)') : preview;
      p.note(inertText(shown), `${request.server} asks to run ${inertLine(request.tool, 64)}`);
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
