// One `hearth run`: start the servers, run the bounded loop with the person's approvals, keep the
// artifacts, log the task to memory, save the record and show the summary. The command (commands/
// run.ts) parses flags and picks the view; the demo drives this same function with its own view.
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { describeError } from '../../lib/errors.js';
import type { Mode } from '../../policies/modes.js';
import { emptyResult, type LoopResult, type Message, type ModelTurn, runLoop, type ToolCall, type ToolOutcome } from './loop.js';
import { callModel } from './model-call.js';
import { gateOther, otherApproval } from './other-call.js';
import type { OtherServer } from './other-servers.js';
import { type PlanCallResult, runPlanDriver } from './plan-driver.js';
import { planSystemPrompt, submitPlanFunction } from './plan-prompt.js';
import type { RunAudit } from './run-audit.js';
import { type ApprovalRecord, newRunId, type RunRecord, RunStore } from './run-record.js';
import { type ElicitationAnswer, openSuite, type Suite } from './suite.js';
import { systemPrompt } from './system-prompt.js';
import { firstLine, readToolResult } from './tool-result.js';
import type { RunSummary, RunView } from './view.js';

export interface RunOptions {
  task: string;
  /** The mode asked for; each server narrows its own mode to it, never widens. */
  mode: Mode;
  servers: string[];
  /** The model writes one plan, run through the plan server (validate, simulate, one approval, run). */
  plan?: boolean;
  limits: { rounds: number; tokens: number; usd: number };
  tier: 'fast' | 'smart' | 'auto';
  home: string;
  /** How to start `hearth mcp <server>`. */
  launch: { command: string; prefix: string[]; suffix: string[]; env: Record<string, string> };
  view: RunView;
  /** Other MCP servers the person listed: their tools join the run, gated by the run (other-call.ts). */
  others?: readonly OtherServer[];
  /** Audit rows for the calls no Hearth server records (calls to other servers). */
  audit?: RunAudit;
  /** Aborted by Ctrl-C. */
  signal: AbortSignal;
}

export interface RunResult {
  record: RunRecord;
  summary: RunSummary;
}

const TOOL_TIMEOUT_MS = 30 * 60_000;
const MAX_ARTIFACT_BYTES = 50 * 1024 * 1024;
/** The servers whose tools the model gets; the budget server is the model itself. */
const MODEL_FACING = (server: string) => server !== 'budget';

const formatUsd = (micros: number) => `$${(micros / 1e6).toFixed(4)}`;

