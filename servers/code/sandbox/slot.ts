// A slot: one isolate with its context, its prelude and its workspace, living in a sandbox
// process. It runs code and tests under wall, CPU, memory and output limits. Every entry into the
// isolate carries a timeout no longer than what is left of both budgets, so code that continues
// after an await (a fetch, a timer) is bounded too. Host callbacks take and return copies only, and
// answer only while a run of this slot is active. When the isolate dies at its memory limit it is
// replaced and the run says so. A cancelled run whose code is still executing (a busy loop) has its
// isolate stopped at once rather than at its time limit; the run then says the sandbox was reset.
import { createRequire } from 'node:module';

import type IsolatedVM from 'isolated-vm';

import { describeError, HearthError } from '../../../lib/errors.js';
import type { RunLimits } from '../limits.js';
import { Workspace } from '../workspace/workspace.js';
import { PRELUDE_BUNDLE } from './prelude.generated.js';
import {
  type ErrorInfo,
  type FetchRequest,
  type FetchResponse,
  type FileChanges,
  type HostCallbacks,
  type Output,
  type RunOutcome,
  type RunReply,
  type RunStatus,
  type SlotOptions,
  type TestCase,
  type TestLimits,
  type TestOutcome,
  type TestReply,
  type TestResult,
} from './protocol.js';
import { cleanStack, PRELUDE_FILENAME } from './stack.js';

const require = createRequire(import.meta.url);
const ivm = require('isolated-vm') as typeof IsolatedVM;

const MAX_TIMERS = 10_000;

/** The host side of HostCallbacks: arguments arrive from the isolate, so each is checked, never trusted. */
type UntrustedCallbacks = { [K in keyof HostCallbacks]: (...args: unknown[]) => unknown };

/**
 * The prelude as the isolate evaluates it: the compiled script, then a call that hands it the host
 * callbacks as one object. An isolate takes callbacks only as positional arguments ($0, $1, …), so
 * the object is rebuilt inside from the names, in the order they are passed.
 */
function preludeClosure(callbacks: UntrustedCallbacks): { source: string; args: IsolatedVM.Callback[] } {
  const names = Object.keys(callbacks) as (keyof HostCallbacks)[];
  const object = names.map((name, i) => `${name}: $${i}`).join(', ');
  return {
    source: `${PRELUDE_BUNDLE}\nreturn __hearthPrelude.prelude({ ${object} });`,
    args: names.map((name) => new ivm.Callback(callbacks[name])),
  };
}

type PreludeReply = RunReply | TestReply;
/** After a cancel, how long the isolate may take to become idle before it is stopped. */
const CANCEL_GRACE_MS = 150;

/** What a slot needs from its process: network and the helpers bundle. */
export interface SlotHost {
  /** Starts a fetch in the server process; `done` is called once with the outcome. */
  fetch(op: string, request: FetchRequest, deadline: number, done: (ok: boolean, value: FetchResponse | string) => void): void;
  cancelFetch(op: string): void;
  helpersSource(): string;
}

interface Exec {
  active: boolean;
  deadline: number;
  cpuLimitNs: bigint;
  cpuStart: bigint;
  end: (how: ExecEnd) => void;
}

type ExecEnd = { kind: 'done'; json: string } | { kind: 'error'; error: unknown } | { kind: 'wall' } | { kind: 'cancelled' };

class CallState {
  readonly out = { 1: '', 2: '' } as Record<1 | 2, string>;
  readonly truncated = { 1: false, 2: false } as Record<1 | 2, boolean>;
  readonly files = new Map<string, 'created' | 'modified' | 'deleted'>();
  fetches = 0;
  timers = 0;
  /** CPU time used by earlier entries of this call (a code_test call enters once per test). */
  cpuUsedNs = 0n;
  cancelled = false;
  /** Set by a cancel: resolves once the isolate is idle or has been stopped. */
  stopping: Promise<void> | undefined;
  readonly ops = new Map<number, { kind: string; cancel: () => void }>();
  exec: Exec | undefined;
  constructor(readonly limits: RunLimits) {}

