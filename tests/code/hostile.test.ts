// The hostile suite against the domain (SessionManager → sandbox processes → isolates, all real).
// Every case asserts two things: the attack was contained (the exact outcome, nothing outside the
// workspace touched, nothing of the host reachable) and the sandbox still serves afterwards.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { resolveRunLimits, type RunLimits } from '../../servers/code/limits.js';
import { outboundFetch } from '../../servers/code/net/outbound-fetch.js';
import type { RunOutcome } from '../../servers/code/sandbox/protocol.js';
import { prepareScript } from '../../servers/code/sandbox/rewrite.js';
import { SessionManager } from '../../servers/code/sessions/session-manager.js';
import { CodeSettings } from '../../servers/code/settings.js';
import { planPackage, safeEntryName } from '../../servers/code/workspace/package-zip.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let home: TempHome;
let sessions: SessionManager;
let limits: RunLimits;
let server: Server;
let port = 0;
let outsideFile: string;
const SESSION = 'hostile';

const settings = CodeSettings.parse({
  wallMs: 1_500,
  cpuMs: 1_500,
  memoryMb: 48,
  outputChars: 5_000,
  resultChars: 2_000,
  maxFileBytes: 64 * 1024,
  maxWorkspaceFiles: 50,
  fetchMaxRequests: 5,
  idleMinutes: 60,
});