export async function runTask(options: RunOptions): Promise<RunResult> {
  const started = new Date();
  const runId = newRunId(started);
  const store = new RunStore(join(options.home, 'runs'));
  const folder = store.folder(runId);
  const logFd = openSync(join(folder, 'servers.log'), 'a', 0o600);
  const approvals: ApprovalRecord[] = [];
  const links: { server: string; uri: string; name: string }[] = [];
  const view = options.view;
  // Set only around the run's own memory_log_task call: logging every run is what `hearth run` does
  // when the person starts it, so that one question is answered by the run, not put to the person.
  let ownLogCall = false;

  const onElicitation = async ({ server, message }: { server: string; message: string }): Promise<ElicitationAnswer> => {
    const tool = /wants to run (\S+)/.exec(message)?.[1] ?? 'a tool';
    const at = new Date().toISOString();
    if (ownLogCall && server === 'memory' && tool === 'memory_log_task') return 'approve';
    const decision = await view.approve({ server, tool, message });
    approvals.push({
      server,
      tool,
      preview: message,
      decision: decision.approve ? 'approved' : 'denied',
      by: decision.by,
      ...(decision.approve ? {} : { reason: decision.reason }),
      at,
    });
    return decision.approve ? 'approve' : 'deny';
  };

  let suite: Suite | undefined;
  let loop: LoopResult | undefined;
  let failure: string | undefined;
  const messages: Message[] = [
    { role: 'system', content: systemPrompt(options.mode, started.toISOString().slice(0, 10)) },
    { role: 'user', content: options.task },
  ];
  view.start({ runId, task: options.task, mode: options.mode, servers: options.servers, limits: options.limits });
  try {
    const names = [...options.servers, ...(options.plan ? ['plan'] : []), 'budget'];
    suite = await openSuite({
      servers: [...new Set(names)],
      others: options.others ?? [],
      ...options.launch,
      stderr: logFd,
      onElicitation,
    });
    const opened = suite;
    if (opened.leftOut.length)
      view.note(
        `left out ${opened.leftOut.length} tool${opened.leftOut.length === 1 ? '' : 's'} the model cannot call by name ` +
          `(<server>__<tool> must be letters, digits, _ and -, at most 64 characters): ` +
          opened.leftOut.map((t) => `${t.server}.${t.tool.length > 80 ? `${t.tool.slice(0, 80)}…` : t.tool}`).join(', '),
      );
    const tools = opened.tools.filter((t) => MODEL_FACING(t.server) && (!options.plan || t.server !== 'plan'));
    let announcedScripted = false;
    const model = (conversation: readonly Message[], signal: AbortSignal, offered = tools) =>
      callModel(
        opened.client('budget'),
        conversation,
        {
          task: runId,
          tools: offered,
          limits: { usd: options.limits.usd, tokens: options.limits.tokens },
          tier: options.tier,
          onText: (text) => view.modelText(text),
        },
        signal,
      );
    const modelEnd = (round: number, turn: ModelTurn) => {
      if (turn.scripted && !announcedScripted) {
        announcedScripted = true;
        view.scripted(turn.model);
      }
      const asks = turn.toolCalls.length ? `asks for ${turn.toolCalls.map((c) => c.name).join(', ')}` : 'answers';
      view.modelEnd(
        round,
        `model ${turn.model} ${asks} (round ${round}, ${turn.inputTokens + turn.outputTokens} tokens, ${formatUsd(turn.usdMicros)})`,
      );
    };
    if (options.plan) {
      messages[0] = { role: 'system', content: planSystemPrompt(options.mode, started.toISOString().slice(0, 10), tools) };
      const offered = [submitPlanFunction()];
      loop = await runPlanDriver(messages, {
        model: (conversation, signal) => model(conversation, signal, offered),
        call: (name, args, signal, onProgress) => callPlan(opened, name, args, options.mode, signal, onProgress),
        mode: options.mode,
        limits: { rounds: options.limits.rounds, tokens: options.limits.tokens, usdMicros: Math.round(options.limits.usd * 1e6) },
        signal: options.signal,
        events: {
          modelStart: (round) => view.modelStart(round),
          modelEnd,
          callStart: (call) => view.toolStart(call, 'plan'),
          callEnd: (call, out) =>
            view.toolEnd(call, {
              ok: out.ok,
              content: out.text,
              summary: firstLine(out.text),
              ms: out.ms,
              ...(out.code ? { code: out.code } : {}),
            }),
          report: (text) => view.planReport(text),
          steps: (steps, done, total) => view.planSteps(steps, done, total),
          progress: (message, progress, total) => view.toolProgress(message, progress, total),
        },
      });
    } else
      loop = await runLoop(messages, {
        known: (name) => tools.some((t) => t.name === name),
        limits: { rounds: options.limits.rounds, tokens: options.limits.tokens, usdMicros: Math.round(options.limits.usd * 1e6) },
        signal: options.signal,
        model: (conversation, signal) => model(conversation, signal),
        tool: (call, signal) => {
          const tool = opened.toolNamed(call.name)!;
          if (!tool.other) return callTool(opened, call, options.mode, signal, view, links);
          return callOther(
            opened,
            call,
            options,
            signal,
            async (message) => (await onElicitation({ server: tool.server, message })) === 'approve',
          );
        },
        events: {
          modelStart: (round) => view.modelStart(round),
          modelEnd,
          toolStart: (_round, call) => view.toolStart(call, opened.toolNamed(call.name)?.server ?? '?'),
          toolEnd: (_round, call, outcome) => view.toolEnd(call, outcome),
        },
      });
  } catch (error) {
    failure = describeError(error);
  }

  const result: LoopResult =
    loop ??
    (options.signal.aborted
      ? emptyResult(messages, 'cancelled', 'cancelled before the run started')
      : emptyResult(messages, 'failed', `the run could not start: ${failure ?? 'unknown error'}`));
  if (loop && result.outcome === 'denied' && approvals.at(-1)?.by === 'hearth run')
    result.reason = `${approvals.at(-1)!.tool} needs a person's approval and there is no terminal to ask on; it was declined and the run stopped there, with nothing changed`;

  // The artifacts come from the web server, the log goes to memory: two servers, so at once.
  let artifacts: { uri: string; file?: string }[] = [];
  let logged = 'not logged (the servers did not start)';
  if (suite) {
    ownLogCall = true;
    [artifacts, logged] = await Promise.all([
      keepArtifacts(suite, links, join(folder, 'artifacts')),
      logToMemory(suite, options, runId, result),
    ]);
    ownLogCall = false;
  }

  const record: RunRecord = {
    id: runId,
    task: options.task,
    startedAt: started.toISOString(),
    endedAt: new Date().toISOString(),
    mode: options.mode,
    servers: options.servers,
    limits: options.limits,
    outcome: result.outcome,
    reason: result.reason,
    answer: result.answer,
    rounds: result.rounds,
    inputTokens: result.inputTokens,
    outputTokens: result.outputTokens,
    usdMicros: result.usdMicros,
    models: result.models,
    scripted: result.scripted,
    calls: result.calls,
    approvals,
    artifacts,
    logged,
    transcript: result.messages,
  };
  const saved = store.save(record);
  const summary: RunSummary = {
    runId,
    outcome: result.outcome,
    reason: result.reason,
    answer: result.answer,
    rounds: result.rounds,
    calls: result.calls.length,
    failedCalls: result.calls.filter((c) => !c.ok).length,
    approvals: {
      asked: approvals.length,
      approved: approvals.filter((a) => a.decision === 'approved').length,
      denied: approvals.filter((a) => a.decision === 'denied').length,
    },
    tokens: result.inputTokens + result.outputTokens,
    usd: formatUsd(result.usdMicros),
    seconds: (Date.now() - started.getTime()) / 1000,
    scripted: result.scripted,
    models: result.models,
    saved,
    logged,
  };
  // The person sees the outcome first; the servers' orderly shutdown (Chromium, databases) follows.
  view.end(summary);
  await suite?.close();
  closeSync(logFd);
  return { record, summary };
}

