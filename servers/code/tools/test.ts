// code_test: load a module (source or a workspace file) into a fresh isolate and run named tests
// against it, each with its own time limit; returns pass/fail, message and duration per test.
import * as z from 'zod';

import { invalidArgument } from '../../../lib/errors.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import type { CodeRuntime } from '../runtime.js';
import { ErrorInfoOut, FileChangesOut, networkNote, OutputOut, renderFiles, renderOutput, SessionArg, workspaceName } from './common.js';

const Input = z.object({
  session: SessionArg,
  source: z
    .string()
    .min(1)
    .optional()
    .describe('The code under test: a script, or an ES module with exports (imports are not available). Give this or path.'),
  path: z.string().min(1).optional().describe('A workspace file holding the code under test. Give this or source.'),
  tests: z
    .array(
      z
        .object({
          name: z.string().min(1).max(200).describe('The test’s name, shown in the results.'),
          code: z
            .string()
            .min(1)
            .describe(
              'Body of an async function checking the code with assert, assert.equal/deepEqual/throws/rejects/match; throwing fails.',
            ),
        })
        .strict(),
    )
    .min(1)
    .describe('The tests, run in order in the same isolate after the code loads.'),
  limits: z
    .object({
      testMs: z
        .number()
        .int()
        .positive()
        .optional()
        .describe('Time one test may take, in ms; at most the server setting testMs (default 5000).'),
      wallMs: z.number().int().positive().optional().describe('Time the whole call may take, in ms; at most the server setting wallMs.'),
      cpuMs: z.number().int().positive().optional().describe('CPU time for the whole call, in ms; at most the server setting cpuMs.'),
    })
    .strict()
    .optional(),
});

const TestOut = z.object({
  name: z.string(),
  status: z.enum(['passed', 'failed', 'timeout', 'skipped']),
  message: z.string().optional(),
  stack: z.string().optional(),
  durationMs: z.number(),
});

const Output = z.object({
  passed: z.number(),
  failed: z.number().describe('Tests that failed or timed out.'),
  skipped: z.number(),
  total: z.number(),
  load: z.object({
    status: z.string().describe('ok, or why the code under test did not load: threw, timeout, cpu, memory, crashed.'),
    kind: z.enum(['script', 'module']),
    error: ErrorInfoOut.optional(),
  }),
  tests: z.array(TestOut),
  ...OutputOut,
  durationMs: z.number(),
  files: FileChangesOut,
  workspace: z.string(),
});

function limitOf(field: string, asked: number | undefined, max: number, setting: string): number {
  if (asked === undefined) return max;
  if (asked > max)
    throw invalidArgument(
      field,
      `${asked} is above the server's maximum of ${max}`,
      `Ask for ${max} or less; a person can raise servers.code.${setting}.`,
    );
  return asked;
}

function sourceOf(cx: CodeRuntime, args: z.output<typeof Input>): string {
  if ((args.source === undefined) === (args.path === undefined))
    throw invalidArgument(
      args.source === undefined ? 'source' : 'path',
      'give either source or path, not both and not neither',
      'Pass the code as source, or the workspace file that holds it as path.',
    );
  const source = args.source ?? cx.sessions.workspace(args.session).read(args.path!, 'path').toString('utf8');
  if (source.length > cx.settings.maxCodeChars)
    throw invalidArgument(
      args.source === undefined ? 'path' : 'source',
      `${source.length} characters is above the ${cx.settings.maxCodeChars}-character limit`,
      'Test a smaller module.',
    );
  return source;
}