beforeAll(async () => {
  home = tempHome('hearth-code-hostile-');
  outsideFile = join(home.dir, 'outside-secret.txt');
  writeFileSync(outsideFile, 'host secret');
  server = createServer((req, res) => {
    if (req.url === '/redirect-out') {
      res.writeHead(302, { location: `http://localhost:${port}/data` });
      res.end();
    } else if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('x'.repeat(settings.fetchMaxBytes + 10));
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('hello from 127.0.0.1');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
  const policy = { allowed: (host: string) => host === '127.0.0.1' };
  sessions = new SessionManager({
    settings,
    workspacesRoot: join(home.dir, 'code', 'workspaces'),
    log: pino({ level: 'silent' }),
    fetcher: (request, deadline, signal) =>
      outboundFetch(request, policy, { timeoutMs: 10_000, maxBytes: settings.fetchMaxBytes, maxRedirects: 3 }, deadline, signal),
  });
  limits = resolveRunLimits(settings, undefined);
  await sessions.open(SESSION, settings.memoryMb);
  // A symlink to a folder outside and one to a file outside, planted in the workspace by "someone else".
  const ws = join(home.dir, 'code', 'workspaces', SESSION);
  mkdirSync(ws, { recursive: true });
  symlinkSync(home.dir, join(ws, 'out-dir'));
  symlinkSync(outsideFile, join(ws, 'out-file.txt'));
});

afterAll(async () => {
  await sessions?.closeAll();
  await new Promise<void>((r) => server?.close(() => r()));
  home?.cleanup();
});

/** Runs in the hostile session, or one-shot when `session` is null. */
async function run(code: string, session: string | null = SESSION, wallMs?: number): Promise<RunOutcome> {
  const prepared = prepareScript(code).code;
  const runLimits = wallMs === undefined ? limits : { ...limits, wallMs, cpuMs: wallMs };
  return session === null
    ? sessions.runOnce(prepared, runLimits, settings.memoryMb)
    : (await sessions.runInSession(session, prepared, runLimits)).outcome;
}

/** The sandbox still serves: a fresh computation in the same session returns the right value. */
async function stillServes(session: string | null = SESSION): Promise<void> {
  const r = await run('[1, 2, 3].map((n) => n * 2).join(",")', session);
  expect(r.status).toBe('ok');
  expect(r.value).toBe('2,4,6');
}

const LIMITED = ['timeout', 'cpu'];

interface Case {
  name: string;
  code: string;
  oneShot?: boolean;
  /** Memory attacks get a long wall limit, so they are stopped by the memory limit, not the clock. */
  wallMs?: number;
  check: (r: RunOutcome) => void;
}

const cases: Case[] = [
  // ---- time and CPU ----
  { name: 'infinite loop', code: 'while (true) {}', check: (r) => expect(LIMITED).toContain(r.status) },
  { name: 'CPU burner', code: 'let x = 0; for (;;) x += Math.sqrt(x + 1);', check: (r) => expect(LIMITED).toContain(r.status) },
  {
    name: 'infinite loop after an await (continuation is bounded too)',
    code: 'await sleep(5); for (;;) {}',
    check: (r) => expect(LIMITED).toContain(r.status),
  },
  {
    name: 'infinite loop in a timer callback',
    code: 'setTimeout(() => { for (;;) {} }, 1); await sleep(50)',
    check: (r) => expect(LIMITED).toContain(r.status),
  },
  {
    name: 'catastrophic regex backtracking',
    code: '/^(a+)+$/.test("a".repeat(40) + "b")',
    check: (r) => expect(LIMITED).toContain(r.status),
  },
  {
    name: 'Atomics.wait on the isolate thread',
    code: 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)',
    check: (r) => expect(LIMITED).toContain(r.status),
  },
  {
    name: 'stack overflow retried in catch',
    code: '(function f() { try { return f(); } catch { return f(); } })()',
    check: (r) => expect(LIMITED).toContain(r.status),
  },
  { name: 'a promise that never settles', code: 'await new Promise(() => {})', check: (r) => expect(r.status).toBe('timeout') },
  // ---- microtasks and timers ----
  {
    name: 'Promise microtask flood',
    code: '(function f() { Promise.resolve().then(f); })(); 1',
    check: (r) => expect(LIMITED).toContain(r.status),
  },
  {
    name: 'async recursion flood',
    code: 'async function f() { await null; return f(); } await f()',
    check: (r) => expect([...LIMITED, 'memory']).toContain(r.status),
  },
  {
    name: 'timer flood',
    wallMs: 15_000,
    code: 'for (;;) setTimeout(() => {}, 0)',
    check: (r) => {
      // Past 10,000 timers each call is refused; the loop goes on until a limit stops it.
      expect(['threw', 'memory', 'timeout']).toContain(r.status);
      if (r.status === 'threw') expect(r.error?.message).toMatch(/more than 10000 timers/);
    },
  },
  // ---- memory ----
  {
    name: 'array of objects memory bomb',
    wallMs: 15_000,
    code: 'const a = []; for (;;) a.push({ n: a.length, s: "y" + a.length })',
    check: (r) => {
      expect(r.status).toBe('memory');
      expect(r.reset).toBe(true);
    },
  },
  {
    name: 'string doubling bomb',
    code: 'let s = "x"; for (;;) s += s;',
    check: (r) => {
      expect(['threw', 'memory']).toContain(r.status);
      if (r.status === 'threw') expect(r.error?.name).toBe('RangeError');
    },
  },
  {
    name: 'typed array bomb',
    code: 'const keep = []; for (;;) keep.push(new Float64Array(1e6))',
    check: (r) => {
      expect(['threw', 'memory']).toContain(r.status);
      if (r.status === 'threw') expect(r.error?.message).toMatch(/Array buffer allocation failed/);
    },
  },
  {
    name: 'one huge ArrayBuffer',
    code: 'new ArrayBuffer(2 ** 31).byteLength',
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(r.error?.name).toBe('RangeError');
    },
  },
  {
    // V8 13 (Node 24) lets this grow an isolate far past its heap limit; the host's cap on the
    // sandbox process's resident set stops it.
    name: 'small arrays memory bomb',
    wallMs: 15_000,
    code: 'const a = []; for (;;) a.push(new Array(1e3).fill(1))',
    check: (r) => {
      expect(r.status).toBe('memory');
      expect(r.reset).toBe(true);
    },
  },
  {
    name: 'Map memory bomb',
    wallMs: 15_000,
    code: 'const m = new Map(); for (let i = 0; ; i++) m.set(i, [i, i + 1, i + 2])',
    check: (r) => expect(r.status).toBe('memory'),
  },
  // One builtin call that V8 cannot interrupt: it either dies at the memory limit or is killed at the
  // time limit; either way the process is replaced and the session reset.
  {
    name: 'giant array fill (uninterruptible)',
    code: 'new Array(1e9).fill(1).length',
    check: (r) => {
      // Stopped by whichever limit it reached first; the isolate is gone either way.
      expect(['memory', 'timeout', 'cpu']).toContain(r.status);
      expect(r.reset).toBe(true);
    },
  },
  {
    name: 'deep recursion',
    code: 'function f(n) { return f(n + 1) + 1; } f(0)',
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(r.error?.message).toMatch(/Maximum call stack/);
    },
  },
  {
    name: 'WebAssembly is not available (its memory is outside the heap cap)',
    code: 'typeof WebAssembly',
    check: (r) => expect(r.value).toBe('undefined'),
  },
  // ---- output floods ----
  {
    name: 'stdout flood until the time limit',
    code: 'for (;;) console.log("x".repeat(1000))',
    check: (r) => {
      expect(LIMITED).toContain(r.status);
      expect(r.stdout.length).toBeLessThanOrEqual(settings.outputChars);
      expect(r.stdoutTruncated).toBe(true);
    },
  },
  {
    name: 'finite stdout flood is cut at the limit',
    code: 'for (let i = 0; i < 100000; i++) console.log(i); "done"',
    check: (r) => {
      expect(r.value).toBe('done');
      expect(r.stdout.length).toBe(settings.outputChars);
      expect(r.stdoutTruncated).toBe(true);
    },
  },
  {
    name: 'stderr flood',
    code: 'for (let i = 0; i < 100000; i++) console.error("e".repeat(100)); 1',
    check: (r) => {
      expect(r.stderr.length).toBe(settings.outputChars);
      expect(r.stderrTruncated).toBe(true);
    },
  },
  // ---- reaching for the host ----
  { name: 'process is not there', code: 'typeof process', check: (r) => expect(r.value).toBe('undefined') },
  {
    name: 'require is not there',
    code: 'typeof require + typeof module + typeof __dirname + typeof Buffer',
    check: (r) => expect(r.value).toBe('undefinedundefinedundefinedundefined'),
  },
  {
    name: 'globalThis.constructor.constructor gives the isolate’s own Function',
    code: 'globalThis.constructor.constructor("return typeof process")()',
    check: (r) => expect(r.value).toBe('undefined'),
  },
  {
    name: 'host callbacks’ constructor is the isolate’s Function',
    code: 'workspace.readText.constructor("return [typeof process, typeof require]")()',
    check: (r) => expect(r.value).toEqual(['undefined', 'undefined']),
  },
  {
    name: 'console methods lead nowhere',
    code: 'console.log.constructor("return this")().process',
    check: (r) => expect(r.value).toBeNull(),
  },
  { name: 'dynamic import has no loader', code: 'await import("node:fs")', check: (r) => expect(r.status).toBe('threw') },
  {
    name: 'Error.prepareStackTrace sees only isolate frames',
    code: 'Error.prepareStackTrace = (e, s) => s.map((c) => String(c.getFileName())); const st = new Error().stack; delete Error.prepareStackTrace; st.join(" ")',
    check: (r) => {
      expect(r.status).toBe('ok');
      expect(String(r.value)).not.toMatch(/\/work\/|node:|\.ts|\.js/);
    },
  },
  {
    // One-shot: the pollution would otherwise stay in this session's own isolate, by design.
    name: 'prototype pollution stays in the isolate and does not break the sandbox API',
    code: 'Object.prototype.polluted = "yes"; Array.prototype.push = null; JSON.stringify = () => "x".repeat(1e6); String.prototype.slice = () => "hijacked"; Object.keys = () => []; console.log("still", "logging"); workspace.writeText("polluted.txt", "ok"); ({ a: "x".repeat(10), list: [1, 2] })',
    oneShot: true,
    check: (r) => {
      expect(r.value).toEqual({ a: 'xxxxxxxxxx', list: [1, 2] });
      expect(r.stdout).toBe('still logging\n');
      expect(r.files.created).toEqual(['polluted.txt']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(typeof Array.prototype.push).toBe('function');
    },
  },
  // ---- workspace escapes ----
  {
    name: '.. escape',
    code: 'workspace.readText("../../../../etc/passwd")',
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(r.error?.message).toMatch(/leads outside the workspace/);
    },
  },
  {
    name: 'absolute path',
    code: 'workspace.readText("/etc/passwd")',
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(r.error?.message).toMatch(/absolute path/);
    },
  },
  {
    name: 'NUL byte in a path',
    code: 'workspace.writeText("ok.txt\\u0000../../x", "x")',
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(r.error?.message).toMatch(/NUL byte/);
    },
  },
  {
    name: 'symlinked folder leading out',
    code: 'workspace.readText("out-dir/outside-secret.txt")',
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(r.error?.message).toMatch(/outside the (allowed roots|workspace)/);
    },
  },
  {
    name: 'symlinked file leading out (read)',
    code: 'workspace.readText("out-file.txt")',
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(readFileSync(outsideFile, 'utf8')).toBe('host secret');
    },
  },
  {
    name: 'write through a symlinked folder',
    code: 'workspace.writeText("out-dir/planted.txt", "x")',
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(existsSync(join(home.dir, 'planted.txt'))).toBe(false);
    },
  },
  {
    name: 'write with .. ',
    code: 'workspace.writeText("a/../../escape.txt", "x")',
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(existsSync(join(home.dir, 'code', 'workspaces', 'escape.txt'))).toBe(false);
    },
  },
  {
    name: 'file bigger than the file limit',
    code: 'workspace.writeText("big.txt", "z".repeat(70000))',
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(r.error?.message).toMatch(/file limit/);
    },
  },
  {
    name: 'file-count flood stops at the limit',
    code: 'for (let i = 0; ; i++) workspace.writeText("many/f" + i, "x")',
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(r.error?.message).toMatch(/file limit|-file limit/);
      expect(r.files.created.length).toBeLessThanOrEqual(settings.maxWorkspaceFiles);
    },
  },
  {
    name: 'deleting the workspace itself',
    code: 'workspace.delete(".", { recursive: true })',
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(r.error?.message).toMatch(/workspace itself/);
    },
  },
  // ---- network ----
  {
    name: 'fetch to a host that is not allowed',
    code: 'await fetch("http://example.com/")',
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(r.error?.message).toMatch(/example.com is not on the outbound allowlist/);
    },
  },
  {
    name: 'fetch redirected to a host that is not allowed',
    code: `await fetch("http://127.0.0.1:PORT/redirect-out")`,
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(r.error?.message).toMatch(/localhost is not on the outbound allowlist/);
    },
  },
  {
    name: 'fetch with a file: URL',
    code: 'await fetch("file:///etc/passwd")',
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(r.error?.message).toMatch(/file: scheme is not allowed/);
    },
  },
  {
    name: 'fetch body above the size cap',
    code: `await fetch("http://127.0.0.1:PORT/big")`,
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(r.error?.message).toMatch(/byte limit/);
    },
  },
  {
    name: 'fetch flood beyond the per-run cap',
    code: `for (let i = 0; i < 10; i++) await (await fetch("http://127.0.0.1:PORT/")).text()`,
    check: (r) => {
      expect(r.status).toBe('threw');
      expect(r.error?.message).toMatch(/already made 5 requests/);
    },
  },
  // ---- hostile values ----
  {
    name: 'huge string return value',
    code: '"x".repeat(5e6)',
    check: (r) => {
      expect(r.valueTruncated).toBe(true);
      expect(String(r.value).length).toBeLessThan(settings.resultChars + 100);
    },
  },
  {
    name: 'huge array return value',
    code: 'Array.from({ length: 1e5 }, (_, i) => ({ i }))',
    check: (r) => {
      expect(r.valueTruncated).toBe(true);
      expect(JSON.stringify(r.value).length).toBeLessThan(settings.resultChars * 2);
    },
  },
  {
    name: 'cycles, BigInt, functions, symbols, undefined',
    code: 'const o = { big: 10n ** 20n, fn: function named() {}, sym: Symbol("s"), u: undefined, nan: NaN }; o.self = o; o',
    check: (r) =>
      expect(r.value).toEqual({
        big: '100000000000000000000n',
        fn: '[Function: named]',
        sym: 'Symbol(s)',
        u: '[undefined]',
        nan: 'NaN',
        self: '[Circular]',
      }),
  },
  {
    name: 'deeply nested return value',
    code: 'let x = []; for (let i = 0; i < 1e5; i++) x = [x]; x',
    check: (r) => {
      expect(r.status).toBe('ok');
      expect(JSON.stringify(r.value)).toContain('[Array(1)]');
    },
  },
  {
    name: 'getter that loops in the return value',
    code: '({ get trap() { for (;;) {} } })',
    check: (r) => expect(LIMITED).toContain(r.status),
  },
  {
    name: 'Proxy whose ownKeys never returns',
    code: 'new Proxy({}, { ownKeys() { for (;;) {} } })',
    check: (r) => expect(LIMITED).toContain(r.status),
  },
  {
    name: 'thrown object with a looping message getter',
    code: 'throw { get message() { for (;;) {} } }',
    check: (r) => expect(LIMITED).toContain(r.status),
  },
  {
    name: 'a one-shot run cannot see session globals',
    code: 'typeof polluted + typeof counterFromSession',
    oneShot: true,
    check: (r) => expect(r.value).toBe('undefinedundefined'),
  },
];

