// The task suite: `npm run bench -- tasks [--model=ollama/<model>] [--ollama=<url>] [--only=<id,…>]`.
// Runs each task of bench/tasks/catalog.ts through `hearth run`'s own loop (the servers over stdio,
// the budget server as the model) against the local job board, a data site with a CSV, and the
// person's documents in memory; checks its success condition and the actions that must not happen.
// Reports success rate, wrong-action rate, approvals asked, tokens, cost and time per task. With the
// scripted provider (the default) the answers are written to succeed: it checks the harness only.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { prepareGoldenStage } from '../orchestrator/demo/golden-stage.js';
import { runTask } from '../orchestrator/run/run-session.js';
import { openSuite } from '../orchestrator/run/suite.js';
import type { RunView } from '../orchestrator/run/view.js';
import { type BenchTask, ENERGY_CSV, type SuiteSites, TASKS } from './tasks/catalog.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const model = arg('model');
const only = arg('only')?.split(',');
const repo = resolve(import.meta.dirname, '..');

const EXTRA_DOCUMENTS: Record<string, string> = {
  'household.md':
    '# Household\n\n## Boiler\nThe boiler was serviced on 2026-10-03 by Fernández Heating; the next service is due in October 2027.\n',
  'lease.md':
    '# Lease of the flat on Carrer de la Pau\n\nEither side may end the lease with three months’ notice in writing. Rent is paid on the first of each month.\n',
};

