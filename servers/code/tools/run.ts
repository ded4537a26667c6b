// code_run: run JavaScript in a session or in a fresh one-shot isolate. Limits are checked against
// the server's settings; time and memory limits come back as tool errors naming the limit, an
// exception thrown by the code comes back as a normal result with status "threw".
import * as z from 'zod';

import { HearthError, invalidArgument } from '../../../lib/errors.js';
import { defineTool, type Tool, type ToolContext } from '../../../shared/tool.js';
import { LimitsInput, resolveMemoryMb, resolveRunLimits, type RunLimits } from '../limits.js';
import type { CodeRuntime } from '../runtime.js';
import type { RunOutcome } from '../sandbox/protocol.js';
import {
  changeLinks,
  ErrorInfoOut,
  FileChangesOut,
  networkNote,
  OutputOut,
  renderFiles,
  renderOutput,
  SessionArg,
  workspaceName,
} from './common.js';

const Input = z.object({
  code: z
    .string()
    .min(1)
    .describe(
      'JavaScript to run (a script, not a module). The value of the last expression is returned; top-level await works; a promise as the last value is awaited.',
    ),
  session: SessionArg,
  limits: LimitsInput.optional().describe('Ask for tighter limits than the server defaults; never looser.'),
});

const Output = z.object({
  status: z.enum(['ok', 'threw']).describe('ok: the code finished; threw: it threw an exception (see error).'),
  valueType: z.string().optional().describe('typeof the last value, refined: array, null, Map, Date, …'),
  value: z
    .unknown()
    .optional()
    .describe('The last value as JSON-safe data: cycles become "[Circular]", BigInt "123n", functions "[Function: f]"; bounded in size.'),
  valueTruncated: z.boolean().optional(),
  error: ErrorInfoOut.optional(),
  ...OutputOut,
  durationMs: z.number(),
  cpuMs: z.number(),
  memoryBytes: z.number().describe('Heap in use after the run.'),
  files: FileChangesOut.describe('Workspace files the run created, modified or deleted.'),
  session: z.string().optional(),
  workspace: z.string().describe('The workspace the run used: the session id, or "scratch".'),
  sessionReset: z.boolean().describe('True when the session’s isolate was replaced (its globals are gone).'),
});

function checkCode(code: string, max: number): void {
  if (code.length > max)
    throw invalidArgument(
      'code',
      `${code.length} characters is above the ${max}-character limit`,
      'Send less code, or write the data to a workspace file with code_files_write and read it from the code.',
    );
}

function limitsFor(cx: CodeRuntime, args: z.output<typeof Input>): { limits: RunLimits; memoryMb: number | undefined } {
  const limits = resolveRunLimits(cx.settings, args.limits);
  if (args.session !== undefined && args.limits?.memoryMb !== undefined) {
    throw invalidArgument(
      'limits.memoryMb',
      'a session’s memory cap is fixed when it opens',
      'Leave limits.memoryMb out, or open a session with the memoryMb you need (code_session_open).',
    );
  }
  return { limits, memoryMb: args.session === undefined ? resolveMemoryMb(cx.settings, args.limits?.memoryMb) : undefined };
}

/** Turns a run that hit a limit into the tool error that says which. */
function limitError(outcome: RunOutcome, limits: RunLimits, memoryMb: number, session: string | undefined): HearthError {
  const details = {
    status: outcome.status,
    sessionReset: outcome.reset,
    stdout: outcome.stdout.slice(-2000),
    stderr: outcome.stderr.slice(-2000),
    durationMs: Math.round(outcome.wallMs),
    files: outcome.files,
  };
  const reset =
    session && outcome.reset ? ` Session ${session} was given a fresh sandbox: its variables are gone, its files are kept.` : '';
  switch (outcome.status) {
    case 'timeout':
      return new HearthError(
        'TIMEOUT',
        `code: the run did not finish within its ${limits.wallMs} ms wall-time limit and was stopped.${reset}`,
        'Look for an endless loop or a promise that never settles; make the work smaller, or ask for up to the server maximum with limits.wallMs.',
        { details },
      );
    case 'cpu':
      return new HearthError(
        'LIMIT_EXCEEDED',
        `code: the run used its ${limits.cpuMs} ms CPU-time limit and was stopped.${reset}`,
        'Look for an endless loop; do less work per call, or ask for up to the server maximum with limits.cpuMs.',
        { details: { ...details, limit: 'cpu' } },
      );
    case 'memory':
      return new HearthError(
        'LIMIT_EXCEEDED',
        `code: the run went over the ${memoryMb} MB memory limit and its isolate was stopped.${reset}`,
        'Process the data in smaller pieces (stream through a file, keep fewer objects), or open a session with a larger memoryMb, up to the server maximum.',
        { details: { ...details, limit: 'memory' } },
      );
    case 'cancelled':
      return new HearthError(
        'CANCELLED',
        `code_run was cancelled${outcome.reset ? ' while its code was running, so its isolate was stopped' : ''}.${reset}`,
        'Nothing more runs for this call; files it wrote before the cancellation stay.',
        { details },
      );
    default:
      return new HearthError(
        'UNAVAILABLE',
        `code: the sandbox process ended during the run (${outcome.error?.message ?? 'unknown reason'}).${reset}`,
        'Run again; if it keeps happening, the code is probably exhausting memory outside the heap (huge arrays or strings).',
        { details },
      );
  }
}

