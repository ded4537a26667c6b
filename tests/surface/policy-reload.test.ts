// Policy edits apply without a restart: a good edit is in force for the next call; a bad one keeps
// the last good policy and the log says why.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type InProcess, startInProcess } from '../helpers/in-process.js';
import { tempHome } from '../helpers/temp-home.js';

let memory: InProcess;
let logFile: string;

async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const start = Date.now();
  while (!(await done())) {
    if (Date.now() - start > 15_000) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function rememberRefusedAs(code: string | undefined): Promise<boolean> {
  const r = await memory.call('memory_remember', { namespace: 'user', key: 'k', value: `v${Date.now()}` });
  return (r.structured.error as { code?: string } | undefined)?.code === code;
}

beforeAll(async () => {
  const home = tempHome('hearth-reload-');
  logFile = join(home.dir, 'server.log');
  memory = await startInProcess('memory', { home, policy: { mode: 'autopilot' }, set: [`log.file=${logFile}`, 'log.level=info'] });
});
afterAll(async () => {
  await memory?.close();
});

describe('policy hot reload', () => {
  it('puts a good edit in force for the next call, and keeps the last good policy over a bad edit', async () => {
    expect(await rememberRefusedAs(undefined)).toBe(true);

    memory.home.policy({ mode: 'autopilot', tools: { deny: ['memory_remember'] } });
    await until(() => rememberRefusedAs('TOOL_NOT_ALLOWED'), 'the deny to apply');

    writeFileSync(join(memory.home.dir, 'policy.json'), '{ "version": 1, "mode": "autopilot", ');
    await until(() => readFileSync(logFile, 'utf8').includes('policy file edit refused'), 'the log line');
    expect(readFileSync(logFile, 'utf8')).toMatch(/"why":"[^"]*policy file [^"]*policy\.json/);
    expect(await rememberRefusedAs('TOOL_NOT_ALLOWED')).toBe(true);

    memory.home.policy({ mode: 'autopilot' });
    await until(() => rememberRefusedAs(undefined), 'the fixed policy to apply');
  });
});
