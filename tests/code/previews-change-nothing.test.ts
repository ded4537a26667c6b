// A preview changes nothing: in observe mode and on a dry run, the code tools that would write
// (files write and delete, package, session open and close, run) answer with their preview and
// leave the disk as it was — not even the workspace folder is created.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { InMemoryTransport } from '@modelcontextprotocol/client';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { createServer } from '../../servers/code/index.js';
import { loadConfig } from '../../shared/config.js';
import type { HearthServer } from '../../shared/server.js';
import { newClient } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let home: TempHome;
let server: HearthServer;
let client: ReturnType<typeof newClient>;

async function start(mode: 'observe' | 'autopilot'): Promise<void> {
  home.policy({ mode });
  const { config } = loadConfig({ home: home.dir, set: [], logLevel: 'warn' }, { HEARTH_HOME: home.dir });
  server = createServer(config);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect('in-process').connect(serverSide);
  client = newClient();
  await client.connect(clientSide);
}

/** Every file and folder under the workspaces folder. */
function workspaces(): string[] {
  const root = join(home.dir, 'code', 'workspaces');
  return existsSync(root) ? readdirSync(root, { recursive: true }).map(String) : [];
}

const CALLS: [string, Record<string, unknown>][] = [
  ['code_files_write', { files: [{ path: 'data/input.csv', content: 'a,b\n1,2\n' }] }],
  ['code_files_write', { session: 'later', files: [{ path: 'x.txt', content: 'x' }] }],
  ['code_files_delete', { paths: ['nothing-here.txt'] }],
  ['code_package', { paths: ['.'] }],
  ['code_run', { code: 'workspace.writeText("made.txt", "made")' }],
];

beforeEach(() => {
  home = tempHome('hearth-code-previews-');
});
afterEach(async () => {
  await client?.close().catch(() => undefined);
  await server?.close();
  home.cleanup();
});

it('observe mode: previews only, and no workspace folder appears', async () => {
  await start('observe');
  for (const [name, args] of CALLS) {
    const result = await client.callTool({ name, arguments: args });
    const structured = result.structuredContent as { dryRun?: boolean; error?: { code: string } };
    // Either the preview, or a clear error about the arguments: never a run.
    expect(
      structured.dryRun === true || ['NOT_FOUND', 'INVALID_ARGUMENT'].includes(structured.error?.code ?? ''),
      `${name}: ${JSON.stringify(structured)}`,
    ).toBe(true);
    expect(workspaces(), name).toEqual([]);
  }
});

it('dry run in autopilot: previews only, and no workspace folder appears', async () => {
  await start('autopilot');
  for (const [name, args] of CALLS) {
    const result = await client.callTool({ name, arguments: args, _meta: { 'hearth/dryRun': true } });
    const structured = result.structuredContent as { dryRun?: boolean; error?: { code: string } };
    expect(
      structured.dryRun === true || ['NOT_FOUND', 'INVALID_ARGUMENT'].includes(structured.error?.code ?? ''),
      `${name}: ${JSON.stringify(structured)}`,
    ).toBe(true);
    expect(workspaces(), name).toEqual([]);
  }
  // The real call then creates it.
  const written = await client.callTool({ name: 'code_files_write', arguments: CALLS[0]![1] });
  expect(written.isError).toBeFalsy();
  expect(workspaces()).toEqual(expect.arrayContaining(['scratch', join('scratch', 'data', 'input.csv')]));
});
