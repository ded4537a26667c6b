// Cancelling a long call stops its work, not only the client's wait: the page load a cancelled
// navigation or click started is abandoned by the browser with no further call, a cancelled request
// is dropped, a sandbox run or test stops, an ingest stops between files — each audited as
// CANCELLED — and the next call on the same server is served.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestSite, type TestSite } from '../fixtures/web/site.js';
import { type InProcess, startInProcess } from '../helpers/in-process.js';

let site: TestSite;
let web: InProcess;
let code: InProcess;
let memory: InProcess;

/** Polls until `done` holds; the bound is far above what the stopped work needs and far below what it would take unstopped. */
async function until(done: () => boolean, what: string, ms = 15_000): Promise<void> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > ms) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function cancelledRow(server: InProcess, tool: string): boolean {
  return server.server.kernel.audit.tail(5, { tool }).some((row) => row.error_code === 'CANCELLED');
}

/** Starts a call, waits for `started` (default: its first progress notification), cancels it and expects the client's promise to reject. */
async function cancel(server: InProcess, tool: string, args: Record<string, unknown>, started?: () => boolean): Promise<void> {
  const abort = new AbortController();
  let progressed = false;
  const call = server.client.callTool({ name: tool, arguments: args }, { signal: abort.signal, onprogress: () => (progressed = true) });
  const settled = call.then(
    () => 'finished',
    () => 'rejected',
  );
  await until(started ?? (() => progressed), `${tool} to start`);
  abort.abort();
  expect(await settled).toBe('rejected');
}

beforeAll(async () => {
  site = await startTestSite({ tableRows: 10 });
  const policy = { mode: 'autopilot', web: { origins: [site.origin] } };
  web = await startInProcess('web', { policy });
  code = await startInProcess('code', { policy: { mode: 'autopilot' } });
  memory = await startInProcess('memory', { policy: { mode: 'autopilot', roots: ['./docs'] } });
});
afterAll(async () => {
  await Promise.all([web?.close(), code?.close(), memory?.close()]);
  await site?.close();
});

describe('cancelling a long call stops its work', () => {
  it('web_navigate: the browser abandons the load at once, and the next call reads the page as it stood', async () => {
    await web.call('web_navigate', { url: `${site.origin}/index.html` });
    const before = site.slowRequests;
    await cancel(web, 'web_navigate', { url: `${site.origin}/slow?ms=60000` }, () => site.slowRequests > before);
    // No other call is made: the cancellation itself stops the load.
    await until(() => site.slowLoads.length === 1, 'the slow load to be abandoned');
    expect(site.slowLoads).toEqual(['abandoned']);
    await until(() => cancelledRow(web, 'web_navigate'), 'the audit row');
    const next = await web.call('web_snapshot', { interactive: true });
    expect(next.isError).toBe(false);
    expect(next.structured.url).not.toContain('/slow');
  });

  it('web_click: a click that starts a slow navigation is stopped the same way', async () => {
    await web.call('web_navigate', { url: `${site.origin}/slow-link.html` });
    const before = site.slowRequests;
    const loads = site.slowLoads.length;
    await cancel(web, 'web_click', { target: { role: 'link', name: 'Slow page' } }, () => site.slowRequests > before);
    await until(() => site.slowLoads.length === loads + 1, 'the slow load to be abandoned');
    expect(site.slowLoads.at(-1)).toBe('abandoned');
    await until(() => cancelledRow(web, 'web_click'), 'the audit row');
    const next = await web.call('web_snapshot', { interactive: true });
    expect(next.structured.outline).toContain('link "Slow page"');
  });

  it('web_request: the request is dropped', async () => {
    const before = site.slowRequests;
    const loads = site.slowLoads.length;
    await cancel(web, 'web_request', { url: `${site.origin}/slow?ms=60000` }, () => site.slowRequests > before);
    await until(() => site.slowLoads.length === loads + 1, 'the request to be dropped');
    expect(site.slowLoads.at(-1)).toBe('abandoned');
    await until(() => cancelledRow(web, 'web_request'), 'the audit row');
  });

  it('code_run: an endless loop stops, and the next run is served', async () => {
    await cancel(code, 'code_run', { code: 'while (true) {}' });
    await until(() => cancelledRow(code, 'code_run'), 'the audit row');
    const next = await code.call('code_run', { code: '6 * 7' });
    expect(next.structured.value).toBe(42);
  });

  it('code_test: an endless test stops, and the next call is served', async () => {
    await cancel(code, 'code_test', { source: 'export const x = 1;', tests: [{ name: 'spins', code: 'while (true) {}' }] });
    await until(() => cancelledRow(code, 'code_test'), 'the audit row');
    const next = await code.call('code_test', { source: 'export const x = 1;', tests: [{ name: 'one', code: 'assert.equal(x, 1);' }] });
    expect(next.structured.passed).toBe(1);
  });

  it('memory_ingest: a large ingest stops between files, and the next call is served', async () => {
    const docs = join(memory.home.dir, 'docs');
    mkdirSync(docs);
    for (let i = 0; i < 400; i++)
      writeFileSync(join(docs, `note-${i}.md`), `# Note ${i}\n\n${'Words about gardens and roses. '.repeat(200)}\n`);
    await cancel(memory, 'memory_ingest', { paths: ['.'] });
    await until(() => cancelledRow(memory, 'memory_ingest'), 'the audit row');
    const listed = await memory.call('memory_list', {});
    expect(listed.isError).toBe(false);
    expect(listed.structured.total as number).toBeLessThan(400);
  });
});