async function callTool(
  suite: Suite,
  call: ToolCall,
  mode: Mode,
  signal: AbortSignal,
  view: RunView,
  links: { server: string; uri: string; name: string }[],
): Promise<ToolOutcome> {
  const tool = suite.toolNamed(call.name)!;
  const started = performance.now();
  try {
    const result = await suite.client(tool.server).callTool(
      { name: call.name, arguments: call.arguments, _meta: { 'hearth/mode': mode } },
      {
        signal,
        timeout: TOOL_TIMEOUT_MS,
        resetTimeoutOnProgress: true,
        onprogress: (p) => view.toolProgress(p.message ?? '', p.progress, p.total),
      },
    );
    const read = readToolResult(result);
    links.push(...read.links.map((l) => ({ ...l, server: tool.server })));
    return {
      ...outcomeOf(read, started),
      ...(read.previewed ? { previewed: true } : {}),
      artifacts: read.links.map((l) => l.uri),
    };
  } catch (error) {
    const ms = performance.now() - started;
    if (signal.aborted) return { ok: false, code: 'CANCELLED', content: 'Cancelled by the person.', summary: 'cancelled', ms };
    const message = describeError(error);
    return { ok: false, code: 'INTERNAL', content: `Error: the call failed: ${message}`, summary: message, ms };
  }
}

