// The sandbox through the domain (SessionManager → sandbox process → isolate, all real): the API
// inside the isolate, value serialization, fetch through the policy, timers, code_test, sessions'
// life cycle (expiry, limits, close) and cancellation.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { resolveMemoryMb, resolveRunLimits } from '../../servers/code/limits.js';
import { outboundFetch } from '../../servers/code/net/outbound-fetch.js';
import { prepareScript } from '../../servers/code/sandbox/rewrite.js';
import { SessionManager } from '../../servers/code/sessions/session-manager.js';
import { CodeSettings } from '../../servers/code/settings.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let home: TempHome;
let sessions: SessionManager;
let server: Server;
let port = 0;
let clock = Date.now();
const settings = CodeSettings.parse({ wallMs: 3_000, cpuMs: 3_000, memoryMb: 64, maxSessions: 3, idleMinutes: 1 });
const limits = resolveRunLimits(settings, undefined);

beforeAll(async () => {
  home = tempHome('hearth-code-sandbox-');
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/hop') {
        res.writeHead(302, { location: '/json' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-seen-method': req.method ?? '' });
      res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
  const policy = { allowed: (host: string) => host === '127.0.0.1' };
  sessions = new SessionManager({
    settings,
    workspacesRoot: join(home.dir, 'code', 'workspaces'),
    log: pino({ level: 'silent' }),
    fetcher: (request, deadline, signal) =>
      outboundFetch(request, policy, { timeoutMs: 2_000, maxBytes: 1e6, maxRedirects: 2 }, deadline, signal),
    now: () => clock,
  });
  await sessions.open('t', 64);
});

afterAll(async () => {
  await sessions?.closeAll();
  await new Promise<void>((r) => server?.close(() => r()));
  home?.cleanup();
});

async function run(code: string, session: string | null = 't') {
  const prepared = prepareScript(code).code;
  return session === null ? sessions.runOnce(prepared, limits, 64) : (await sessions.runInSession(session, prepared, limits)).outcome;
}

describe('inside the sandbox', () => {
  it('serializes values: Map, Set, Date, typed arrays, errors, nested objects', async () => {
    const r = await run(
      '({ m: new Map([["a", 1]]), s: new Set([1, 2]), d: new Date(0), u8: new Uint8Array([1, 2]), e: new TypeError("bad"), n: { deep: [1, { x: null }] } })',
    );
    expect(r.valueType).toBe('object');
    expect(r.value).toEqual({
      m: { '[Map]': [['a', 1]] },
      s: { '[Set]': [1, 2] },
      d: '1970-01-01T00:00:00.000Z',
      u8: { type: 'Uint8Array', length: 2, values: [1, 2] },
      e: { name: 'TypeError', message: 'bad' },
      n: { deep: [1, { x: null }] },
    });
  });

  it('reports a thrown error with a stack that points at the user code', async () => {
    const r = await run('const ok = 1;\nfunction boom() { throw new RangeError("nope") }\nboom()');
    expect(r.status).toBe('threw');
    expect(r.error).toMatchObject({ name: 'RangeError', message: 'nope' });
    expect(r.error!.stack).toContain('at boom (<code>:2:');
    expect(r.error!.stack).not.toContain('hearth:prelude');
  });

  it('console goes to stdout and stderr, formatting objects as JSON', async () => {
    const r = await run('console.log("a", 1, { b: [2] }); console.error("oops"); console.warn(new Error("w").message)');
    expect(r.stdout).toBe('a 1 {"b":[2]}\n');
    expect(r.stderr).toBe('oops\nw\n');
  });

  it('workspace API: text, bytes, JSON, list, stat, delete, and the files the run changed', async () => {
    const r = await run(
      [
        'workspace.writeText("notes/a.txt", "héllo");',
        'workspace.writeBytes("b.bin", new Uint8Array([0, 255, 7]));',
        'workspace.writeJSON("c.json", { x: 1 });',
        'const back = [workspace.readText("notes/a.txt"), Array.from(workspace.readBytes("b.bin")), workspace.readJSON("c.json").x, workspace.exists("nope"), workspace.stat("b.bin").bytes];',
        'workspace.delete("c.json");',
        'back',
      ].join('\n'),
    );
    expect(r.value).toEqual(['héllo', [0, 255, 7], 1, false, 3]);
    expect(r.files).toEqual({ created: ['b.bin', 'notes/a.txt'], modified: [], deleted: [] });
  });

  it('TextEncoder, TextDecoder, atob and btoa work through copies', async () => {
    const r = await run(
      '[Array.from(new TextEncoder().encode("é")), new TextDecoder().decode(new Uint8Array([0xe2, 0x82, 0xac])), btoa("hi"), atob("aGk=")]',
    );
    expect(r.value).toEqual([[195, 169], '€', 'aGk=', 'hi']);
  });

  it('setTimeout and sleep run while the run awaits them', async () => {
    const r = await run(
      'const order = []; setTimeout(() => order.push("t2"), 20); setTimeout(() => order.push("t1"), 5); await sleep(60); order',
    );
    expect(r.value).toEqual(['t1', 't2']);
  });

  it('fetch reaches an allowed host, follows an allowed redirect, sends a body', async () => {
    const r = await run(
      `const a = await fetch("http://127.0.0.1:${port}/hop"); const b = await fetch("http://127.0.0.1:${port}/x", { method: "POST", body: "payload", headers: { authorization: "Bearer t" } }); [a.status, a.redirected, (await a.json()).method, b.headers.get("x-seen-method"), await b.json()]`,
    );
    expect(r.status).toBe('ok');
    expect(r.value).toEqual([200, true, 'GET', 'POST', { method: 'POST', body: 'payload', auth: 'Bearer t' }]);
  });

  it('helpers load on first use: csv, stats, table, chart', async () => {
    const r = await run(
      'const rows = csv.parse("a,b\\n1,x\\n3,y\\n"); [rows, stats.summarize(rows)[0].mean, table.markdown(rows).split("\\n")[1], chart.line(rows, { x: "a", y: "a" }).startsWith("<svg")]',
    );
    expect(r.value).toEqual([
      [
        { a: 1, b: 'x' },
        { a: 3, b: 'y' },
      ],
      2,
      '| ---: | --- |',
      true,
    ]);
  });
});

describe('code_test', () => {
  it('runs tests against a script, reporting passes, failures with messages, and console output', async () => {
    const out = await sessions.test(
      't',
      prepareScript('function square(n) { console.log("sq", n); return n * n }').code,
      'script',
      [
        { name: 'squares', code: 'assert.equal(square(3), 9)' },
        { name: 'deep', code: 'assert.deepEqual([square(1)], [2])' },
        { name: 'async rejects', code: 'await assert.rejects(Promise.reject(new Error("x")), /x/)' },
        { name: 'throws', code: 'assert.throws(() => { throw new TypeError("t") }, TypeError)' },
      ],
      { ...limits, testMs: 1_000 },
    );
    expect(out.load).toEqual({ status: 'ok', kind: 'script' });
    expect(out.tests.map((t) => [t.name, t.status])).toEqual([
      ['squares', 'passed'],
      ['deep', 'failed'],
      ['async rejects', 'passed'],
      ['throws', 'passed'],
    ]);
    expect(out.tests[1]!.message).toBe('AssertionError: expected [2], got [1]');
    expect(out.stdout).toBe('sq 3\nsq 1\n');
  });

  it('reports a module that does not load and skips its tests', async () => {
    const out = await sessions.test(undefined, 'export const x = ;', 'module', [{ name: 'never', code: 'assert(true)' }], {
      ...limits,
      testMs: 1_000,
    });
    expect(out.load.status).toBe('threw');
    expect(out.load.error?.name).toBe('SyntaxError');
    expect(out.tests[0]!.status).toBe('skipped');
  });
});

describe('sessions', () => {
  it('enforces the session count and rejects bad names', async () => {
    await sessions.open('two', 64);
    await sessions.open('three', 64);
    await expect(sessions.open('four', 64)).rejects.toThrow(/3 sessions are open/);
    await expect(sessions.open('Bad Name', 64)).rejects.toThrow(/not a valid session name/);
    await expect(sessions.open('scratch', 64)).rejects.toThrow(/reserved/);
    expect((await sessions.open('two', 64)).reused).toBe(true);
    await sessions.close('three', false);
    expect(existsSync(join(sessions.workspacesRoot, 'three'))).toBe(false);
  });

  it('closes idle sessions but keeps their files, and says so when they are used', async () => {
    await run('workspace.writeText("kept.txt", "k")', 'two');
    clock += 2 * 60_000;
    await sessions.runInSession('t', '1', limits); // keep t fresh
    clock += 1;
    const gone = await sessions.sweep();
    expect(gone).toContain('two');
    await expect(sessions.runInSession('two', '1', limits)).rejects.toThrow(/closed after 1 minutes without use/);
    expect(sessions.workspace('two').read('kept.txt').toString()).toBe('k');
    const reopened = await sessions.open('two', 64);
    expect(reopened.reused).toBe(false);
    expect((await run('workspace.readText("kept.txt")', 'two')).value).toBe('k');
  });

  it('a run that is waiting can be cancelled, and the session keeps its variables', async () => {
    await run('globalThis.kept = "still here"');
    const controller = new AbortController();
    const pending = sessions.runInSession('t', prepareScript('await new Promise(() => {})').code, limits, controller.signal);
    setTimeout(() => controller.abort(), 100);
    const { outcome, session } = await pending;
    expect(outcome.status).toBe('cancelled');
    expect(outcome.reset).toBe(false);
    expect(session.resets).toBe(0);
    expect((await run('globalThis.kept')).value).toBe('still here');
  });

  it('a busy loop is stopped by a cancel, not left running to its time limit', async () => {
    await sessions.open('spin', 64);
    await run('globalThis.kept = 1', 'spin');
    const controller = new AbortController();
    const pending = sessions.runInSession('spin', prepareScript('while (true) {}').code, limits, controller.signal);
    setTimeout(() => controller.abort(), 100);
    const { outcome, session } = await pending;
    expect(outcome.status).toBe('cancelled');
    // Stopping executing code means disposing the isolate: the session says it was reset…
    expect(outcome.reset).toBe(true);
    expect(session.resets).toBe(1);
    // …and works again straight away, with fresh globals.
    expect((await run('typeof globalThis.kept', 'spin')).value).toBe('undefined');
    await sessions.close('spin', false);
  });

  it('cancelling a one-shot busy loop leaves other one-shot runs in the shared sandbox alone', async () => {
    const controller = new AbortController();
    const spinning = sessions.runOnce(prepareScript('while (true) {}').code, limits, 64, controller.signal);
    const sleeper = sessions.runOnce(prepareScript('await sleep(400); "slept"').code, limits, 64);
    setTimeout(() => controller.abort(), 100);
    expect((await spinning).status).toBe('cancelled');
    const slept = await sleeper;
    expect(slept.status).toBe('ok');
    expect(slept.value).toBe('slept');
  });

  it('a cancel that comes before the sandbox is ready still stops the run', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await sessions.runOnce(prepareScript('while (true) {}').code, limits, 64, controller.signal);
    expect(outcome.status).toBe('cancelled');
    expect(outcome.cpuMs).toBeLessThan(limits.cpuMs);
  });

  it('cancelling code_test stops a looping test and skips the rest', async () => {
    const controller = new AbortController();
    const pending = sessions.test(
      undefined,
      'export const spin = () => { while (true) {} };',
      'module',
      [
        { name: 'loops', code: 'spin();' },
        { name: 'after', code: 'assert.equal(1, 1);' },
      ],
      { ...limits, testMs: limits.wallMs },
      controller.signal,
    );
    setTimeout(() => controller.abort(), 100);
    const outcome = await pending;
    expect(outcome.tests.map((t) => t.status)).toEqual(['skipped', 'skipped']);
    // Stopped by the cancel, not left to its time limit; its throwaway isolate is no session reset.
    expect(outcome.tests[0]!.message).toBe('cancelled while running; its code was stopped');
    expect(outcome.reset).toBe(false);
  });

  it('one caller hitting the memory limit does not take down another caller’s one-shot run', async () => {
    const sandboxes = () =>
      execFileSync('ps', ['-o', 'pid=', '--ppid', String(process.pid)], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean).length;
    await run('"warm"', null);
    const before = sandboxes();
    const sleeper = sessions.runOnce(prepareScript('await sleep(800); "slept"').code, limits, 64);
    const hog = sessions.runOnce(
      prepareScript('const hog = []; for (;;) hog.push({ i: hog.length, s: "x".repeat(64) + hog.length })').code,
      limits,
      64,
    );
    expect((await hog).status).toBe('memory');
    // The next one-shot run gets a fresh sandbox process while the sleeper finishes in the old one.
    expect((await run('"fresh"', null)).value).toBe('fresh');
    const slept = await sleeper;
    expect(slept.status).toBe('ok');
    expect(slept.value).toBe('slept');
    // Then the old process ends: no sandbox is left behind.
    await expect.poll(sandboxes, { timeout: 10_000, interval: 50 }).toBe(before);
  });

  it('code stuck in a builtin that ignores termination is stopped at its wall limit, and another caller’s run goes on', async () => {
    const sandboxes = () =>
      execFileSync('ps', ['-o', 'pid=', '--ppid', String(process.pid)], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean).length;
    await run('"warm"', null);
    const before = sandboxes();
    // Outlives the sort's wall limit plus the grace after which the server would kill the process.
    const sleeper = sessions.runOnce(prepareScript('await sleep(2_500); "slept"').code, limits, 64);
    // A default sort of millions of numbers runs for many seconds inside V8 without checking for termination.
    const sort = sessions.runOnce(
      prepareScript('const a = Array.from({ length: 2e6 }, (_, i) => (i * 7919) % 2e6); a.sort(); a.length').code,
      { ...limits, wallMs: 1_000 },
      64,
    );
    const sorted = await sort;
    // Whether V8 was still inside the sort when the grace ran out (and the isolate was replaced)
    // depends on the machine's speed; either way the run ends as a timeout.
    expect(sorted.status).toBe('timeout');
    // The sandbox answered by itself: the process was not killed under the other run.
    const slept = await sleeper;
    expect(slept.status).toBe('ok');
    expect(slept.value).toBe('slept');
    expect((await run('"fresh"', null)).value).toBe('fresh');
    await expect.poll(sandboxes, { timeout: 10_000, interval: 50 }).toBe(before);
  });

  it('a second run in a busy session is refused, not queued', async () => {
    const first = sessions.runInSession('t', prepareScript('await sleep(200); 1').code, limits);
    await expect(sessions.runInSession('t', '2', limits)).rejects.toThrow(/already running code/);
    expect((await first).outcome.value).toBe(1);
  });
});

describe('limits', () => {
  it('a call may ask for less, never more', () => {
    expect(resolveRunLimits(settings, { wallMs: 100 }).wallMs).toBe(100);
    expect(() => resolveRunLimits(settings, { cpuMs: 3_001 })).toThrow(/limits.cpuMs: 3001 is above the server's maximum of 3000/);
    expect(() => resolveMemoryMb(settings, 65)).toThrow(/above the server's maximum of 64/);
    expect(() => resolveMemoryMb(settings, 4)).toThrow(/below the smallest isolate/);
  });
});