  write(stream: 1 | 2, text: string): number {
    const left = this.limits.outputChars - this.out[stream].length;
    if (left <= 0) {
      this.truncated[stream] = true;
      return 0;
    }
    if (text.length > left) this.truncated[stream] = true;
    this.out[stream] += text.length > left ? text.slice(0, left) : text;
    return this.limits.outputChars - this.out[stream].length;
  }

  touch(path: string, what: 'created' | 'modified' | 'deleted'): void {
    const before = this.files.get(path);
    if (what === 'deleted') {
      if (before === 'created') this.files.delete(path);
      else this.files.set(path, 'deleted');
    } else if (before === 'created') return;
    else if (before === 'deleted') this.files.set(path, 'modified');
    else this.files.set(path, what);
  }

  output(): Output {
    return { stdout: this.out[1], stderr: this.out[2], stdoutTruncated: this.truncated[1], stderrTruncated: this.truncated[2] };
  }

  changes(): FileChanges {
    const pick = (k: string) =>
      [...this.files]
        .filter(([, v]) => v === k)
        .map(([p]) => p)
        .sort();
    return { created: pick('created'), modified: pick('modified'), deleted: pick('deleted') };
  }
}

/**
 * An error for code in the isolate: its message and nothing of the host — no stack frames (the
 * isolate would show them under e.stack), and no host path in the message.
 */
function asError(error: unknown, hostDir: string): Error {
  const text = error instanceof HearthError ? `${error.message}. ${error.hint}` : describeError(error);
  const message = text.split(hostDir).join('.');
  const clean = new Error(message);
  clean.stack = `Error: ${message}`;
  return clean;
}

/** How often a running isolate is interrupted so its memory limit is checked. */
const HEAP_CHECK_MS = 100;

function isMemoryDeath(error: unknown, isolate: IsolatedVM.Isolate): boolean {
  return isolate.isDisposed || /memory limit|disposed/i.test(describeError(error));
}

function isTimeout(error: unknown): boolean {
  return /timed out/i.test(describeError(error));
}

export class Slot {
  private isolate!: IsolatedVM.Isolate;
  private context!: IsolatedVM.Context;
  private runRef!: IsolatedVM.Reference;
  private testRef!: IsolatedVM.Reference;
  private settleRef!: IsolatedVM.Reference;
  private exposeRef!: IsolatedVM.Reference;
  private call: CallState | undefined;
  private busy = false;
  private opSeq = 0;
  readonly workspace: Workspace;

  private constructor(
    readonly id: string,
    readonly options: SlotOptions,
    private readonly host: SlotHost,
  ) {
    this.workspace = new Workspace(options.workspace, options.workspaceLimits);
  }

  static async create(id: string, options: SlotOptions, host: SlotHost): Promise<Slot> {
    const slot = new Slot(id, options, host);
    await slot.boot();
    return slot;
  }

  private async boot(): Promise<void> {
    this.isolate = new ivm.Isolate({
      memoryLimit: this.options.memoryMb,
      // V8 lost control of the isolate: the only safe move is to end this sandbox process.
      onCatastrophicError: (message) => {
        process.stderr.write(`isolated-vm catastrophic error: ${message}\n`);
        process.abort();
      },
    });
    this.context = await this.isolate.createContext();
    // Whatever a callback throws reaches the code as a clean error (see asError).
    const guarded =
      (fn: (...args: unknown[]) => unknown) =>
      (...args: unknown[]): unknown => {
        try {
          return fn(...args);
        } catch (error) {
          throw asError(error, this.workspace.dir);
        }
      };
    const callbacks: UntrustedCallbacks = {
      write: guarded((stream, text) => this.onWrite(stream, text)),
      workspace: guarded((op, path, data) => this.onWorkspace(op, path, data)),
      start: guarded((op, kind, payload) => this.onStart(op, kind, payload)),
      helpers: guarded(() => this.host.helpersSource()),
      codec: guarded((op, value) => this.onCodec(op, value)),
    };
    const closure = preludeClosure(callbacks);
    const api = await this.context.evalClosure(closure.source, closure.args, {
      filename: PRELUDE_FILENAME,
      timeout: 5_000,
      result: { reference: true },
    });
    this.runRef = await api.get('run', { reference: true });
    this.testRef = await api.get('test', { reference: true });
    this.settleRef = await api.get('settle', { reference: true });
    this.exposeRef = await api.get('expose', { reference: true });
    api.release();
  }

