// Benchmark of the code server's sandbox: a one-shot run (fresh isolate in the warm sandbox
// process) and a warm-session run, each beside spawning `node -e` for the same script, measured in
// the same run; p50 and the ratio to the baseline. Usage:
//   node --no-node-snapshot --import tsx bench/code.bench.ts [--quick]
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import pino from 'pino';

import { resolveRunLimits } from '../servers/code/limits.js';
import { prepareScript } from '../servers/code/sandbox/rewrite.js';
import { SessionManager } from '../servers/code/sessions/session-manager.js';
import { CodeSettings } from '../servers/code/settings.js';

const run = promisify(execFile);
const quick = process.argv.includes('--quick');
const SCRIPT = 'let s = 0; for (let i = 0; i < 1000; i++) s += i; s';
const SPAWNS = quick ? 12 : 40;
const RUNS = quick ? 60 : 300;

function p50(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(n: number, fn: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

const home = mkdtempSync(join(tmpdir(), 'hearth-code-bench-'));
const settings = CodeSettings.parse({});
const sessions = new SessionManager({
  settings,
  workspacesRoot: join(home, 'workspaces'),
  log: pino({ level: 'silent' }),
  fetcher: async () => {
    throw new Error('no network in the benchmark');
  },
});
const limits = resolveRunLimits(settings, undefined);
const code = prepareScript(SCRIPT).code;

try {
  // The same script for node -e, printing its value as code_run returns it.
  const nodeScript = `${SCRIPT.replace(/ s$/, '')}; console.log(s)`;
  const check = await run(process.execPath, ['-e', nodeScript]);
  if (check.stdout.trim() !== '499500') throw new Error(`baseline script printed ${check.stdout}`);

  await sessions.open('bench', settings.memoryMb);
  for (let i = 0; i < 5; i++) {
    await sessions.runOnce(code, limits, settings.memoryMb);
    await sessions.runInSession('bench', code, limits);
  }
  const first = (await sessions.runInSession('bench', code, limits)).outcome;
  if (first.value !== 499500) throw new Error(`sandbox returned ${JSON.stringify(first.value)}`);

  // Interleave the three so machine load affects them alike.
  const spawn: number[] = [];
  const oneShot: number[] = [];
  const warm: number[] = [];
  const rounds = SPAWNS;
  for (let r = 0; r < rounds; r++) {
    spawn.push(...(await time(1, async () => void (await run(process.execPath, ['-e', nodeScript])))));
    oneShot.push(...(await time(Math.ceil(RUNS / rounds), async () => void (await sessions.runOnce(code, limits, settings.memoryMb)))));
    warm.push(...(await time(Math.ceil(RUNS / rounds), async () => void (await sessions.runInSession('bench', code, limits)))));
  }

  const base = p50(spawn);
  const rows = [
    { case: 'spawn `node -e` (baseline)', n: spawn.length, p50: base, ratio: 1, target: '' },
    { case: 'one-shot code_run (fresh isolate)', n: oneShot.length, p50: p50(oneShot), ratio: p50(oneShot) / base, target: '< 0.20×' },
    { case: 'warm session code_run', n: warm.length, p50: p50(warm), ratio: p50(warm) / base, target: '< 0.05×' },
  ];
  console.log(`code sandbox benchmark${quick ? ' (quick)' : ''}: script = ${SCRIPT}`);
  console.log(`${'case'.padEnd(36)} ${'n'.padStart(5)} ${'p50 ms'.padStart(9)} ${'× spawn'.padStart(9)}  target`);
  for (const r of rows)
    console.log(
      `${r.case.padEnd(36)} ${String(r.n).padStart(5)} ${r.p50.toFixed(2).padStart(9)} ${r.ratio.toFixed(3).padStart(9)}  ${r.target}`,
    );
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(
    join(import.meta.dirname, 'results', 'code.json'),
    JSON.stringify({ quick, script: SCRIPT, node: process.version, at: new Date().toISOString(), rows }, null, 2),
  );
} finally {
  await sessions.closeAll();
  rmSync(home, { recursive: true, force: true });
}
