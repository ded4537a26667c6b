// What the plan server costs: 1,000 cheap steps (test_echo on the kernel's test server, over stdio)
// run as one plan through the plan server, against the same 1,000 calls made directly by a client to
// the same kind of server, in the same run (the plan client asks for progress, as the CLI does). The
// direct client lists the tools first, as MCP clients do and as the plan server's client does, so
// both check each result against the tool's output schema. The two alternate for a few rounds (a
// direct loop, then a plan run) and the ratio is the median of the rounds' ratios: on a shared
// machine the load moves within seconds, and a pair measured back to back sees about the same load.
// Also: the journal alone as a run of repeatable steps writes it (one transaction per step: the
// previous step's finish with this step's start and call) against a bare SQLite insert loop; and
// the time from a restart to the first resumed step.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

import { openDatabase } from '../lib/sqlite.js';
import { createServer } from '../servers/plan/index.js';
import { Plan } from '../servers/plan/plan-schema.js';
import { PlanStore } from '../servers/plan/store.js';
import { loadConfig } from '../shared/config.js';
import type { HearthServer } from '../shared/server.js';
import { ms, QUICK, ratio, saveResults, table } from './stats.js';

const STEPS = QUICK ? 200 : 1000;
const ROUNDS = QUICK ? 1 : 3;
const home = mkdtempSync(join(tmpdir(), 'hearth-bench-plan-'));
const repo = join(import.meta.dirname, '..');
const fixture = {
  command: process.execPath,
  args: ['--no-node-snapshot', '--import', 'tsx', join(repo, 'tests/fixtures/kernel-stdio.ts')],
  env: { HEARTH_HOME: home, HEARTH_LOG__LEVEL: 'warn' },
  cwd: repo,
};

/** The suite's own servers as `hearth mcp plan` configures them (built copies), beside the test server. */
const suite = Object.fromEntries(
  ['memory', 'code', 'web', 'budget'].map((name) => [
    name,
    {
      command: process.execPath,
      args: ['--no-node-snapshot', join(repo, 'bin/hearth.js'), 'mcp', name, '--home', home, '--log-level', 'warn'],
    },
  ]),
);

async function planServer(withSuite = false): Promise<{ server: HearthServer; client: Client }> {
  const { config } = loadConfig({ logLevel: 'warn' }, { HEARTH_HOME: home });
  config.servers.plan = { servers: { ...(withSuite ? suite : {}), 'kernel-test': fixture } };
  const server = createServer(config);
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect('in-process').connect(b);
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(a);
  return { server, client };
}

const plan = (n: number) => ({
  name: 'bench',
  steps: Array.from({ length: n }, (_, i) => ({ id: `s${i}`, tool: 'test_echo', args: { text: `step ${i}` } })),
});