export function testTool(cx: CodeRuntime): Tool {
  return defineTool({
    name: 'code_test',
    title: 'Test JavaScript in the sandbox',
    description:
      'Loads code (script or ES module; source or a workspace path) into a fresh isolate and runs tests against it, each an async function body using assert that sees the exports and globals by name. Returns each test’s passed/failed/timeout with message and duration, and console output.',
    effect: 'write',
    input: Input,
    output: Output,
    auditArgs: (args) => ({
      ...args,
      source: args.source && args.source.length > 4_000 ? `${args.source.slice(0, 4_000)}… (${args.source.length} chars)` : args.source,
    }),
    async preview(args) {
      const source = args.source ?? `// the code in workspace file ${args.path ?? '?'}`;
      return {
        summary: `Run ${args.tests.length} test${args.tests.length === 1 ? '' : 's'} against ${args.path ? `workspace file ${args.path}` : 'the given code'} in a fresh isolate`,
        changes: [
          { kind: 'code', language: 'javascript', source },
          ...args.tests.map((t) => ({ kind: 'code' as const, language: `javascript (test: ${t.name})`, source: t.code })),
          { kind: 'note', text: `Files: reads and writes only the workspace "${workspaceName(args.session)}". ${networkNote(cx.kernel)}` },
        ],
      };
    },
    async handler(args, ctx) {
      if (args.tests.length > cx.settings.maxTests)
        throw invalidArgument(
          'tests',
          `${args.tests.length} tests is above the limit of ${cx.settings.maxTests}`,
          'Split the tests over several calls.',
        );
      const names = new Set<string>();
      args.tests.forEach((t, i) => {
        if (names.has(t.name)) throw invalidArgument(`tests[${i}].name`, `${t.name} is used twice`, 'Give every test its own name.');
        names.add(t.name);
      });
      const source = sourceOf(cx, args);
      // The parser (acorn) loads with the first test call, not before tools/list.
      const { isModuleSource, prepareScript } = await import('../sandbox/rewrite.js');
      const kind = isModuleSource(source) ? 'module' : 'script';
      const limits = {
        wallMs: limitOf('limits.wallMs', args.limits?.wallMs, cx.settings.wallMs, 'wallMs'),
        cpuMs: limitOf('limits.cpuMs', args.limits?.cpuMs, cx.settings.cpuMs, 'cpuMs'),
        testMs: limitOf('limits.testMs', args.limits?.testMs, cx.settings.testMs, 'testMs'),
        outputChars: cx.settings.outputChars,
        resultChars: 2_000,
        fetchMaxRequests: cx.settings.fetchMaxRequests,
      };
      await ctx.progress(0, args.tests.length, 'loading the code under test');
      const outcome = await cx.sessions.test(
        args.session,
        kind === 'script' ? prepareScript(source).code : source,
        kind,
        args.tests,
        limits,
        ctx.signal,
      );
      await ctx.progress(args.tests.length, args.tests.length, 'done');
      const count = (s: string) => outcome.tests.filter((t) => t.status === s).length;
      const structured: z.input<typeof Output> = {
        passed: count('passed'),
        failed: count('failed') + count('timeout'),
        skipped: count('skipped'),
        total: outcome.tests.length,
        load: outcome.load,
        tests: outcome.tests.map((t) => ({ ...t, durationMs: Math.round(t.durationMs * 10) / 10 })),
        stdout: outcome.stdout,
        stderr: outcome.stderr,
        stdoutTruncated: outcome.stdoutTruncated,
        stderrTruncated: outcome.stderrTruncated,
        durationMs: Math.round(outcome.wallMs),
        files: outcome.files,
        workspace: workspaceName(args.session),
      };
      const lines = [
        `${structured.passed} passed, ${structured.failed} failed${structured.skipped ? `, ${structured.skipped} skipped` : ''} (${structured.total} tests)`,
      ];
      if (outcome.load.status !== 'ok')
        lines.push(
          `the code did not load (${outcome.load.status})${outcome.load.error ? `: ${outcome.load.error.name}: ${outcome.load.error.message}` : ''}`,
        );
      for (const t of outcome.tests) {
        const mark = t.status === 'passed' ? '✓' : t.status === 'skipped' ? '-' : '✗';
        lines.push(`${mark} ${t.name} (${t.durationMs.toFixed(1)} ms)${t.message ? `: ${t.message}` : ''}`);
      }
      lines.push(...renderOutput(outcome), ...renderFiles(outcome.files));
      return { structured, text: lines.join('\n') };
    },
  });
}
