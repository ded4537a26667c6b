// Resource templates and subscriptions, with a real client over stdio: the code server's workspace
// files are announced as a template, a client subscribes to one and hears when a tool changes or
// deletes it, and stops hearing after unsubscribing. Hostile URIs — `..`, encoded traversal, a
// symlink out of the workspace — are refused for subscribe and read alike.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startInProcess } from '../helpers/in-process.js';
import { connectStdio, type StdioConnection } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let home: TempHome;
let conn: StdioConnection;
const updated: string[] = [];
const URI = 'hearth://code/workspace/scratch/notes/plan.md';

beforeAll(async () => {
  home = tempHome('hearth-subscriptions-');
  home.policy({ mode: 'autopilot' });
  conn = await connectStdio('orchestrator/cli.ts', ['mcp', 'code'], { HEARTH_HOME: home.dir });
  conn.client.setNotificationHandler('notifications/resources/updated', (n) => void updated.push(n.params.uri));
});

afterAll(async () => {
  await conn?.close();
  home?.cleanup();
});

/** Notifications follow the tool's answer; wait until `count` have come (or fail after 10 s). */
async function heard(count: number): Promise<string[]> {
  const start = Date.now();
  while (updated.length < count && Date.now() - start < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 100)); // and no more than that
  return [...updated];
}

async function write(content: string): Promise<void> {
  const r = await conn.client.callTool({ name: 'code_files_write', arguments: { files: [{ path: 'notes/plan.md', content }] } });
  expect(r.isError, JSON.stringify(r.structuredContent)).toBeFalsy();
}

describe('resource templates', () => {
  it('announces workspace files and artifacts as templates, and subscriptions as a capability', async () => {
    const { resourceTemplates } = await conn.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual([
      'hearth://code/workspace/{session}/{+path}',
      'hearth://code/artifacts/{id}/{name}',
    ]);
    expect(conn.client.getServerCapabilities()?.resources).toMatchObject({ subscribe: true });
  });
});

describe('subscriptions', () => {
  it('tells a subscriber when a tool changes the file, and when it is deleted; nothing after unsubscribing', async () => {
    await write('# Plan\n');
    await conn.client.subscribeResource({ uri: URI });
    await conn.client.callTool({ name: 'code_session_list', arguments: {} });
    expect(await heard(0)).toEqual([]); // a call that changes nothing announces nothing

    await write('# Plan\n\n- step one\n');
    expect(await heard(1)).toEqual([URI]);
    const read = await conn.client.readResource({ uri: URI });
    expect((read.contents[0] as { text: string }).text).toContain('step one');

    const gone = await conn.client.callTool({ name: 'code_files_delete', arguments: { paths: ['notes/plan.md'] } });
    expect(gone.isError, JSON.stringify(gone.structuredContent)).toBeFalsy();
    expect(await heard(2)).toEqual([URI, URI]);

    await write('# Plan again\n');
    expect(await heard(3)).toEqual([URI, URI, URI]);
    await conn.client.unsubscribeResource({ uri: URI });
    await write('# Plan, unwatched\n');
    expect(await heard(4)).toEqual([URI, URI, URI]);
  });

  it('refuses to subscribe to a file that does not exist, naming it', async () => {
    await expect(conn.client.subscribeResource({ uri: 'hearth://code/workspace/scratch/nope.txt' })).rejects.toThrow(/nope\.txt/);
  });

  it.each([
    ['a .. path', 'hearth://code/workspace/scratch/../../../../etc/passwd', /leads outside the workspace/],
    ['an encoded traversal', 'hearth://code/workspace/scratch/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd', /leads outside the workspace/],
    ['an absolute path', 'hearth://code/workspace/scratch/%2fetc%2fpasswd', /is an absolute path/],
    ['a workspace name that climbs', 'hearth://code/workspace/..%2f..%2fetc/passwd', /not a valid session name/],
    ['a symlink out of the workspace', 'hearth://code/workspace/scratch/escape/passwd', /escape\/passwd is outside the allowed roots/],
  ])('refuses %s for subscribe and read', async (_name, uri, why) => {
    const workspace = join(home.dir, 'code', 'workspaces', 'scratch');
    mkdirSync(workspace, { recursive: true });
    const outside = join(home.dir, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'passwd'), 'secret');
    try {
      symlinkSync(outside, join(workspace, 'escape'));
    } catch {
      // made by an earlier case
    }
    await expect(conn.client.subscribeResource({ uri })).rejects.toThrow(why);
    await expect(conn.client.readResource({ uri })).rejects.toThrow(why);
  });
});

describe('the web server’s session logs', () => {
  it('are a template; a URI outside the log folder names no log, for subscribe and read', async () => {
    const web = await startInProcess('web');
    try {
      const { resourceTemplates } = await web.client.listResourceTemplates();
      expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual([
        'hearth://web/logs/{folder}/{file}',
        'hearth://web/artifacts/{id}/{name}',
      ]);
      for (const uri of [
        'hearth://web/logs/../../policy.json',
        'hearth://web/logs/s1-2026-01-01T00-00-00Z/..%2f..%2fpolicy.json',
        'hearth://web/logs/s1-2026-01-01T00-00-00Z/actions.jsonl/../../x',
      ]) {
        await expect(web.client.subscribeResource({ uri })).rejects.toThrow(/is not a web session log file|does not exist/);
        await expect(web.client.readResource({ uri })).rejects.toThrow(/is not a web session log file/);
      }
    } finally {
      await web.close();
    }
  });
});