/**
 * A call to another MCP server's tool, gated here because that server enforces nothing of Hearth's:
 * observe previews without calling, draft asks the person, autopilot calls (other-call.ts says what
 * this can and cannot guarantee). Each call, refusal and result is an audit row.
 */
async function callOther(
  suite: Suite,
  call: ToolCall,
  options: RunOptions,
  signal: AbortSignal,
  ask: (message: string) => Promise<boolean>,
): Promise<ToolOutcome> {
  const tool = suite.toolNamed(call.name)!;
  const started = performance.now();
  const audit = (decision: Parameters<RunAudit>[0]['decision'], outcome: 'ok' | 'error', summary: string, errorCode?: string) =>
    options.audit?.({
      server: tool.server,
      tool: tool.remoteName,
      effect: tool.readOnly ? 'read' : 'external',
      mode: options.mode,
      decision,
      args: call.arguments,
      outcome,
      errorCode,
      summary,
      durationMs: Math.round(performance.now() - started),
    });
  const gate = gateOther(options.mode, tool.readOnly);
  if (gate === 'preview') {
    const text = `Observe mode: ${tool.server}.${tool.remoteName} was not called — it is another MCP server's tool that is not marked read-only, so it may change something, and it has no preview. It would have been called with ${JSON.stringify(call.arguments)}.`;
    audit('previewed', 'ok', 'not called: observe mode');
    return {
      ok: true,
      previewed: true,
      content: text,
      summary: 'not called (observe mode; another server’s tool that may change something)',
      ms: 0,
    };
  }
  let decision: 'ran' | 'ran-approved' = 'ran';
  if (gate === 'ask') {
    audit('approval-asked', 'ok', 'asked the person');
    if (!(await ask(otherApproval(tool.server, tool.remoteName, call.arguments)))) {
      audit('denied-by-person', 'error', 'the person said no', 'APPROVAL_DENIED');
      return {
        ok: false,
        code: 'APPROVAL_DENIED',
        content: `Error APPROVAL_DENIED: the person declined ${tool.server}.${tool.remoteName}; nothing was called.`,
        summary: 'the person declined; not called',
        ms: performance.now() - started,
      };
    }
    decision = 'ran-approved';
  }
  try {
    const result = await suite.client(tool.server).callTool(
      { name: tool.remoteName, arguments: call.arguments },
      {
        signal,
        timeout: TOOL_TIMEOUT_MS,
        resetTimeoutOnProgress: true,
        onprogress: (p) => options.view.toolProgress(p.message ?? '', p.progress, p.total),
      },
    );
    const read = readToolResult(result);
    audit(decision, read.ok ? 'ok' : 'error', firstLine(read.text), read.code);
    return outcomeOf(read, started);
  } catch (error) {
    const ms = performance.now() - started;
    const message = signal.aborted ? 'cancelled by the person' : describeError(error);
    audit(decision, 'error', message, signal.aborted ? 'CANCELLED' : 'UNAVAILABLE');
    if (signal.aborted) return { ok: false, code: 'CANCELLED', content: 'Cancelled by the person.', summary: 'cancelled', ms };
    return { ok: false, code: 'UNAVAILABLE', content: `Error: the call failed: ${message}`, summary: message, ms };
  }
}

/** One call to the plan server, under the run's mode, with its progress notifications passed on. */
async function callPlan(
  suite: Suite,
  name: string,
  args: Record<string, unknown>,
  mode: Mode,
  signal: AbortSignal,
  onProgress?: (progress: number, total: number | undefined, message: string) => void,
): Promise<PlanCallResult> {
  const started = performance.now();
  try {
    const result = await suite.client('plan').callTool(
      { name, arguments: args, _meta: { 'hearth/mode': mode } },
      {
        signal,
        timeout: TOOL_TIMEOUT_MS,
        resetTimeoutOnProgress: true,
        ...(onProgress
          ? { onprogress: (p: { progress: number; total?: number; message?: string }) => onProgress(p.progress, p.total, p.message ?? '') }
          : {}),
      },
    );
    const read = readToolResult(result);
    return {
      ok: read.ok,
      text: read.text,
      ...(read.code ? { code: read.code } : {}),
      structured: (result.structuredContent ?? {}) as Record<string, unknown>,
      ms: performance.now() - started,
    };
  } catch (error) {
    const ms = performance.now() - started;
    if (signal.aborted) return { ok: false, code: 'CANCELLED', text: 'Cancelled by the person.', structured: {}, ms };
    return { ok: false, code: 'INTERNAL', text: `the call failed: ${describeError(error)}`, structured: {}, ms };
  }
}

