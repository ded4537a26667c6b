// The checks `hearth doctor` runs. Each says what it found and, when something is wrong, how to fix it.
import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

import type IsolatedVm from 'isolated-vm';

import type { HearthError } from '../lib/errors.js';
import { openDatabase } from '../lib/sqlite.js';
import { loadPolicy } from '../policies/load.js';
import { CHROMIUM_ARGS, type ChromiumLocation, findChromium } from '../shared/chromium.js';
import type { HearthConfig } from '../shared/config.js';
import { nativeModuleProblem } from './native-modules.js';
import { isSupportedNode, readRuntimeRecord, RECORD_FILE, type RunningNode, runningNode, sameFile, versionProblem } from './runtime.js';

export type Status = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: Status;
  detail: string;
  fix?: string;
}

const require = createRequire(import.meta.url);

export function checkNode(root: string, running: RunningNode = runningNode()): CheckResult {
  const detail = `Node ${running.version} (${running.execPath})`;
  return isSupportedNode(running.version)
    ? { name: 'node', status: 'ok', detail }
    : { name: 'node', status: 'fail', detail, fix: versionProblem(root, running)!.replace(/^hearth: /, '') };
}

/** Whether this is the Node that installed node_modules (the launcher starts that one when it can). */
export function checkRuntimeRecord(root: string, running: RunningNode = runningNode()): CheckResult {
  const record = readRuntimeRecord(root);
  if (!record)
    return {
      name: 'runtime',
      status: 'warn',
      detail: `no record of the Node that installed node_modules (${RECORD_FILE})`,
      fix: existsSync(`${root}/Makefile`)
        ? `Run make in ${root}; it writes the record.`
        : 'Reinstall hearth-mcp (its install step writes the record).',
    };
  const built = `node_modules installed with Node ${record.version} (ABI ${record.modules}) at ${record.execPath}`;
  if (sameFile(record.execPath, running.execPath)) return { name: 'runtime', status: 'ok', detail: `${built}: this Node` };
  return {
    name: 'runtime',
    status: 'warn',
    detail: `${built}; running Node ${running.version} (ABI ${running.modules}) at ${running.execPath}`,
    fix: existsSync(record.execPath)
      ? `Start Hearth through bin/hearth.js (it runs ${record.execPath}), or run make to install for this Node.`
      : `That Node is gone: run make${existsSync(`${root}/Makefile`) ? ` in ${root}` : ''} to install for the Node you use now.`,
  };
}

export function checkSqlite(): CheckResult[] {
  const problem = nativeModuleProblem('better-sqlite3');
  if (problem) return [{ name: 'better-sqlite3', status: 'fail', detail: problem.replace(/^hearth: /, '') }];
  try {
    const db = openDatabase(':memory:');
    const version = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    db.exec("CREATE VIRTUAL TABLE t USING fts5(x); INSERT INTO t VALUES ('hello')");
    const results: CheckResult[] = [{ name: 'better-sqlite3', status: 'ok', detail: `SQLite ${version} with FTS5` }];
    try {
      const vec = require('sqlite-vec') as { load: (db: unknown) => void };
      vec.load(db);
      const v = (db.prepare('SELECT vec_version() AS v').get() as { v: string }).v;
      results.push({ name: 'sqlite-vec', status: 'ok', detail: `sqlite-vec ${v}` });
    } catch (error) {
      results.push({
        name: 'sqlite-vec',
        status: 'fail',
        detail: (error as Error).message,
        fix: 'Reinstall dependencies (npm ci); sqlite-vec ships prebuilt for linux/macOS/windows x64 and arm64.',
      });
    }
    db.close();
    return results;
  } catch (error) {
    return [{ name: 'better-sqlite3', status: 'fail', detail: (error as Error).message.split('\n')[0]! }];
  }
}

export function checkIsolatedVm(): CheckResult {
  if (!process.execArgv.includes('--no-node-snapshot')) {
    return {
      name: 'isolated-vm',
      status: 'fail',
      detail: 'Node was started without --no-node-snapshot',
      fix: 'Run hearth through bin/hearth.js (it adds the flag), or start node with --no-node-snapshot.',
    };
  }
  const problem = nativeModuleProblem('isolated-vm');
  if (problem) return { name: 'isolated-vm', status: 'fail', detail: problem.replace(/^hearth: /, '') };
  try {
    const ivm = require('isolated-vm') as typeof IsolatedVm;
    const isolate = new ivm.Isolate({ memoryLimit: 16 });
    const value = isolate.compileScriptSync('6 * 7').runSync(isolate.createContextSync()) as number;
    isolate.dispose();
    return value === 42
      ? { name: 'isolated-vm', status: 'ok', detail: 'V8 isolates run' }
      : { name: 'isolated-vm', status: 'fail', detail: `an isolate computed ${value} for 6 * 7` };
  } catch (error) {
    return {
      name: 'isolated-vm',
      status: 'fail',
      detail: (error as Error).message.split('\n')[0]!,
    };
  }
}

