// Crash test: a 10-step plan over memory, code and web is killed with SIGKILL at each of the 4
// journal boundaries of every step (40 kills) and at 60 random moments. After each restart the plan
// server resumes on its own; every run completes, and every keyed side effect happened exactly once
// (a local server counts the web hits, the code steps append lines to a file). A step without an
// idempotency key killed mid-call pauses as "may have run" and is not repeated.
//
// The memory, code and web servers run once under `hearth serve` (HTTP), so only the plan server is
// killed and restarted; it is started from the built CLI exactly as `hearth mcp plan`. The boundary
// chain and two lanes of 30 random kills each run at the same time, each lane with its own plan
// database (so no lane's plan server resumes another lane's runs): a plan server's start is mostly
// loading code and the random waits are idle, so the lanes overlap what used to run one after another.
import { type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { Client } from '@modelcontextprotocol/client';
import type { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, type ExpectStatic, it } from 'vitest';

import { startHttpEntry } from '../helpers/http-server.js';
import { connectStdio } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

const TOKEN = 'crash-test-token-0123456789abcdef';
const BOUNDARIES = ['started', 'called', 'returned', 'finished'] as const;

let home: TempHome;
let suite: { url: string; child: ChildProcess };
let counter: Server;
let counterUrl: string;
const hits = new Map<string, number>();
/** lane → its config file: the suite's servers over HTTP, and the lane's own plan database. */
const configs = new Map<string, string>();
const LANES = ['chain', 'rndA', 'rndB', 'nokey'] as const;
type Lane = (typeof LANES)[number];

beforeAll(async () => {
  home = tempHome('hearth-crash-');
  home.policy({
    mode: 'autopilot',
    web: { origins: ['http://127.0.0.1:*'] },
    rateLimits: { perClient: { callsPerMinute: 100_000, burst: 10_000 }, perTool: {} },
  });
  counter = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path, n: hits.get(path) }));
    });
  });
  await new Promise<void>((r) => counter.listen(0, '127.0.0.1', r));
  counterUrl = `http://127.0.0.1:${(counter.address() as AddressInfo).port}`;
  const configFile = join(home.dir, 'config.json');
  const rateLimit = { requestsPerMinute: 1_000_000, burst: 100_000 };
  writeFileSync(configFile, JSON.stringify({ log: { level: 'warn' }, http: { rateLimit } }));
  suite = await startHttpEntry(
    'bin/hearth.js',
    ['serve', '--servers', 'memory,code,web,budget', '--port', '0', '--home', home.dir, '--log-level', 'warn'],
    {
      HEARTH_HOME: home.dir,
      HEARTH_HTTP_TOKEN: TOKEN,
    },
  );
  const servers = Object.fromEntries(['memory', 'code', 'web', 'budget'].map((n) => [n, { url: `${suite.url}/mcp/${n}`, token: TOKEN }]));
  for (const lane of LANES) {
    const file = join(home.dir, `config-${lane}.json`);
    writeFileSync(
      file,
      JSON.stringify({ log: { level: 'warn' }, http: { rateLimit }, servers: { plan: { servers, database: `plan-${lane}.db` } } }),
    );
    configs.set(lane, file);
  }
}, 120_000);

afterAll(async () => {
  suite?.child.kill('SIGTERM');
  await new Promise((r) => counter?.close(r));
  home?.cleanup();
});

interface PlanProcess {
  client: Client;
  kill(): void;
  exited: Promise<void>;
  close(): Promise<void>;
}

async function planServer(lane: Lane, killAt?: string): Promise<PlanProcess> {
  const env: Record<string, string> = { HEARTH_HOME: home.dir, HEARTH_CONFIG: configs.get(lane)! };
  if (killAt) env.HEARTH_PLAN_KILL_AT = killAt;
  const conn = await connectStdio('bin/hearth.js', ['mcp', 'plan'], env);
  const exited = new Promise<void>((resolve) => (conn.client.onclose = () => resolve()));
  const pid = (conn.client.transport as StdioClientTransport).pid!;
  return { client: conn.client, exited, kill: () => process.kill(pid, 'SIGKILL'), close: () => conn.close() };
}