function render(out: z.input<typeof Output>): string {
  const timing = `in ${out.durationMs.toFixed(1)} ms (cpu ${out.cpuMs.toFixed(1)} ms)`;
  const head = `${out.status === 'ok' ? 'ok' : 'threw'} ${timing} · workspace ${out.workspace}${out.sessionReset ? ' · session was reset' : ''}`;
  const lines = [head, ...renderOutput(out)];
  if (out.status === 'threw' && out.error)
    lines.push(`${out.error.name}: ${out.error.message}`, ...(out.error.stack ? [out.error.stack.split('\n').slice(1, 6).join('\n')] : []));
  if (out.status === 'ok' && out.valueType !== 'undefined')
    lines.push(`value (${out.valueType}): ${JSON.stringify(out.value)}${out.valueTruncated ? ' … [truncated]' : ''}`);
  lines.push(...renderFiles(out.files));
  return lines.join('\n');
}

async function heartbeat<T>(ctx: ToolContext, totalMs: number, work: Promise<T>): Promise<T> {
  const started = Date.now();
  await ctx.progress(0, totalMs, 'running');
  const timer = setInterval(() => void ctx.progress(Date.now() - started, totalMs, 'running'), 1_000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

export function runTool(cx: CodeRuntime): Tool {
  return defineTool({
    name: 'code_run',
    title: 'Run JavaScript in the sandbox',
    description: [
      'Runs JavaScript in an isolated V8 sandbox (no require or process; files only in the workspace; network only to hosts the policy opens).',
      'Returns stdout, stderr, the last expression’s value, timings and the files the run changed. session (code_session_open) keeps variables between runs.',
      'Globals: workspace.readText/writeText/readJSON/writeJSON/list/…, csv.parse/read/write, stats.summarize/mean/median/group/…, chart.bar/line/scatter/pie (SVG), table.markdown, fetch, sleep, assert.',
      'A limit hit is a TIMEOUT or LIMIT_EXCEEDED error; an exception is status "threw".',
    ].join(' '),
    effect: 'write',
    input: Input,
    output: Output,
    auditArgs: (args) => ({
      ...args,
      code: args.code.length > 4_000 ? `${args.code.slice(0, 4_000)}… (${args.code.length} chars)` : args.code,
    }),
    async preview(args) {
      checkCode(args.code, cx.settings.maxCodeChars);
      const { limits, memoryMb } = limitsFor(cx, args);
      const where =
        args.session === undefined
          ? 'a fresh one-shot isolate (workspace "scratch")'
          : cx.sessions.has(args.session)
            ? `session ${args.session}`
            : `session ${args.session} (not open now: the run would fail)`;
      const lines = args.code.split('\n').length;
      return {
        summary: `Run ${lines} line${lines === 1 ? '' : 's'} of JavaScript in ${where}`,
        changes: [
          {
            kind: 'code',
            language: 'javascript',
            source: args.code,
            limits: {
              wallMs: limits.wallMs,
              cpuMs: limits.cpuMs,
              ...(memoryMb === undefined ? {} : { memoryMb }),
              outputChars: limits.outputChars,
            },
          },
          { kind: 'note', text: `Files: reads and writes only the workspace "${workspaceName(args.session)}". ${networkNote(cx.kernel)}` },
        ],
      };
    },
    async handler(args, ctx) {
      checkCode(args.code, cx.settings.maxCodeChars);
      const { limits, memoryMb } = limitsFor(cx, args);
      // The parser (acorn) loads with the first run, not before tools/list.
      const { prepareScript } = await import('../sandbox/rewrite.js');
      const code = prepareScript(args.code).code;
      const work =
        args.session === undefined
          ? cx.sessions.runOnce(code, limits, memoryMb!, ctx.signal)
          : cx.sessions.runInSession(args.session, code, limits, ctx.signal).then((r) => r.outcome);
      const outcome = await heartbeat(ctx, limits.wallMs, work);
      const sessionMemory =
        args.session === undefined ? memoryMb! : (cx.sessions.list().find((s) => s.id === args.session)?.memoryMb ?? cx.settings.memoryMb);
      if (outcome.status !== 'ok' && outcome.status !== 'threw') throw limitError(outcome, limits, sessionMemory, args.session);
      const structured: z.input<typeof Output> = {
        status: outcome.status,
        ...(outcome.status === 'ok'
          ? { valueType: outcome.valueType ?? 'undefined', value: outcome.value ?? null, valueTruncated: outcome.valueTruncated ?? false }
          : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
        stdout: outcome.stdout,
        stderr: outcome.stderr,
        stdoutTruncated: outcome.stdoutTruncated,
        stderrTruncated: outcome.stderrTruncated,
        durationMs: Math.round(outcome.wallMs * 10) / 10,
        cpuMs: Math.round(outcome.cpuMs * 10) / 10,
        memoryBytes: outcome.heapBytes,
        files: outcome.files,
        ...(args.session === undefined ? {} : { session: args.session }),
        workspace: workspaceName(args.session),
        sessionReset: outcome.reset,
      };
      return { structured, text: render(structured), content: changeLinks(workspaceName(args.session), outcome.files) };
    },
  });
}
