// The golden path through `hearth run` in a real pseudo-terminal, against a fake Ollama server that
// answers with the model's turns: the one approval shows every field value; the board receives the
// application once, with those values and the CV's exact bytes; the task is in memory and the spend
// in the ledger. Denying leaves the board untouched; autopilot applies without asking; observe
// changes nothing; a provider failure and Ctrl-C end with a clear summary; without a terminal
// nothing waits.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { applicationFields, goldenTurns } from '../../orchestrator/demo/golden-path.js';
import { goldenTask } from '../../orchestrator/demo/golden-stage.js';
import { connectStdio } from '../helpers/mcp-client.js';
import { runCli } from '../helpers/run-cli.js';
import { asSteps, ptyRun, type RunStage, runStage } from './harness.js';

let s: RunStage;
beforeAll(async () => {
  s = await runStage();
}, 180_000);
afterAll(async () => s?.close());

const RUN_FLAGS = ['--servers', 'memory,web'];
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function toolResult(server: string, name: string, args: Record<string, unknown>) {
  const c = await connectStdio('orchestrator/cli.ts', ['mcp', server], s.env);
  try {
    return (await c.client.callTool({ name, arguments: args })) as { structuredContent?: Record<string, unknown>; isError?: boolean };
  } finally {
    await c.close();
  }
}

it('deny: the approval is refused and the board receives nothing; hostile model text reaches the terminal inert', async () => {
  const turns = goldenTurns('backend', s.stage.board.url, s.stage.cvPath);
  // The model slips terminal escapes into the cover letter: a window title and a screen clear.
  const fill = turns.find((t) => t.toolCalls[0]?.name === 'web_fill_form')!.toolCalls[0]!.arguments as {
    fields: { target: { label: string }; value: unknown }[];
  };
  fill.fields.find((f) => f.target.label === 'Cover letter')!.value = 'Dear team,\u001b]0;pwned\u0007\u001b[2J hello';
  s.script('deny', asSteps(turns));
  const run = ptyRun([goldenTask('backend', s.stage.board.url), ...RUN_FLAGS], s.env);
  try {
    await run.waitFor(/Approve this call\?/);
    expect(run.screen()).toContain('Dear team,\\u001b]0;pwned\\u0007\\u001b[2J hello');
    expect(run.raw()).not.toContain('\u001b]0;pwned');
    expect(run.raw()).not.toContain('\u001b[2J');
    run.write('n');
    const { exitCode } = await run.exited;
    expect(exitCode).toBe(3);
    expect(run.screen()).toContain('APPROVAL_DENIED');
    expect(run.screen()).toMatch(/denied: the person declined web_fill_form/);
    expect(s.stage.board.writes).toEqual([]);
    expect(s.stage.board.applications).toEqual([]);
    // The model was not asked again after the no.
    expect(s.fake.requests.filter((r) => r.model === 'deny')).toHaveLength(8);
  } finally {
    run.kill();
  }
}, 240_000);

it('draft: one approval shows every field value; the board receives the application once, with the CV; memory and ledger have it', async () => {
  const turns = goldenTurns('backend', s.stage.board.url, s.stage.cvPath);
  s.script('draft', asSteps(turns));
  const run = ptyRun([goldenTask('backend', s.stage.board.url), ...RUN_FLAGS], s.env);
  try {
    await run.waitFor(/Approve this call\?/);
    const shown = run.screen();
    for (const field of applicationFields('backend', s.stage.cvPath)) {
      const value =
        field.target.label === 'Resume (PDF or DOCX)'
          ? `cv.pdf (${readFileSync(s.stage.cvPath).length} bytes)`
          : field.target.label === 'Cover letter'
            ? 'Dear Northwind Labs team,'
            : String(field.value);
      expect(shown).toMatch(new RegExp(`${field.target.label.replace(/[()]/g, '\\$&')} +→ ${value.replace(/[()+]/g, '\\$&')}`));
    }
    expect(shown.match(/Approve this call\?/g)).toHaveLength(1);
    run.write('y');
    const { exitCode } = await run.exited;
    const screen = run.screen();
    expect(exitCode).toBe(0);
    expect(screen).toMatch(/✓ web_fill_form .*filled 9 fields, then clicked "Send application"/);
    expect(screen).toMatch(/approvals: 1 asked, 1 approved, 0 denied/);
    expect(screen).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);

    expect(s.stage.board.applications).toHaveLength(1);
    expect(s.stage.board.writes).toEqual([{ method: 'POST', path: '/jobs/backend-engineer/apply', status: 303 }]);
    const [received] = s.stage.board.applications;
    expect(received!.fields).toEqual({
      full_name: 'Ana Fernández',
      email: 'ana.fernandez@example.org',
      phone: '+34 600 123 456',
      // A browser submits a textarea's line breaks as CRLF (the HTML form submission rules).
      cover_letter: String(applicationFields('backend', s.stage.cvPath).find((f) => f.target.label === 'Cover letter')!.value).replace(
        /\n/g,
        '\r\n',
      ),
      work_mode: 'Remote',
      skills: ['TypeScript', 'PostgreSQL'],
      consent: 'yes',
    });
    expect(received!.resume.name).toBe('cv.pdf');
    expect(received!.resume.sha256).toBe(sha(readFileSync(s.stage.cvPath)));

    const runId = /hearth run (r-\d{8}-\d{6}-[0-9a-f]{4})/.exec(screen)![1]!;
    const taskId = Number(/logged as task #(\d+)/.exec(screen)![1]);
    const task = await toolResult('memory', 'memory_get', { documentId: taskId });
    expect(JSON.stringify(task.structuredContent)).toContain(runId);
    expect(JSON.stringify(task.structuredContent)).toContain('_tasks');
    const ledger = await toolResult('budget', 'budget_ledger', { period: 'all', limit: 200 });
    const rows = (
      ledger.structuredContent!.rows as { task: string | null; outcome: string | null; used: { usdMicros: number } | null }[]
    ).filter((r) => r.task === runId);
    expect(rows).toHaveLength(turns.length);
    expect(rows.every((r) => r.outcome === 'ok' && r.used!.usdMicros > 0)).toBe(true);
  } finally {
    run.kill();
  }
}, 240_000);