describe('hostile code is contained and the sandbox keeps serving', () => {
  it.each(cases)('$name', async (c) => {
    const outcome = await run(c.code.replaceAll('PORT', String(port)), c.oneShot ? null : SESSION, c.wallMs);
    c.check(outcome);
    await stillServes(c.oneShot ? null : SESSION);
  });

  it('a timer set by a run never fires after the run ended', async () => {
    const r = await run('setTimeout(() => workspace.writeText("late.txt", "x"), 150); "returned"');
    expect(r.value).toBe('returned');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await run('workspace.exists("late.txt")')).value).toBe(false);
    await stillServes();
  });

  it('a hostile test in code_test times out alone and the rest still run', async () => {
    const outcome = await sessions.test(
      SESSION,
      'function ok() { return 1 }',
      'script',
      [
        { name: 'spin', code: 'for (;;) {}' },
        { name: 'hog', code: 'const a = []; for (;;) a.push(new Array(1e5).fill(1))' },
        { name: 'after', code: 'assert.equal(ok(), 1)' },
      ],
      { ...limits, wallMs: 20_000, cpuMs: 20_000, testMs: 4_000 },
    );
    expect(outcome.tests.map((t) => t.status)).toEqual(['timeout', 'failed', 'skipped']);
    expect(outcome.tests[1]!.message).toMatch(/memory limit/);
    await stillServes();
  });

  it('zip slip: package inputs cannot leave the workspace and entry names stay relative', () => {
    const ws = sessions.workspace(SESSION);
    expect(() => planPackage(ws, ['../..'], 1e9)).toThrow(/leads outside the workspace/);
    expect(() => planPackage(ws, ['/etc'], 1e9)).toThrow(/absolute path/);
    expect(() => planPackage(ws, ['out-dir'], 1e9)).toThrow(/outside/);
    for (const bad of ['../evil', '/abs/path', 'a/../../b', 'C:/win', 'a\\..\\b', 'nul\u0000x', '']) expect(safeEntryName(bad)).toBe(false);
    expect(safeEntryName('ok/file.txt')).toBe(true);
  });
});