const code = (step: string, tag: string) =>
  `const f = 'log-${tag}.txt'; workspace.writeText(f, (workspace.exists(f) ? workspace.readText(f) : '') + '${step}\\n'); 'ok'`;

function tenSteps(): Record<string, unknown> {
  const hit = (step: string, method = 'GET') => ({
    id: step,
    tool: 'web_request',
    args: { url: { $input: `url_${step}` }, method, ...(method === 'POST' ? { json: { after: { $ref: 'steps.s2.output.json.n' } } } : {}) },
  });
  return {
    name: 'crash-ten',
    inputs: Object.fromEntries([
      ['tag', { type: 'string' }],
      ...['s2', 's5', 's8', 's10'].map((s) => [`url_${s}`, { type: 'string' }]),
      ...['s3', 's7'].map((s) => [`code_${s}`, { type: 'string' }]),
    ]),
    steps: [
      { id: 's1', tool: 'memory_remember', args: { namespace: 'crash', key: { $input: 'tag' }, value: 'started' } },
      hit('s2'),
      { id: 's3', tool: 'code_run', args: { code: { $input: 'code_s3' } } },
      { id: 's4', tool: 'memory_recall', args: { namespace: 'crash', key: { $input: 'tag' } } },
      hit('s5', 'POST'),
      { id: 's6', tool: 'code_files_write', args: { files: [{ path: { $input: 'tag' }, content: { $ref: 'steps.s2.output.text' } }] } },
      { id: 's7', tool: 'code_run', args: { code: { $input: 'code_s7' } } },
      hit('s8'),
      { id: 's9', tool: 'memory_remember', args: { namespace: 'crash', key: { $input: 'tag' }, value: 'finished' } },
      hit('s10'),
    ],
    outputs: { last: { $ref: 'steps.s10.output.status' } },
  };
}

function inputsFor(tag: string): Record<string, string> {
  return {
    tag,
    ...Object.fromEntries(['s2', 's5', 's8', 's10'].map((s) => [`url_${s}`, `${counterUrl}/hit/${tag}/${s}`])),
    code_s3: code('s3', tag),
    code_s7: code('s7', tag),
  };
}

type Run = { id: string; state: string; reason: string | null };

async function startRun(p: PlanProcess, tag: string, plan = tenSteps()): Promise<string | undefined> {
  try {
    const result = await p.client.callTool({ name: 'plan_run', arguments: { plan, inputs: inputsFor(tag) } });
    return (result.structuredContent as { run: Run }).run.id;
  } catch {
    return undefined; // killed before it could answer; the run is in the journal all the same
  }
}

async function status(p: PlanProcess, run: string, waitMs: number): Promise<Run> {
  const result = await p.client.callTool({ name: 'plan_status', arguments: { run, waitMs } }, { timeout: waitMs + 30_000 });
  return (result.structuredContent as { run: Run }).run;
}

async function latestRun(p: PlanProcess): Promise<string> {
  const list = await p.client.callTool({ name: 'plan_list', arguments: { limit: 1 } });
  return (list.structuredContent as { runs: Run[] }).runs[0]!.id;
}

function assertExactlyOnce(expect: ExpectStatic, tag: string): void {
  for (const step of ['s2', 's5', 's8', 's10']) expect(hits.get(`/hit/${tag}/${step}`), `${tag} ${step}`).toBe(1);
  const log = readFileSync(join(home.dir, 'code', 'workspaces', 'scratch', `log-${tag}.txt`), 'utf8');
  expect(log, tag).toBe('s3\ns7\n');
}

it.concurrent(
  'a run killed at each of the 4 journal boundaries of all 10 steps completes with every keyed effect once',
  async ({ expect }) => {
    let run: string | undefined;
    let started = false;
    let kills = 0;
    for (let i = 1; i <= 10; i++) {
      for (const boundary of BOUNDARIES) {
        const p = await planServer('chain', `s${i}:${boundary}`);
        // A kill can cut plan_run off before it answers; the run is journaled all the same.
        if (!started) {
          started = true;
          run = await startRun(p, 'chain');
        } else run ??= await latestRun(p).catch(() => undefined);
        // The server resumes the run on its own and dies at the kill point (one that never gets
        // there fails the test instead of hanging it).
        const died = await Promise.race([p.exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 120_000))]);
        if (!died) p.kill();
        expect(died, `the plan server never reached s${i}:${boundary}`).toBe(true);
        kills++;
      }
    }
    expect(kills).toBe(40);
    const p = await planServer('chain');
    run ??= await latestRun(p);
    const final = await status(p, run, 120_000);
    await p.close();
    expect(final.state, final.reason ?? '').toBe('completed');
    assertExactlyOnce(expect, 'chain');
  },
  900_000,
);