  /**
   * Ends the current run as cancelled. Code awaiting something (a timer, a fetch) simply never
   * resumes; code still executing is stopped by disposing the isolate, since V8 offers no other
   * way to interrupt it.
   */
  cancel(): void {
    const call = this.call;
    if (!call) return;
    // A cancel that arrives before the call's code started (while a module loads, between tests)
    // stops the call where it next would run code.
    call.cancelled = true;
    if (!call.exec?.active) return;
    call.exec.end({ kind: 'cancelled' });
    call.stopping = this.stopIfBusy().then(() => undefined);
  }

  /** Disposes the isolate unless it answers a no-op within the grace period; true when it had to. */
  private async stopIfBusy(): Promise<boolean> {
    if (this.isolate.isDisposed) return false;
    let timer: NodeJS.Timeout | undefined;
    const idle = this.context.eval('0', { timeout: CANCEL_GRACE_MS }).then(
      () => true,
      () => true,
    );
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CANCEL_GRACE_MS)));
    const answered = await Promise.race([idle, late]);
    clearTimeout(timer);
    if (answered || this.isolate.isDisposed) return false;
    this.isolate.dispose();
    return true;
  }

  dispose(): void {
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  // ---- host callbacks (called from the isolate's thread, answered on this process's main thread) ----

  private active(): CallState {
    const call = this.call;
    if (!call?.exec?.active) throw new Error('no run is active; this call came too late');
    return call;
  }

  private onWrite(stream: unknown, text: unknown): number {
    const call = this.call;
    if (!call?.exec?.active || (stream !== 1 && stream !== 2) || typeof text !== 'string') return 0;
    return call.write(stream, text);
  }

  private onWorkspace(op: unknown, path: unknown, data: unknown): unknown {
    const call = this.active();
    if (typeof op !== 'string' || typeof path !== 'string') throw new Error('workspace: bad call');
    const ws = this.workspace;
    const field = 'workspace path';
    try {
      switch (op) {
        case 'readText':
          return ws.read(path, field).toString('utf8');
        case 'readBytes':
          return new Uint8Array(ws.read(path, field));
        case 'writeText':
        case 'writeBytes': {
          if (op === 'writeText' && typeof data !== 'string') throw new Error('workspace.writeText: text must be a string');
          if (op === 'writeBytes' && !(data instanceof Uint8Array)) throw new Error('workspace.writeBytes: data must be bytes');
          const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : (data as Uint8Array);
          const outcome = ws.write(path, bytes, field);
          call.touch(outcome.path, outcome.created ? 'created' : 'modified');
          return { path: outcome.path, bytes: outcome.bytes, created: outcome.created };
        }
        case 'list':
          return ws.list(path, { recursive: true }, field).map((e) => ({ ...e }));
        case 'exists':
          return ws.exists(path, field);
        case 'stat':
          return { ...ws.stat(path, field) };
        case 'delete':
        case 'deleteRecursive': {
          const removed = ws.delete(path, { recursive: op === 'deleteRecursive' }, field);
          for (const p of removed) call.touch(p, 'deleted');
          return removed;
        }
        default:
          throw new Error(`workspace: unknown operation ${op}`);
      }
    } catch (error) {
      throw asError(error, this.workspace.dir);
    }
  }

  private onCodec(op: unknown, value: unknown): unknown {
    this.active();
    if (op === 'encode' && typeof value === 'string') return new Uint8Array(Buffer.from(value, 'utf8'));
    if (op === 'decode' && value instanceof Uint8Array)
      return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
    if (op === 'btoa' && typeof value === 'string') {
      if (/[^\u0000-\u00ff]/.test(value)) throw new Error('btoa: the string contains characters outside Latin-1');
      return Buffer.from(value, 'latin1').toString('base64');
    }
    if (op === 'atob' && typeof value === 'string') {
      const clean = value.replace(/[\t\n\f\r ]/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) throw new Error('atob: the string is not valid base64');
      return Buffer.from(clean, 'base64').toString('latin1');
    }
    throw new Error('codec: bad call');
  }

  private onStart(op: unknown, kind: unknown, payload: unknown): void {
    const call = this.active();
    const exec = call.exec!;
    if (typeof op !== 'number') throw new Error('bad operation id');
    if (kind === 'timer') {
      if (++call.timers > MAX_TIMERS) throw new Error(`setTimeout: more than ${MAX_TIMERS} timers in one run`);
      const delay = typeof payload === 'number' && Number.isFinite(payload) ? Math.max(0, payload) : 0;
      const handle = setTimeout(() => {
        call.ops.delete(op);
        void this.settle(exec, op, true, undefined);
      }, delay);
      call.ops.set(op, { kind: 'timer', cancel: () => clearTimeout(handle) });
      return;
    }
    if (kind === 'fetch') {
      if (call.fetches >= call.limits.fetchMaxRequests) {
        throw new Error(
          call.limits.fetchMaxRequests === 0
            ? 'fetch: network access is off for this server'
            : `fetch: this run already made ${call.fetches} requests, the limit per run`,
        );
      }
      call.fetches += 1;
      const request = payload as FetchRequest;
      if (typeof request?.url !== 'string' || typeof request.method !== 'string' || !Array.isArray(request.headers))
        throw new Error('fetch: bad request');
      const key = `${this.id}:${++this.opSeq}`;
      call.ops.set(op, { kind: 'fetch', cancel: () => this.host.cancelFetch(key) });
      this.host.fetch(
        key,
        {
          url: request.url,
          method: request.method,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: request.body }),
        },
        exec.deadline,
        (ok, value) => {
          if (!call.ops.delete(op)) return;
          void this.settle(exec, op, ok, value);
        },
      );
      return;
    }
    throw new Error('unknown operation');
  }

  /** Answers an async operation inside the isolate, under what is left of the budgets. */
  private async settle(exec: Exec, op: number, ok: boolean, value: unknown): Promise<void> {
    if (!exec.active) return;
    const timeout = this.remaining(exec);
    if (timeout <= 0) return exec.end({ kind: 'wall' });
    try {
      await this.settleRef.apply(undefined, [op, ok, value], { arguments: { copy: true }, timeout });
    } catch (error) {
      exec.end({ kind: 'error', error });
    }
  }

  private remaining(exec: Exec): number {
    const wallLeft = exec.deadline - Date.now();
    const cpuLeft = Number(exec.cpuLimitNs - (this.cpuNow() - exec.cpuStart)) / 1e6;
    return Math.floor(Math.min(wallLeft, cpuLeft));
  }

  private cpuNow(): bigint {
    return this.isolate.isDisposed ? 0n : this.isolate.cpuTime;
  }

  // ---- running ----

  /** One entry into the isolate: calls `ref(...args)` and waits for its promise, bounded. */
  private async exec(
    call: CallState,
    ref: IsolatedVM.Reference,
    args: unknown[],
    wallMs: number,
  ): Promise<{ end: ExecEnd; wallMs: number; cpuNs: bigint; stopped: boolean; overMemory: boolean }> {
    const started = Date.now();
    const cpuStart = this.cpuNow();
    const rssStart = process.memoryUsage.rss();
    let resolveEnd!: (end: ExecEnd) => void;
    const ended = new Promise<ExecEnd>((r) => (resolveEnd = r));
    const exec: Exec = {
      active: true,
      deadline: started + wallMs,
      cpuLimitNs: BigInt(call.limits.cpuMs) * 1_000_000n - call.cpuUsedNs,
      cpuStart,
      end: (how) => {
        if (!exec.active) return;
        exec.active = false;
        resolveEnd(how);
      },
    };
    call.exec = exec;
    if (call.cancelled) {
      exec.end({ kind: 'cancelled' });
      return { end: await ended, wallMs: 0, cpuNs: 0n, stopped: false, overMemory: false };
    }
    const wallTimer = setTimeout(() => exec.end({ kind: 'wall' }), wallMs + 20);
    // isolated-vm checks an isolate's heap against its limit when it is interrupted; on Node 24 an
    // allocation loop is otherwise never interrupted, and grows far past the limit until a time
    // limit stops it. Asking for the heap statistics interrupts it, so the limit holds.
    const heapCheck = setInterval(() => {
      if (!this.isolate.isDisposed) this.isolate.getHeapStatistics().catch(() => undefined);
    }, HEAP_CHECK_MS);
    const timeout = Math.max(1, this.remaining(exec));
    ref.apply(undefined, args, { arguments: { copy: true }, result: { promise: true, copy: true }, timeout }).then(
      (json: unknown) => exec.end({ kind: 'done', json: typeof json === 'string' ? json : '{}' }),
      (error: unknown) => exec.end({ kind: 'error', error }),
    );
    const end = await ended;
    clearTimeout(wallTimer);
    clearInterval(heapCheck);
    const cpuNs = this.isolate.isDisposed ? 0n : this.cpuNow() - cpuStart;
    const grown = process.memoryUsage.rss() - rssStart;
    const limitBytes = this.options.memoryMb * 1024 * 1024;
    // Nothing below may touch the isolate while cancelled code may still be executing in it.
    if (end.kind === 'cancelled') await call.stopping;
    // Code still executing at its wall limit is stopped the same way: V8 checks for termination
    // rarely inside some builtins (a sort of millions of elements runs on for seconds), and any
    // synchronous look at the isolate (its heap) would wait for it.
    const stopped = end.kind === 'wall' && (await this.stopIfBusy());
    // A fallback for the heap checks above: code that grew this process by twice its heap limit was
    // over it, whatever stopped it. (In the shared process another caller's growth counts too: a rare
    // false memory verdict is the price, and it only costs that run its isolate.)
    const overMemory = grown > limitBytes * 2;
    for (const { cancel } of call.ops.values()) cancel();
    call.ops.clear();
    call.cpuUsedNs = call.cpuUsedNs + cpuNs;
    return { end, wallMs: Date.now() - started, cpuNs, stopped, overMemory };
  }

  /** Maps how an entry ended to a status; replaces the isolate after a memory death. */
  private classify(
    end: ExecEnd,
    call: CallState,
    wallMs: number,
    cpuNs: bigint,
    lineOffset = 0,
  ): { status: RunStatus; json?: PreludeReply; error?: ErrorInfo; reset: boolean } {
    if (end.kind === 'done') {
      let json: PreludeReply;
      try {
        json =
          end.json.length > call.limits.resultChars * 4 + 100_000
            ? { status: 'ok', type: 'string', value: '[result too large]', truncated: true }
            : (JSON.parse(end.json) as PreludeReply);
      } catch {
        json = { status: 'ok', type: 'unknown', value: '[unreadable result]', truncated: true };
      }
      const error = 'error' in json ? json.error : undefined;
      if (error?.stack) error.stack = cleanStack(error.stack, lineOffset);
      return { status: json.status === 'threw' ? 'threw' : 'ok', json, ...(error ? { error } : {}), reset: false };
    }
    if (end.kind === 'cancelled') return { status: 'cancelled', reset: this.isolate.isDisposed };
    if (end.kind === 'error' && isMemoryDeath(end.error, this.isolate)) return { status: 'memory', reset: true };
    if (end.kind === 'wall' || isTimeout(end.kind === 'error' ? end.error : undefined)) {
      // Whichever budget the code used up names the limit, however the stop reached us (the wall
      // timer and the isolate's own timeout race when both budgets end together).
      const cpuUsedUp = Number(cpuNs) / 1e6 >= call.limits.cpuMs * 0.9;
      const cpuFirst = end.kind === 'error' && call.limits.cpuMs < call.limits.wallMs && wallMs < call.limits.wallMs * 0.9;
      return { status: cpuUsedUp || cpuFirst ? 'cpu' : 'timeout', reset: false };
    }
    return {
      status: 'threw',
      error: { name: 'SandboxError', message: describeError(end.kind === 'error' ? end.error : 'unknown') },
      reset: false,
    };
  }

  private begin(limits: RunLimits): CallState {
    if (this.busy)
      throw new HearthError('CONFLICT', 'the session is already running code', 'Wait for the current run to finish, then try again.');
    if (this.isolate.isDisposed)
      throw new HearthError('UNAVAILABLE', 'the sandbox isolate is gone', 'The server replaces the sandbox; run again.');
    this.busy = true;
    this.workspace.refresh();
    const call = new CallState(limits);
    this.call = call;
    return call;
  }

  /** Heap in use, or undefined when the isolate died (which then counts as a memory death). */
  private heap(): number | undefined {
    try {
      if (this.isolate.isDisposed) return undefined;
      const h = this.isolate.getHeapStatisticsSync();
      return h.used_heap_size + h.externally_allocated_size;
    } catch {
      return undefined;
    }
  }

  /**
   * A run stopped by a time limit with its heap at the limit was spending its time collecting
   * garbage (V8 on Node 24 lets such code crawl on instead of stopping it): a memory death.
   */
  private atHeapLimit(heap: number | undefined): boolean {
    if (heap === undefined) return false;
    // The heap V8 holds (total) stays at its high-water mark for a while after the garbage of a
    // stopped run is collected; what is in use may already have dropped.
    const held = this.isolate.isDisposed ? 0 : this.isolate.getHeapStatisticsSync().total_heap_size;
    return Math.max(heap, held) >= this.options.memoryMb * 1024 * 1024 * 0.9;
  }

  private finish(): void {
    this.busy = false;
    this.call = undefined;
  }

  async run(code: string, limits: RunLimits): Promise<RunOutcome> {
    const call = this.begin(limits);
    try {
      const { end, wallMs, cpuNs, stopped, overMemory } = await this.exec(call, this.runRef, [code, limits.resultChars], limits.wallMs);
      const c = this.classify(end, call, wallMs, cpuNs);
      if (stopped) c.reset = true;
      const heap = this.heap();
      if ((overMemory || this.atHeapLimit(heap)) && (c.status === 'timeout' || c.status === 'cpu')) {
        // Over its memory limit however it was stopped: reported as such, and the isolate replaced.
        c.status = 'memory';
        c.reset = true;
      }
      if (heap === undefined && !c.reset) {
        // The isolate died at its memory limit while the run was being stopped.
        c.status = 'memory';
        c.reset = true;
      }
      return {
        status: c.status,
        ...(c.json?.status === 'ok' ? { valueType: c.json.type, value: c.json.value ?? null, valueTruncated: c.json.truncated } : {}),
        ...(c.error ? { error: c.error } : {}),
        ...call.output(),
        wallMs,
        cpuMs: Number(cpuNs) / 1e6,
        heapBytes: heap ?? 0,
        files: call.changes(),
        reset: c.reset,
      };
    } finally {
      this.finish();
    }
  }

  /** Loads a module or script, then runs each test in turn with its own time limit. */
  async test(source: string, kind: 'script' | 'module', tests: readonly TestCase[], limits: TestLimits): Promise<TestOutcome> {
    const call = this.begin(limits);
    const started = Date.now();
    const left = () => limits.wallMs - (Date.now() - started);
    try {
      const load = await this.load(call, source, kind, limits);
      const results: TestResult[] = [];
      let dead = load.status !== 'ok';
      let reset = load.status === 'memory';
      for (const t of tests) {
        const budget = Math.min(limits.testMs, left());
        if (dead || budget <= 0 || call.cancelled) {
          results.push({
            name: t.name,
            status: 'skipped',
            message: dead ? 'not run: the module did not load or the sandbox was reset' : 'not run: the call’s time limit was used up',
            durationMs: 0,
          });
          continue;
        }
        const { end, wallMs, cpuNs, stopped, overMemory } = await this.exec(call, this.testRef, [t.code], budget);
        // The test body sits one line down inside its async wrapper.
        const c = this.classify(end, call, wallMs, cpuNs, 1);
        if (stopped) {
          c.reset = true;
          dead = true;
        }
        const heap = this.heap();
        if ((overMemory || this.atHeapLimit(heap)) && (c.status === 'timeout' || c.status === 'cpu')) {
          c.status = 'memory';
          c.reset = true;
        }
        if (!c.reset && heap === undefined) {
          c.status = 'memory';
          c.reset = true;
        }
        // A test stopped by a cancel took its throwaway isolate with it; that is no reset.
        if (c.reset && c.status !== 'cancelled') reset = true;
        if (c.status === 'ok' && c.json?.status !== 'failed') {
          results.push({ name: t.name, status: 'passed', durationMs: wallMs });
        } else if (c.status === 'ok' || c.status === 'threw') {
          const e = c.json?.status === 'failed' ? c.json.error : c.error;
          results.push({
            name: t.name,
            status: 'failed',
            message: e ? `${e.name}: ${e.message}` : 'failed',
            ...(e?.stack ? { stack: e.stack } : {}),
            durationMs: wallMs,
          });
        } else if (c.status === 'cancelled') {
          results.push({
            name: t.name,
            status: 'skipped',
            message: c.reset ? 'cancelled while running; its code was stopped' : 'cancelled',
            durationMs: wallMs,
          });
        } else if (c.status === 'memory') {
          results.push({
            name: t.name,
            status: 'failed',
            message: `the test hit the ${this.options.memoryMb} MB memory limit; the sandbox was reset`,
            durationMs: wallMs,
          });
          dead = true;
        } else {
          const what = c.status === 'cpu' ? 'CPU time' : 'time';
          results.push({ name: t.name, status: 'timeout', message: `the test ran out of ${what} (${budget} ms)`, durationMs: wallMs });
        }
      }
      return {
        load,
        tests: results,
        reset,
        ...call.output(),
        wallMs: Date.now() - started,
        cpuMs: Number(call.cpuUsedNs) / 1e6,
        files: call.changes(),
      };
    } finally {
      this.finish();
    }
  }

  private async load(call: CallState, source: string, kind: 'script' | 'module', limits: TestLimits): Promise<TestOutcome['load']> {
    if (kind === 'script') {
      const { end, wallMs, cpuNs } = await this.exec(call, this.runRef, [source, limits.resultChars], limits.wallMs);
      const c = this.classify(end, call, wallMs, cpuNs);
      if (this.isolate.isDisposed && c.status !== 'memory') return { status: 'timeout', kind };
      return { status: c.status, kind, ...(c.error ? { error: c.error } : {}) };
    }
    const cpuStart = this.cpuNow();
    try {
      const module = await this.isolate.compileModule(source, { filename: 'file:///workspace/module.mjs' });
      await module.instantiate(this.context, (specifier) => {
        throw new Error(`import ${JSON.stringify(specifier)}: imports are not available in the sandbox; put the code in one module`);
      });
      await module.evaluate({ timeout: Math.max(1, Math.min(limits.wallMs, limits.cpuMs)) });
      await this.exposeRef.apply(undefined, [module.namespace.derefInto()], { timeout: 1_000 });
      return { status: 'ok', kind };
    } catch (error) {
      call.cpuUsedNs = call.cpuUsedNs + (this.cpuNow() - cpuStart);
      if (isMemoryDeath(error, this.isolate)) return { status: 'memory', kind };
      if (isTimeout(error)) return { status: 'timeout', kind };
      const message = describeError(error);
      const name = /^(\w*Error):/.exec(message)?.[1] ?? (error instanceof Error ? error.name : 'Error');
      return { status: 'threw', kind, error: { name, message: message.replace(/^\w*Error: /, '') } };
    }
  }
}