export function checkArgon2(): CheckResult {
  try {
    require('@node-rs/argon2');
    return { name: 'argon2', status: 'ok', detail: '@node-rs/argon2 loads' };
  } catch (error) {
    return { name: 'argon2', status: 'fail', detail: (error as Error).message.split('\n')[0]!, fix: 'Reinstall dependencies (npm ci).' };
  }
}

export async function checkChromium(setting: string | undefined, env: NodeJS.ProcessEnv, launch: boolean): Promise<CheckResult> {
  const { chromium } = await import('playwright-core');
  let found: ChromiumLocation;
  try {
    found = findChromium({ executablePath: setting, env, playwrightPath: () => chromium.executablePath() });
  } catch (error) {
    const e = error as HearthError;
    return { name: 'chromium', status: 'fail', detail: e.message, fix: `${e.hint} Only the web server needs it.` };
  }
  if (!launch) return { name: 'chromium', status: 'ok', detail: `${found.path} (${found.source}; not launched)` };
  try {
    const browser = await chromium.launch({ executablePath: found.path, headless: true, args: [...CHROMIUM_ARGS], timeout: 30_000 });
    const version = browser.version();
    await browser.close();
    return { name: 'chromium', status: 'ok', detail: `${found.path} (${found.source}), Chromium ${version}, launches headless` };
  } catch (error) {
    return {
      name: 'chromium',
      status: 'fail',
      detail: `${found.path} does not launch: ${(error as Error).message.split('\n')[0]}`,
      fix: 'Check the binary runs (`<path> --version`); missing shared libraries mean the distribution package is incomplete.',
    };
  }
}

export async function checkOllama(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const base = env.OLLAMA_HOST
    ? env.OLLAMA_HOST.startsWith('http')
      ? env.OLLAMA_HOST
      : `http://${env.OLLAMA_HOST}`
    : 'http://127.0.0.1:11434';
  try {
    const response = await fetch(`${base}/api/version`, { signal: AbortSignal.timeout(1500) });
    const body = (await response.json()) as { version?: string };
    return { name: 'ollama', status: 'ok', detail: `Ollama ${body.version ?? '?'} at ${base}` };
  } catch {
    return {
      name: 'ollama',
      status: 'warn',
      detail: `not reachable at ${base}`,
      fix: 'Optional. Install Ollama (https://ollama.com) for local models and embeddings; Hearth works without it (built-in offline embedder).',
    };
  }
}

/** Looks at the data directory without creating it: a check changes nothing. */
export function checkDataDir(config: HearthConfig): CheckResult {
  const home = config.home;
  let existing = home;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const note = existing === home ? home : `${home} (not created yet; made at first use inside ${existing})`;
  try {
    accessSync(existing, constants.W_OK | constants.R_OK);
    const fs = statfsSync(existing);
    const freeMb = Math.floor((fs.bavail * fs.bsize) / 1024 / 1024);
    if (freeMb < 200)
      return {
        name: 'data directory',
        status: 'warn',
        detail: `${note} (${freeMb} MB free)`,
        fix: 'Free some disk space or point HEARTH_HOME at a bigger disk.',
      };
    return { name: 'data directory', status: 'ok', detail: `${note} (${freeMb} MB free)` };
  } catch (error) {
    return {
      name: 'data directory',
      status: 'fail',
      detail: `${existing}: ${(error as Error).message}`,
      fix: 'Make the folder writable, or set HEARTH_HOME to a folder you own.',
    };
  }
}

export function checkPolicy(config: HearthConfig): CheckResult {
  try {
    const { policy, source } = loadPolicy(config.policyFile, config.home);
    const opened = [
      policy.roots.length && `${policy.roots.length} file root(s)`,
      policy.web.origins.length && `${policy.web.origins.length} web origin(s)`,
      policy.outbound.hosts.length && `${policy.outbound.hosts.length} outbound host(s)`,
    ].filter(Boolean);
    return {
      name: 'policy',
      status: 'ok',
      detail: `${source}: mode ${config.mode ?? policy.mode}${opened.length ? `, ${opened.join(', ')}` : ', nothing opened (no files, no web, no network)'}`,
    };
  } catch (error) {
    return {
      name: 'policy',
      status: 'fail',
      detail: (error as Error).message,
      fix: 'Fix the policy file, or run `hearth policy init` to write the default one.',
    };
  }
}