/** One lane of random kills: a run is started, the plan server killed after a random wait, restarted, and so on. */
async function randomKills(expect: ExpectStatic, lane: 'rndA' | 'rndB', count: number): Promise<void> {
  const tags: string[] = [];
  let kills = 0;
  let midRun = 0;
  let active: string | undefined;
  while (kills < count) {
    const p = await planServer(lane);
    if (active === undefined) {
      const tag = `${lane}${tags.length}`;
      tags.push(tag);
      // Journaled once plan_run answers; the kill then lands anywhere in what follows.
      await startRun(p, tag);
      active = tag;
    }
    await new Promise((r) => setTimeout(r, Math.random() * RANDOM_WINDOW_MS));
    const list = await p.client.callTool({ name: 'plan_list', arguments: { limit: 1 } }).catch(() => undefined);
    const newest = (list?.structuredContent as { runs?: Run[] } | undefined)?.runs?.[0];
    if (newest?.state === 'completed') active = undefined;
    else midRun++;
    p.kill();
    await p.exited;
    kills++;
  }
  const p = await planServer(lane);
  const listed = await p.client.callTool({ name: 'plan_list', arguments: { limit: 100 } });
  const runs = (listed.structuredContent as { runs: Run[] }).runs;
  for (const r of runs) {
    const final = await status(p, r.id, 120_000);
    expect(final.state, `${r.id}: ${final.reason ?? ''}`).toBe('completed');
  }
  await p.close();
  const db = new Database(join(home.dir, `plan-${lane}.db`), { readonly: true });
  const tagOf = new Map(
    runs.map((r) => [
      r.id,
      (JSON.parse((db.prepare('SELECT inputs FROM runs WHERE id = ?').get(r.id) as { inputs: string }).inputs) as { tag: string }).tag,
    ]),
  );
  db.close();
  // Every run the kills left behind completed, each keyed effect exactly once; most kills landed mid-run.
  expect(runs.length).toBeGreaterThan(0);
  expect(runs.length).toBe(tags.length);
  console.log(`${lane}: ${midRun} of ${count} kills landed before the run had completed`);
  expect(midRun).toBeGreaterThan(0);
  for (const r of runs) assertExactlyOnce(expect, tagOf.get(r.id)!);
}

/**
 * A restarted plan server takes a second or two to load before it resumes, and a ten-step run then
 * takes about as long again: kills drawn from this window land mostly while the run goes.
 */
const RANDOM_WINDOW_MS = 2_500;

it.concurrent(
  'runs killed at 30 random moments (first lane of two) all complete, every keyed effect once',
  async ({ expect }) => {
    await randomKills(expect, 'rndA', 30);
  },
  900_000,
);

it.concurrent(
  'runs killed at 30 random moments (second lane of two) all complete, every keyed effect once',
  async ({ expect }) => {
    await randomKills(expect, 'rndB', 30);
  },
  900_000,
);

it.concurrent(
  'a step without an idempotency key killed mid-call pauses as "may have run" and is not repeated',
  async ({ expect }) => {
    const plan = tenSteps();
    const steps = plan.steps as Record<string, unknown>[];
    steps[1] = { ...steps[1], idempotencyKey: false };
    const p = await planServer('nokey', 's2:returned');
    const run = (await startRun(p, 'nokey', plan)) ?? (await latestRun(p));
    await p.exited;
    const q = await planServer('nokey');
    const paused = await status(q, run, 60_000);
    await q.close();
    expect(paused.state).toBe('paused');
    expect(paused.reason).toContain('step s2 may have run');
    expect(hits.get('/hit/nokey/s2')).toBe(1);
  },
  300_000,
);