/** Copies the resources the run's calls produced (screenshots, traces, session logs) into the run folder. */
async function keepArtifacts(
  suite: Suite,
  links: readonly { server: string; uri: string; name: string }[],
  dir: string,
): Promise<{ uri: string; file?: string }[]> {
  const out: { uri: string; file?: string }[] = [];
  for (const [i, link] of links.entries()) {
    try {
      const read = await suite.client(link.server).readResource({ uri: link.uri });
      const first = read.contents[0] as { blob?: string; text?: string } | undefined;
      const bytes = first?.blob !== undefined ? Buffer.from(first.blob, 'base64') : Buffer.from(first?.text ?? '', 'utf8');
      if (!first || bytes.length > MAX_ARTIFACT_BYTES) {
        out.push({ uri: link.uri });
        continue;
      }
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const name = `${String(i + 1).padStart(2, '0')}-${
        basename(link.name)
          .replace(/[^\w.-]+/g, '_')
          .slice(0, 80) || 'artifact'
      }`;
      writeFileSync(join(dir, name), bytes, { mode: 0o600 });
      out.push({ uri: link.uri, file: join(dir, name) });
    } catch {
      out.push({ uri: link.uri });
    }
  }
  return out;
}

const TASK_OUTCOME: Record<LoopResult['outcome'], 'succeeded' | 'failed' | 'partial' | 'abandoned'> = {
  answered: 'succeeded',
  limit: 'partial',
  failed: 'failed',
  denied: 'abandoned',
  cancelled: 'abandoned',
};

async function logToMemory(suite: Suite, options: RunOptions, runId: string, result: LoopResult): Promise<string> {
  if (!options.servers.includes('memory')) return 'not logged (the memory server is not part of this run)';
  try {
    const logged = await suite.client('memory').callTool(
      {
        name: 'memory_log_task',
        arguments: {
          task: options.task.slice(0, 2000),
          steps: result.calls.slice(0, 200).map((c) => ({
            action: `${c.name} ${JSON.stringify(c.arguments)}`.slice(0, 2000),
            result: c.summary.slice(0, 4000),
            ok: c.ok,
          })),
          outcome: TASK_OUTCOME[result.outcome],
          notes: `hearth run ${runId} (${options.mode} mode): ${result.reason}.${result.answer ? `\n\n${result.answer}` : ''}`.slice(
            0,
            20_000,
          ),
          tags: ['hearth-run', options.mode],
        },
        _meta: { 'hearth/mode': options.mode },
      },
      { timeout: 60_000 },
    );
    const read = readToolResult(logged);
    if (read.previewed) return 'not logged: observe mode changes nothing, the task log included';
    if (!read.ok) return `not logged: ${firstLine(read.text)}`;
    const id = (logged.structuredContent as { documentId?: number } | undefined)?.documentId;
    return `logged as task #${id ?? '?'} (memory_search with collections ["_tasks"])`;
  } catch (error) {
    return `not logged: ${describeError(error)}`;
  }
}

/** What the model and the person are told of a finished call (the text, or the error with its code). */
function outcomeOf(read: ReturnType<typeof readToolResult>, started: number): ToolOutcome {
  return {
    ok: read.ok,
    content: read.ok ? read.text : `Error${read.code ? ` ${read.code}` : ''}: ${read.text}`,
    summary: firstLine(read.text),
    ms: performance.now() - started,
    ...(read.code ? { code: read.code } : {}),
  };
}