try {
  writeFileSync(
    join(home, 'policy.json'),
    JSON.stringify({
      version: 1,
      mode: 'autopilot',
      rateLimits: {
        perClient: { callsPerMinute: 100_000_000, burst: 1_000_000 },
        reads: { callsPerMinute: 100_000_000, burst: 1_000_000 },
      },
    }),
  );

  // 1 and 2, alternating: the same calls made directly by a client over stdio, then one plan of
  // STEPS steps through the plan server (its own client, its own stdio server).
  const direct = new Client({ name: 'bench-direct', version: '1' });
  await direct.connect(new StdioClientTransport({ ...fixture, stderr: 'ignore' }));
  await direct.listTools();
  for (let i = 0; i < 20; i++) await direct.callTool({ name: 'test_echo', arguments: { text: 'warm' } });
  const { server, client } = await planServer();
  const warm = await client.callTool({ name: 'plan_run', arguments: { plan: plan(20), waitMs: 600_000 } }, { timeout: 900_000 });
  if ((warm.structuredContent as { run: { state: string } }).run.state !== 'completed')
    throw new Error(`warm-up run: ${JSON.stringify(warm.content)}`);
  const rounds: { directMs: number; planMs: number; notifications: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let t = performance.now();
    for (let i = 0; i < STEPS; i++) {
      const r = await direct.callTool({ name: 'test_echo', arguments: { text: `step ${i}` } });
      if (r.isError) throw new Error(`direct call failed: ${JSON.stringify(r.content)}`);
    }
    const directMs = performance.now() - t;
    t = performance.now();
    let notifications = 0;
    const run = await client.callTool(
      { name: 'plan_run', arguments: { plan: plan(STEPS), waitMs: 600_000 } },
      { timeout: 900_000, onprogress: () => notifications++ },
    );
    const planMs = performance.now() - t;
    const state = (run.structuredContent as { run: { state: string } }).run.state;
    if (state !== 'completed') throw new Error(`the plan run ended ${state}`);
    rounds.push({ directMs, planMs, notifications });
  }
  await direct.close();
  await client.close();
  await server.close();
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const ratios = rounds.map((r) => r.planMs / r.directMs);
  const overhead = median(ratios);
  const directMs = median(rounds.map((r) => r.directMs));
  const planMs = median(rounds.map((r) => r.planMs));
  const notifications = median(rounds.map((r) => r.notifications));

  // 3. The journal alone, as the runner writes it for repeatable steps: per step one transaction with
  // the previous step's finish, this step's start and its call (three journal lines), against bare inserts.
  const store = new PlanStore(join(home, 'journal-bench.db'));
  const runId = store.createRun({ plan: Plan.parse(plan(STEPS)), inputs: {} });
  const finished = (i: number) => ({
    stepId: `s${i}`,
    event: 'finished',
    change: { state: 'done' as const, output: { echoed: `step ${i}` }, finished: true },
  });
  let t = performance.now();
  for (let i = 0; i < STEPS; i++) {
    const key = `${runId}:s${i}`;
    store.stepEvents(runId, [
      ...(i > 0 ? [finished(i - 1)] : []),
      { stepId: `s${i}`, event: 'started', change: { state: 'started', attempt: true } },
      { stepId: `s${i}`, event: 'called', change: { state: 'calling', key }, detail: { key } },
    ]);
  }
  store.stepEvents(runId, [finished(STEPS - 1)]);
  const journalMs = performance.now() - t;
  store.close();
  const bare = openDatabase(join(home, 'bare.db'));
  bare.exec('CREATE TABLE j (id INTEGER PRIMARY KEY, run TEXT, step TEXT, at TEXT, event TEXT, detail TEXT)');
  const insert = bare.prepare('INSERT INTO j (run, step, at, event, detail) VALUES (?,?,?,?,?)');
  t = performance.now();
  for (let i = 0; i < STEPS * 3; i++) insert.run('r', `s${i}`, new Date().toISOString(), 'e', '{"echoed":"x"}');
  const bareMs = performance.now() - t;
  bare.close();

  // 4. Restart to the first resumed step: a run left mid-way, a fresh plan server (configured with the
  // suite's four servers too, as `hearth mcp plan` is) picks it up.
  const mid = new PlanStore(join(home, 'plan.db'));
  const midRun = mid.createRun({ plan: Plan.parse(plan(100)), inputs: {} });
  for (let i = 0; i < 50; i++)
    mid.stepEvent(midRun, `s${i}`, 'finished', { state: 'done', output: { echoed: `step ${i}` }, finished: true });
  mid.setRunState(midRun, 'running');
  mid.close();
  t = performance.now();
  const restarted = await planServer(true);
  const probe = new PlanStore(join(home, 'plan.db'));
  let resumedMs = NaN;
  for (const deadline = Date.now() + 300_000; Date.now() < deadline;) {
    if (probe.step(midRun, 's50').state === 'done') {
      resumedMs = performance.now() - t;
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  probe.close();
  await restarted.client.callTool({ name: 'plan_status', arguments: { run: midRun, waitMs: 600_000 } }, { timeout: 900_000 });
  await restarted.client.close();
  await restarted.server.close();

  console.log(`${STEPS} cheap steps (test_echo over stdio), same run, ${ROUNDS} alternating round(s)\n`);
  table(
    ['round', 'direct client calls', 'one plan through the plan server', 'ratio'],
    rounds.map((r, i) => [String(i + 1), ms(r.directMs), ms(r.planMs), ratio(r.planMs, r.directMs)]),
  );
  console.log('');
  table(
    ['path (median of the rounds)', 'total', 'per step', 'ratio'],
    [
      ['direct client calls (baseline)', ms(directMs), ms(directMs / STEPS), '1.00×'],
      ['one plan through the plan server', ms(planMs), ms(planMs / STEPS), `${overhead.toFixed(2)}×`],
    ],
  );
  console.log('');
  table(
    ['journal writes', 'total', 'per step', 'ratio'],
    [
      [`bare SQLite insert loop, ${STEPS * 3} rows (baseline)`, ms(bareMs), ms(bareMs / STEPS), '1.00×'],
      ['plan journal, 3 lines per step in 1 transaction', ms(journalMs), ms(journalMs / STEPS), ratio(journalMs, bareMs)],
    ],
  );
  console.log(`\nprogress notifications the plan client received for a ${STEPS}-step run (median): ${notifications}`);
  console.log(
    `\nrestart to the first resumed step (server created with 5 servers configured, the one the step needs started over stdio, step 51 of 100 done): ${ms(resumedMs)}`,
  );
  saveResults('plan', { steps: STEPS, rounds, directMs, planMs, overhead, journalMs, bareMs, resumedMs, notifications });
} finally {
  rmSync(home, { recursive: true, force: true });
}