it('observe: the form is only previewed and the board receives nothing', async () => {
  const before = s.stage.board.writes.length;
  s.script('observe', asSteps(goldenTurns('backend', s.stage.board.url, s.stage.cvPath)));
  const run = ptyRun([goldenTask('backend', s.stage.board.url), '--mode', 'observe', ...RUN_FLAGS], s.env);
  try {
    const { exitCode } = await run.exited;
    const screen = run.screen();
    expect(exitCode).toBe(0);
    expect(screen).toMatch(/○ web_fill_form .*preview only: observe mode/);
    expect(screen).not.toContain('Approve this call?');
    expect(screen).toMatch(/memory: not logged: observe mode changes nothing/);
    expect(s.stage.board.writes.length).toBe(before);
  } finally {
    run.kill();
  }
}, 240_000);

it('autopilot: the second listing is applied to without asking', async () => {
  s.setMode('autopilot');
  try {
    s.script('autopilot', asSteps(goldenTurns('platform', s.stage.board.url, s.stage.cvPath)));
    const run = ptyRun([goldenTask('platform', s.stage.board.url), '--mode', 'autopilot', ...RUN_FLAGS], s.env);
    try {
      const { exitCode } = await run.exited;
      const screen = run.screen();
      expect(exitCode).toBe(0);
      expect(screen).not.toContain('Approve this call?');
      expect(screen).toMatch(/approvals: 0 asked/);
      const platform = s.stage.board.applications.filter((a) => a.job === 'platform-engineer');
      expect(platform).toHaveLength(1);
      expect(platform[0]!.fields.work_mode).toBe('Hybrid');
      expect(platform[0]!.resume.sha256).toBe(sha(readFileSync(s.stage.cvPath)));
    } finally {
      run.kill();
    }
  } finally {
    s.setMode('draft');
  }
}, 240_000);

it('a provider failure mid-run ends with a clear summary, not a stack trace', async () => {
  const turns = goldenTurns('backend', s.stage.board.url, s.stage.cvPath);
  s.script('failing', asSteps(turns.slice(0, 2)));
  s.fake.fallback = () => ({ status: 500, message: 'the fake model fell over' });
  const run = ptyRun([goldenTask('backend', s.stage.board.url), ...RUN_FLAGS], s.env);
  try {
    const { exitCode } = await run.exited;
    const screen = run.screen();
    expect(exitCode).toBe(1);
    expect(screen).toMatch(/failed: the model call failed \([A-Z_]+\): .*500/);
    expect(screen).toMatch(/saved: .*run\.json/);
    expect(screen).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
  } finally {
    run.kill();
    s.fake.fallback = (r) => ({ answer: { text: `fake answer from ${r.model}` } });
  }
}, 240_000);

it('Ctrl-C during a long model call cancels it on the budget server and stops cleanly', async () => {
  s.script('hanging', [{ hang: true }]);
  const run = ptyRun([goldenTask('backend', s.stage.board.url), ...RUN_FLAGS], s.env);
  try {
    const before = s.fake.requests.length;
    await run.waitFor(/model thinking/);
    await s.fake.waitForRequests(before + 1, 120_000);
    expect(s.fake.active()).toBe(1);
    run.write('\x03');
    const { exitCode } = await run.exited;
    expect(exitCode).toBe(130);
    expect(run.screen()).toMatch(/cancelled: cancelled by the person \(Ctrl-C\)/);
    expect(s.fake.active()).toBe(0);
    const runId = /hearth run (r-\d{8}-\d{6}-[0-9a-f]{4})/.exec(run.screen())![1]!;
    const ledger = await toolResult('budget', 'budget_ledger', { period: 'all', limit: 200 });
    const rows = (ledger.structuredContent!.rows as { task: string | null; outcome: string | null; state: string }[]).filter(
      (r) => r.task === runId,
    );
    expect(rows).toEqual([expect.objectContaining({ outcome: 'cancelled', state: 'settled' })]);
  } finally {
    run.kill();
  }
}, 240_000);

it('without a terminal it never waits: the approval is declined, said so in JSON lines, and nothing is sent', async () => {
  const before = s.stage.board.writes.length;
  s.script('headless', asSteps(goldenTurns('backend', s.stage.board.url, s.stage.cvPath)));
  const run = await runCli(['run', goldenTask('backend', s.stage.board.url), ...RUN_FLAGS], s.env);
  expect(run.code).toBe(3);
  const events = run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const approval = events.find((e) => e.type === 'approval')!;
  expect(approval).toMatchObject({ tool: 'web_fill_form', decision: 'declined' });
  expect(String(approval.reason)).toContain('no terminal');
  expect(events.at(-1)).toMatchObject({ type: 'end', outcome: 'denied' });
  expect(String(events.at(-1)!.reason)).toContain('there is no terminal to ask on');
  expect(s.stage.board.writes.length).toBe(before);
}, 240_000);