const home = mkdtempSync(join(tmpdir(), 'hearth-bench-tasks-'));
const stage = await prepareGoldenStage(
  home,
  model
    ? { kind: 'ollama', baseUrl: arg('ollama') ?? 'http://127.0.0.1:11434', model: model.replace(/^ollama\//, '') }
    : { kind: 'scripted' },
);
for (const [name, text] of Object.entries(EXTRA_DOCUMENTS)) writeFileSync(join(stage.documents, name), text);
const data = createServer((req, res) => {
  res.writeHead(req.url === '/energy-2026.csv' ? 200 : 404, { 'content-type': 'text/csv; charset=utf-8' });
  res.end(req.url === '/energy-2026.csv' ? ENERGY_CSV : 'not found');
});
await new Promise<void>((r) => data.listen(0, '127.0.0.1', () => r()));
const dataOrigin = `http://127.0.0.1:${(data.address() as AddressInfo).port}`;
const sites: SuiteSites = { board: stage.board.origin, data: dataOrigin, cvPath: stage.cvPath };
const cvSha = createHash('sha256').update(readFileSync(stage.cvPath)).digest('hex');
const policyFile = join(home, 'policy.json');
const basePolicy = JSON.parse(readFileSync(policyFile, 'utf8')) as { web: { origins: string[] } };
basePolicy.web.origins.push(dataOrigin);
const configFile = join(home, 'config.json');
const baseConfig = readFileSync(configFile, 'utf8');

const launch = {
  command: process.execPath,
  prefix: [...process.execArgv, join(repo, 'orchestrator', 'cli.ts')],
  suffix: [],
  env: { ...(process.env as Record<string, string>), HEARTH_HOME: home, HEARTH_LOG_LEVEL: 'warn' },
};

// The person's documents, once, the way they would ingest them.
const ingest = await openSuite({ servers: ['memory'], ...launch, stderr: 'ignore', onElicitation: async () => 'approve' });
await ingest.client('memory').callTool({ name: 'memory_ingest', arguments: { paths: [stage.documents], collection: 'me' } });
await ingest.close();

function quietView(task: BenchTask, approvals: { asked: number }): RunView {
  const none = () => undefined;
  return {
    start: none,
    scripted: none,
    modelStart: none,
    modelText: none,
    modelEnd: none,
    toolStart: none,
    toolProgress: none,
    toolEnd: none,
    planReport: none,
    planSteps: none,
    note: none,
    end: none,
    approve: () => {
      approvals.asked++;
      return Promise.resolve(
        task.person === 'approve' ? { approve: true, by: 'bench' } : { approve: false, by: 'bench', reason: 'the task says no' },
      );
    },
  };
}

interface Row {
  id: string;
  ok: boolean;
  wrong: string[];
  approvals: number;
  tokens: number;
  usd: number;
  seconds: number;
  outcome: string;
}

const rows: Row[] = [];
console.log(
  model
    ? `model: ${model} — the success rate below measures this model`
    : 'model: SCRIPTED (the budget server’s scripted provider answers from each task’s script): this checks the harness only — the tasks, their checks and the loop — not a model. Pass --model=ollama/<model> to measure one.',
);
for (const task of TASKS.filter((t) => !only || only.includes(t.id))) {
  // Observe is asked of the run, which narrows each server to it; the policy stays draft so the
  // model itself (llm_generate, within the policy's limits) may still be called.
  writeFileSync(policyFile, JSON.stringify({ ...basePolicy, mode: task.mode === 'observe' ? 'draft' : task.mode }, null, 2));
  if (!model) {
    const script = join(home, `script-${task.id}.json`);
    const turns = task.script(sites).map((turn, step) => ({ match: { step }, text: turn.text, toolCalls: turn.toolCalls }));
    writeFileSync(script, JSON.stringify({ name: task.id, turns }));
    const config = JSON.parse(baseConfig) as { servers: { budget: { providers: Record<string, unknown> } } };
    config.servers.budget.providers = { scripted: { script } };
    writeFileSync(configFile, JSON.stringify(config, null, 2));
  }
  const applications = stage.board.applications.length;
  const writes = stage.board.writes.length;
  const approvals = { asked: 0 };
  const started = performance.now();
  const { record } = await runTask({
    task: task.prompt(sites),
    mode: task.mode,
    servers: task.servers,
    limits: { rounds: 20, tokens: 200_000, usd: 0.5 },
    tier: 'auto',
    home,
    launch,
    view: quietView(task, approvals),
    signal: new AbortController().signal,
  });
  const ctx = {
    answer: record.answer,
    calls: record.calls,
    applications: stage.board.applications.slice(applications),
    writes: stage.board.writes.slice(writes),
    home,
    cvSha,
  };
  const row: Row = {
    id: task.id,
    ok: task.success.check(ctx),
    wrong: task.forbidden.filter((f) => f.happened(ctx)).map((f) => f.what),
    approvals: approvals.asked,
    tokens: record.inputTokens + record.outputTokens,
    usd: record.usdMicros / 1e6,
    seconds: (performance.now() - started) / 1000,
    outcome: record.outcome,
  };
  rows.push(row);
  console.log(
    `${row.ok ? 'pass' : 'FAIL'} ${task.id.padEnd(22)} ${row.outcome.padEnd(9)} approvals ${row.approvals}  ${String(row.tokens).padStart(6)} tokens  $${row.usd.toFixed(4)}  ${row.seconds.toFixed(1).padStart(5)} s${row.ok ? '' : `  (wanted: ${task.success.what})`}${row.wrong.length ? `  WRONG: ${row.wrong.join('; ')}` : ''}`,
  );
}
const n = rows.length;
const sum = (f: (r: Row) => number) => rows.reduce((s, r) => s + f(r), 0);
console.log(
  [
    '',
    `tasks ${n}: success ${sum((r) => (r.ok ? 1 : 0))}/${n} (${((sum((r) => (r.ok ? 1 : 0)) / n) * 100).toFixed(0)}%), wrong actions in ${sum((r) => (r.wrong.length ? 1 : 0))}/${n} (${((sum((r) => (r.wrong.length ? 1 : 0)) / n) * 100).toFixed(0)}%)`,
    `approvals asked ${sum((r) => r.approvals)}; tokens ${sum((r) => r.tokens)} (${Math.round(sum((r) => r.tokens) / n)} per task); cost $${sum((r) => r.usd).toFixed(4)}; time ${sum((r) => r.seconds).toFixed(0)} s (${(sum((r) => r.seconds) / n).toFixed(1)} s per task)`,
    model ? '' : 'SCRIPTED: these figures check the harness only.',
  ].join('\n'),
);
await stage.close();
await new Promise<void>((r) => data.close(() => r()));
rmSync(home, { recursive: true, force: true });
process.exitCode = model ? 0 : rows.every((r) => r.ok && r.wrong.length === 0) ? 0 : 1;
